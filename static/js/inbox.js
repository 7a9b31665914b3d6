/* The coordinator's inbox (workspace/templates/workspace/inbox.html). The list is swapped
   by htmx, so every handler listens on the document.
   - [data-select-all]: ticks or clears every report of the page for a bulk action;
   - [data-bulk-count]: says how many are ticked;
   - the "save view" form saves the filters shown now (htmx keeps them in the address). */
(function () {
  "use strict";

  function boxes() {
    return Array.from(document.querySelectorAll("input[name=reports][form=bulk]"));
  }

  function showCount() {
    var count = document.querySelector("[data-bulk-count]");
    if (!count) return;
    var n = boxes().filter(function (box) { return box.checked; }).length;
    count.textContent = n ? n + " " + count.dataset.some : count.dataset.none;
    var all = document.querySelector("[data-select-all]");
    if (all) {
      all.hidden = false;
      all.checked = n > 0 && n === boxes().length;
      all.indeterminate = n > 0 && n < boxes().length;
    }
  }

  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-select-all]")) {
      boxes().forEach(function (box) { box.checked = e.target.checked; });
    }
    if (e.target.matches("[data-select-all], input[name=reports]")) showCount();
  });
  document.addEventListener("htmx:afterSettle", showCount);
  showCount();

  document.addEventListener("submit", function (e) {
    if (e.target.matches(".ws-save-view")) {
      e.target.querySelector("input[name=query]").value = window.location.search.slice(1);
    }
  });
})();
