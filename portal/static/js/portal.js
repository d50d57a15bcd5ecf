// Warn before sending a file that is over its limit, so the user can pick another one
// without a round trip (the server checks again).
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
  var max = parseInt(input.getAttribute("data-max-bytes"), 10);
  for (var i = 0; i < input.files.length; i++) {
    if (input.files[i].size > max) {
      window.alert(input.getAttribute("data-too-large"));
      input.value = "";
      return;
    }
  }
});
