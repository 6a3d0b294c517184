// The public forms' shared behaviour (issue 19), served from static/ because the Content-Security-Policy forbids
// inline scripts. The page works without it: the summary's links still lead to each field.
(function () {
  // The error summary takes focus when the page loads, so a screen reader reads it and a keyboard starts there.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      // Show the field's label (or its group's legend) with it, as GOV.UK does, then move focus to the control.
      var group = target.closest("fieldset");
      var label = (group && group.querySelector("legend")) || document.querySelector("label[for='" + target.id + "']");
      (label || target).scrollIntoView();
      target.focus({preventScroll: true});
    });
  }
})();
