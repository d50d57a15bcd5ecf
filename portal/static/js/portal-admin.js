// The behaviour Flask-Admin's templates give with inline event handlers, from a script of
// the portal's own: the Content-Security-Policy allows no inline script, so the portal's
// copies of those templates (templates/admin/) carry data attributes instead.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("a[href='#']")) event.preventDefault();
    var element = event.target.closest("[data-admin-action], [data-admin-confirm], [data-admin-inline-add]");
    if (!element) return;
    if (element.hasAttribute("data-admin-action")) {
      window.modelActions.execute(element.getAttribute("data-admin-action"));
    } else if (element.hasAttribute("data-admin-confirm")) {
      if (!window.confirm(element.getAttribute("data-admin-confirm"))) event.preventDefault();
    } else {
      window.faForm.addInlineField(element, element.getAttribute("data-admin-inline-add"));
    }
  });
})();
