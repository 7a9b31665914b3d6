/* "Laporan saya" (/laporan-saya/): the reports sent from this device (outbox.js's "mine"),
   newest first, each with its status as the resident API tells it
   (GET /api/v1/resident/reports/<secret>/, the private link's own key). Without a connection
   the worker answers the status it kept, or the page shows the last status seen and when.
   The words come from the template's data attributes (#mine), so they are translated. */
(function () {
  "use strict";

  var outbox = window.AduanOutbox;
  var root = document.getElementById("mine");
  if (!root || !outbox || !outbox.supported) return;
  var words = root.dataset;
  var list = document.getElementById("mine-list");
  var empty = document.getElementById("mine-empty");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function time(ms) {
    return new Date(ms).toLocaleString(document.documentElement.lang || undefined, { dateStyle: "medium", timeStyle: "short" });
  }

  function row(record) {
    var item = element("li", "card report-row mine-row");
    var link = element("a");
    link.href = record.link;
    var top = element("span", "row-top");
    top.appendChild(element("strong", "row-title", record.number));
    if (record.statusLabel) top.appendChild(element("span", "badge badge-" + record.status, record.statusLabel));
    link.appendChild(top);
    link.appendChild(element("span", "muted", words.sentAt + " " + time(record.sentAt)));
    link.appendChild(element("span", "muted",
      record.checkedAt ? words.checkedAt + " " + time(record.checkedAt) : words.unknown));
    item.appendChild(link);
    var forget = element("button", "btn mine-forget", words.remove);
    forget.type = "button";
    forget.addEventListener("click", function () {
      if (window.confirm(words.confirmRemove)) outbox.forget(record.secret);
    });
    item.appendChild(forget);
    return item;
  }

  function render() {
    return outbox.mine().then(function (records) {
      records.sort(function (a, b) { return b.sentAt - a.sentAt; });
      list.textContent = "";
      records.forEach(function (record) { list.appendChild(row(record)); });
      empty.hidden = records.length > 0;
      return records;
    });
  }

  function check(record) {
    var url = words.statusUrl.replace("SECRET", encodeURIComponent(record.secret));
    // The API speaks the language of Accept-Language (api/base.py), the pages that of the cookie.
    var headers = { Accept: "application/json", "Accept-Language": document.documentElement.lang || "id" };
    return fetch(url, { credentials: "same-origin", headers: headers })
      .then(function (response) {
        if (!response.ok) return Promise.reject(response.status);
        // The server's Date: a status the worker kept offline says when it was true.
        var when = Date.parse(response.headers.get("Date") || "") || Date.now();
        return response.json().then(function (data) { return [data, when]; });
      })
      .then(function (answer) {
        var data = answer[0];
        if (answer[1] < record.checkedAt) return; // an older copy than the one seen
        record.status = data.status;
        record.statusLabel = data.status_label;
        record.checkedAt = answer[1];
        return outbox.update(record);
      })
      .catch(function () {}); // no connection and nothing kept: the last status seen stays
  }

  function refresh() {
    return render().then(function (records) {
      return Promise.all(records.map(check));
    }).then(render);
  }

  outbox.listen(function (change) {
    if (change.type === "mine") refresh();
  });
  window.addEventListener("online", refresh);
  refresh();
})();
