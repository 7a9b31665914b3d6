/* Every page of the staff workspace; each part does nothing where its elements are absent,
   and every page works without this script (links and forms are plain HTML).
   - Keyboard (as manual-entry.js: the key is named in the page, data-key on a link):
     ? opens the list of shortcuts (<dialog id="shortcuts">, Esc closes it);
     on a report list (table[data-keynav]) j / k move the current row, Enter opens it;
     elsewhere a letter clicks the link whose data-key is that letter (the report page:
     j next, k previous, u back to the list). Keys typed into a field are the field's.
   - Canned replies: a select[data-canned-for] next to a message box asks the server for
     the reply's text, filled for this report (and for the agency chosen in the same
     form), and inserts it at the cursor. */
(function () {
  "use strict";

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  // ------------------------------------------------------------------ shortcuts

  var sheet = document.getElementById("shortcuts");

  function openSheet() {
    if (sheet && !sheet.open) sheet.showModal();
  }

  document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
    button.addEventListener("click", openSheet);
  });

  function rowLinks() {
    // The first link of each row (a row may start with a checkbox for bulk actions).
    var rows = document.querySelectorAll("table[data-keynav] tbody tr");
    return Array.prototype.map.call(rows, function (row) { return row.querySelector("a[href]"); }).filter(Boolean);
  }

  function moveRow(step) {
    var links = rowLinks();
    if (!links.length) return false;
    var at = links.indexOf(document.activeElement);
    var next = at === -1 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
    links.forEach(function (link) {
      link.closest("tr").classList.remove("ws-row-current");
    });
    links[next].closest("tr").classList.add("ws-row-current");
    links[next].focus();
    return true;
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || (sheet && sheet.open)) return;
    if (e.key === "?") {
      e.preventDefault();
      openSheet();
      return;
    }
    if (e.shiftKey || !/^[a-z]$/.test(e.key)) return;
    if ((e.key === "j" || e.key === "k") && moveRow(e.key === "j" ? 1 : -1)) {
      e.preventDefault();
      return;
    }
    var link = document.querySelector('a[data-key="' + e.key + '"]');
    if (link) {
      e.preventDefault();
      link.click();
    }
  });

  // ------------------------------------------------------------------ canned replies

  function insertAt(box, text) {
    var start = box.selectionStart, end = box.selectionEnd;
    if (box.value && start === end && start === box.value.length && !/\s$/.test(box.value)) text = "\n" + text;
    box.setRangeText(text, start, end, "end");
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  }

  document.querySelectorAll("select[data-canned-for]").forEach(function (select) {
    var box = document.getElementById(select.dataset.cannedFor);
    if (!box) return;
    select.closest("[hidden]") && select.closest("[hidden]").removeAttribute("hidden");
    select.addEventListener("change", function () {
      if (!select.value) return;
      var url = new URL(select.dataset.cannedUrl, window.location.href);
      url.searchParams.set("reply", select.value);
      var agency = select.form && select.form.querySelector("[name=lead_agency]");
      if (agency && agency.value) url.searchParams.set("lead_agency", agency.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/plain" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (text) {
          insertAt(box, text);
        })
        .catch(function () {
          var failed = select.parentNode.querySelector(".ws-canned-error");
          if (failed) failed.hidden = false;
        })
        .finally(function () {
          select.value = "";
        });
    });
  });
})();
