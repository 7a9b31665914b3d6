/* The staff's manual entry, keyboard first; the form works without this script.
   - Ctrl+Enter (Cmd+Enter on a Mac) anywhere in the form submits it;
   - Alt+<letter> clicks (a link) or focuses (a field) the element whose data-shortcut is
     that letter: the accesskey attribute does the same without this script, but its
     modifier differs per browser and system.
   Possible duplicates while typing come by htmx attributes on the fields (views.py). */
(function () {
  "use strict";

  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      var form = e.target.closest && e.target.closest("form.ws-manual");
      if (form) {
        e.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (e.altKey && !e.ctrlKey && !e.metaKey && /^Key[A-Z]$/.test(e.code)) {
      var target = document.querySelector('[data-shortcut="' + e.code.slice(3).toLowerCase() + '"]');
      if (!target) return;
      e.preventDefault();
      if (target.tagName === "A") target.click();
      else target.focus();
    }
  });
})();
