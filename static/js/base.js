/* On every page. Behaviour lives here, not in on*= attributes or javascript: links, which
   the Content-Security-Policy does not let run.
   - [data-autosubmit] (the language switcher): changing the choice submits its form;
   - [data-history-back] (the expired-form page): back to the form with what was typed,
     when there is a page to go back to; otherwise the link's own address;
   - [data-menu-toggle] (the staff menu): on a small screen the menu folds behind this
     button (workspace.css); without JavaScript it stays open;
   - details[data-open-wide] (the inbox filters): open on a wide screen, folded behind
     their summary button on a phone;
   - details[data-close-outside] (the resident menu on a phone): Escape closes it and
     gives the focus back to its "Menu"; so does a tap outside it;
   - [data-error-summary] (a form sent back with errors): focused, so a screen reader
     reads the list of errors first and a keyboard user starts from its links. */
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  document.querySelectorAll("a[data-history-back]").forEach(function (link) {
    link.addEventListener("click", function (e) {
      if (window.history.length > 1) {
        e.preventDefault();
        window.history.back();
      }
    });
  });

  document.querySelectorAll("button[data-menu-toggle]").forEach(function (button) {
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }
    button.hidden = false;
    menu.classList.add("collapsible");
    button.addEventListener("click", function () {
      var open = menu.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  if (window.matchMedia("(min-width: 48rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }
  document.querySelectorAll("details[data-close-outside]").forEach(function (details) {
    var folds = function () {
      // Where "Menu" is hidden (a wide screen), the list is the row itself: never close it.
      return details.open && details.querySelector("summary").offsetParent !== null;
    };
    details.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && folds()) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", function (e) {
      if (folds() && !details.contains(e.target)) {
        details.open = false;
      }
    });
  });
})();
