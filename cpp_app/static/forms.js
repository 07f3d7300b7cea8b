/* A form sent back with errors: its summary takes the focus (where autofocus did not), and a
   link in it moves the focus to its field, shown with its label. The page works without it. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  var heading = summary.querySelector("[tabindex='-1']");
  summary.scrollIntoView({ block: "start", behavior: "instant" });
  if (heading && document.activeElement !== heading) {
    heading.focus({ preventScroll: true });
  }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var shown = field.closest("fieldset") || document.querySelector("label[for='" + field.id + "']") || field;
    shown.scrollIntoView({ block: "start", behavior: "instant" });
    field.focus({ preventScroll: true });
  });
})();
