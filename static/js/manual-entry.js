/* The staff's manual entry, keyboard first; the form works without this script.
   - Ctrl+Enter (Cmd+Enter on a Mac) anywhere in the form submits it;
   - Alt+<letter> clicks (a link) or focuses (a field) the element whose data-shortcut is
     that letter: the accesskey attribute does the same without this script, but its
     modifier differs per browser and system;
   - possible duplicates: while the description is typed (debounced) or the kelurahan
     changes, GET data-similar-url and show the fragment in #similar-results; an answer
     overtaken by newer typing is dropped. */
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

  var form = document.querySelector("form[data-similar-url]");
  var results = document.getElementById("similar-results");
  if (!form || !results) return;
  var description = form.elements.description;
  var region = form.elements.region;
  var timer = null;
  var controller = null;
  var last = null;

  function check() {
    var params = new URLSearchParams({
      q: description.value.trim().slice(0, 1000),
      region: region ? region.value : "",
    }).toString();
    if (params === last) return;
    last = params;
    if (controller) controller.abort();
    controller = new AbortController();
    results.setAttribute("aria-busy", "true");
    fetch(form.dataset.similarUrl + "?" + params, { credentials: "same-origin", signal: controller.signal })
      .then(function (response) {
        // 400 (bad input) brings a fragment too; anything else (a 403 after the
        // appointment ended, a 500) is a whole page that does not belong in the panel.
        return response.ok || response.status === 400 ? response.text() : null;
      })
      .then(function (html) {
        results.removeAttribute("aria-busy");
        if (html !== null) results.innerHTML = html;
      })
      .catch(function () {}); // overtaken or offline: keep what is shown
  }

  description.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  if (region) region.addEventListener("change", check);
})();
