// A file picker inside a button shows the names of the files chosen.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("label.btn input[type=file]")) return;
  var shown = input.parentNode.querySelector(".chosen-files");
  if (!shown) {
    shown = document.createElement("span");
    shown.className = "chosen-files";
    input.parentNode.appendChild(shown);
  }
  shown.textContent = Array.prototype.map.call(input.files, function (file) { return file.name; }).join("、");
});

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

// Progress bars take their width from data-percent (no style attribute in the markup).
function showPercent(bar) { bar.style.width = bar.getAttribute("data-percent") + "%"; }
document.querySelectorAll(".progress-bar[data-percent]").forEach(showPercent);

// A choice that is the whole form (a school picker) sends it when it changes.
document.addEventListener("change", function (event) {
  if (event.target.matches && event.target.matches("select[data-submit-on-change]")) event.target.form.submit();
});

// "Go back" on an error page: the browser's back keeps what was typed in the form.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("[data-history-back]") : null;
  if (!link || window.history.length < 2) return;
  event.preventDefault();
  window.history.back();
});

// A "copy" button beside a read-only field (the day's figures for the nutrition platform):
// the clipboard API needs HTTPS, a school's LAN often has none, so the selection is copied.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var field = button.closest(".input-group").querySelector("input");
  field.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value);
  } else {
    document.execCommand("copy");
  }
});

// The server checks every form and answers beside the field in the page's language, keeping
// what was typed; the browser's own bubbles would speak the browser's language and stop the
// form before the server's message is seen (a clean-plate count of 0 diners).
document.querySelectorAll("form").forEach(function (form) { form.noValidate = true; });
