// Follows a running export: the bar moves, and the download appears when it is ready.
(function () {
  "use strict";
  var box = document.getElementById("export-progress");
  if (!box || !window.fetch) return;
  var status = box.dataset.status;
  if (status === "done" || status === "failed") return;
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var bar = document.getElementById("export-bar");
        bar.style.width = data.percent + "%";
        bar.textContent = data.percent + "%";
        bar.setAttribute("aria-valuenow", data.percent);
        document.getElementById("export-status").textContent = data.label;
        document.getElementById("export-steps").textContent = data.done + "/" + data.total;
        if (data.status === "done") {
          window.location.reload();
        } else if (data.status === "failed") {
          var error = document.getElementById("export-error");
          error.textContent = data.error;
          error.classList.remove("d-none");
          var leave = document.getElementById("export-leave");
          if (leave) leave.remove();
        } else {
          setTimeout(poll, 1500);
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
