/* On every page. Behaviour lives here, not in on*= attributes or javascript: links, which
   the Content-Security-Policy does not let run.
   - [data-autosubmit] (the language switcher): changing the choice submits its form;
   - [data-history-back] (the expired-form page): back to the form with what was typed,
     when there is a page to go back to; otherwise the link's own address;
   - details[data-open-wide] (the inbox filters): open on a wide screen, folded behind
     their summary button on a phone. */
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

  if (window.matchMedia("(min-width: 48rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }
})();
