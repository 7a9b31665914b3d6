/* The report form without a connection (issue 19). Needs outbox.js; without IndexedDB the
   form is sent the ordinary way.
   - /lapor/: sent with fetch, photos shrunk. Without a network (offline, or the send or its
     answer lost) the report is kept under the form's one-time key, the panel (#outbox, words
     from portal/_outbox.html) says "Menunggu sinyal — akan dikirim otomatis", and the form
     is emptied with a new key. It is sent on the online event, by Background Sync (sw.js),
     every 30 s while the panel is open and when the portal opens (app.js); the panel then
     shows the tracking number and private link.
   - Any other answer than "sent" (a field to fix, 429, 503) replaces the page, as an
     ordinary send would.
   - The "sent" page: the report is remembered for "Laporan saya". */
(function () {
  "use strict";

  var outbox = window.AduanOutbox;
  if (!outbox || !outbox.supported) return;

  var sent = document.querySelector("[data-report-number]");
  if (sent) {
    outbox.remember({
      number: sent.dataset.reportNumber,
      secret: sent.dataset.reportSecret,
      link: sent.dataset.reportLink
    }).catch(function () {});
  }

  var panel = document.getElementById("outbox");
  var form = document.querySelector("form.report-form");
  var sending = {}; // key -> true while the entry is on its way
  var sentHere = []; // [{key, number, link}] sent while this page was open
  var stopListening = function () {};
  var timer = null;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function time(ms) {
    return new Date(ms).toLocaleString(document.documentElement.lang || undefined, { dateStyle: "medium", timeStyle: "short" });
  }

  function field(entry, name) {
    var found = entry.fields.filter(function (f) { return f[0] === name; })[0];
    return found ? found[1] : "";
  }

  function render() {
    if (!panel) return Promise.resolve();
    var words = panel.dataset;
    var list = panel.querySelector(".outbox-list");
    return outbox.waiting().then(function (entries) {
      entries.sort(function (a, b) { return a.savedAt - b.savedAt; });
      list.textContent = "";
      entries.forEach(function (entry) {
        var item = element("li", "outbox-item outbox-" + entry.state);
        if (entry.state === "refused") {
          item.appendChild(element("strong", "", words.refused));
          if (entry.message) item.appendChild(element("p", "errorlist nonfield", entry.message));
          item.appendChild(element("blockquote", "message", field(entry, "description")));
          var discard = element("button", "btn", words.remove);
          discard.type = "button";
          discard.addEventListener("click", function () { outbox.discard(entry.key).then(render); });
          item.appendChild(discard);
        } else {
          item.appendChild(element("strong", "", sending[entry.key] ? words.sending : words.waiting));
        }
        item.appendChild(element("span", "muted", entry.summary + " · " + words.savedAt + " " + time(entry.savedAt)));
        list.appendChild(item);
      });
      sentHere.forEach(function (report) {
        var item = element("li", "outbox-item outbox-sent");
        item.appendChild(element("span", "", words.sent + " "));
        item.appendChild(element("strong", "tracking-number", report.number));
        var open = element("a", "btn btn-primary", words.open);
        open.href = report.link;
        item.appendChild(open);
        list.appendChild(item);
      });
      panel.hidden = !(entries.length || sentHere.length);
    });
  }

  function retry() {
    if (navigator.onLine === false) return;
    outbox.flush().then(render, render);
  }

  if (panel) {
    stopListening = outbox.listen(function (change) {
      if (change.type === "sending") sending[change.key] = true;
      else delete sending[change.key];
      if (change.type === "sent") sentHere.push(change);
      render();
    });
    window.addEventListener("online", retry);
    timer = window.setInterval(retry, 30000);
    render().then(retry);
  }

  if (!form) return;

  var button = form.querySelector("button[type=submit]");
  var label = button.textContent;
  var keyInput = form.querySelector("input[name=submission_key]");
  var busy = false;

  function done() {
    busy = false;
    button.disabled = false;
    button.textContent = label;
  }

  function keep(entry) {
    return outbox.queue(entry).then(function () {
      form.reset();
      // A new key for the next report: the kept one is on its way under the old key.
      if (keyInput) keyInput.value = outbox.freshKey();
      done();
      return render();
    }).then(function () {
      var title = document.getElementById("outbox-title");
      if (title) {
        title.scrollIntoView();
        title.focus();
      }
    });
  }

  // Another answer than "sent": the server's page, as the ordinary send would have shown it.
  function replace(html) {
    stopListening();
    window.clearInterval(timer);
    document.open();
    document.write(html);
    document.close();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    button.disabled = true;
    button.textContent = button.dataset.sending || label;
    outbox.fromForm(form).then(function (entry) {
      if (navigator.onLine === false) return keep(entry);
      return outbox.send(entry).then(function (result) {
        if (result.state === "sent") {
          window.location.assign(result.url); // the "sent" page remembers it
        } else if (result.html) {
          replace(result.html);
        } else {
          return keep(entry); // the server asked to wait (429, 5xx without a page): later
        }
      }, function () {
        return keep(entry); // no network on the way, or the answer was lost
      });
    }).catch(function () {
      // The device could not keep it (IndexedDB refused, storage full): send the ordinary way.
      done();
      HTMLFormElement.prototype.submit.call(form);
    });
  });
})();
