/* The reports kept on this device (IndexedDB "aduan"), for the pages and the worker (sw.js
   loads this file; only fromForm touches the DOM):
   - "outbox": reports written without a connection, under the form's one-time key. They
     are sent through the ordinary form; the server answers a key it knows with the report
     it made, so a retry after a lost answer never makes a second report;
   - "mine": reports sent from here (number, private link, last status) for "Laporan saya".
   Changes are announced on the BroadcastChannel "aduan-outbox". */
(function (global) {
  "use strict";

  var DB_NAME = "aduan";
  var MAX_SIDE = 1600; // px, the photo's long side (issue 19: ≤ 1600 px, about 300 KB)
  var QUALITY = 0.8;
  var KEEP_BYTES = 400 * 1024; // a photo already smaller than this and ≤ MAX_SIDE is sent as it is
  var LOCK = "aduan-outbox";

  var supported = typeof indexedDB !== "undefined" && typeof fetch === "function" && typeof FormData === "function";

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("outbox", { keyPath: "key" });
        request.result.createObjectStore("mine", { keyPath: "secret" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  // One transaction on one store; ``work`` returns the IDBRequest whose result is answered.
  async function withStore(name, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const request = work(tx.objectStore(name));
      tx.oncomplete = () => { db.close(); resolve(request.result); };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
    });
  }

  const all = (name) => withStore(name, "readonly", (s) => s.getAll());
  const put = (name, value) => withStore(name, "readwrite", (s) => s.put(value));
  const remove = (name, key) => withStore(name, "readwrite", (s) => s.delete(key));

  // A page's listener is another BroadcastChannel object than this sender, so it hears too.
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(LOCK) : null;
  function changed(what) {
    if (channel) channel.postMessage(what);
    else if (global.dispatchEvent && typeof CustomEvent === "function") {
      global.dispatchEvent(new CustomEvent(LOCK, { detail: what }));
    }
  }
  function listen(callback) {
    if (channel) {
      const ear = new BroadcastChannel(LOCK);
      ear.onmessage = (e) => callback(e.data);
      return () => ear.close();
    }
    const handler = (e) => callback(e.detail);
    global.addEventListener(LOCK, handler);
    return () => global.removeEventListener(LOCK, handler);
  }

  function freshKey() {
    const bytes = global.crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // ------------------------------------------------------------------ photos

  // A photo redrawn at ≤ MAX_SIDE px as JPEG: a camera's 4–12 MB becomes a few hundred KB.
  // PDFs, and photos the browser cannot decode, go as they are.
  async function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || typeof createImageBitmap !== "function") return file;
    let bitmap;
    try { bitmap = await createImageBitmap(file); } catch (e) { return file; }
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size <= KEEP_BYTES) { bitmap.close(); return file; }
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG gets white, not black
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
    if (!blob || (scale === 1 && blob.size >= file.size)) return file;
    const name = (file.name || "foto").replace(/\.[^.]*$/, "") + ".jpg";
    return new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
  }

  // The form as an outbox entry: its fields, its files (photos shrunk) and its one-time key.
  async function fromForm(form) {
    const data = new FormData(form);
    let fields = [];
    const files = [];
    for (const [name, value] of data) {
      if (typeof value === "string") fields.push([name, value]);
      else if (value.name || value.size) files.push({ field: name, file: value }); // not an empty input
    }
    let key = data.get("submission_key") || "";
    if (!/^[0-9a-f]{32}$/.test(key)) {
      key = freshKey();
      fields = fields.filter((f) => f[0] !== "submission_key").concat([["submission_key", key]]);
    }
    const text = (data.get("title") || data.get("description") || "").trim();
    return {
      key: key,
      action: form.action,
      fields: fields,
      files: await Promise.all(files.map(async (f) => {
        const file = await shrink(f.file);
        return { field: f.field, name: file.name, blob: file };
      })),
      summary: text.length > 90 ? text.slice(0, 89) + "…" : text,
      savedAt: Date.now(),
      state: "waiting"
    };
  }

  // ------------------------------------------------------------------ sending

  function attribute(html, name) {
    const match = new RegExp(name + '="([^"]*)"').exec(html);
    return match ? match[1].replace(/&amp;/g, "&") : "";
  }

  // The words of the form's error messages, for a report the server did not take.
  function errors(html) {
    const found = new Set();
    for (const match of html.matchAll(/<(?:div class="alert"[^>]*|li)>([\s\S]*?)<\/(?:div|li)>/g)) {
      const text = match[1].replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
      if (text && text.length < 300) found.add(text);
    }
    return Array.from(found).join(" ");
  }

  /* Post one entry as the form. Rejects without a network; answers {state: "sent", number,
     secret, link, url} (a known key's report included), {state: "later", html} (429, 5xx)
     or {state: "refused", message, html} (the input). A 403 (the CSRF cookie was cleared
     or renewed while the report waited) is tried once more with a fresh token. */
  async function send(entry, retried) {
    const body = new FormData();
    entry.fields.forEach((f) => body.append(f[0], f[1]));
    entry.files.forEach((f) => body.append(f.field, f.blob, f.name));
    const response = await fetch(entry.action, { method: "POST", body: body, credentials: "same-origin" });
    const html = await response.text();
    const number = attribute(html, "data-report-number");
    if (response.ok && number) {
      return {
        state: "sent", number: number, url: response.url,
        secret: attribute(html, "data-report-secret"), link: attribute(html, "data-report-link")
      };
    }
    if (response.status === 403 && !retried) {
      const page = await (await fetch(entry.action, { credentials: "same-origin", cache: "no-store" })).text();
      const token = attribute(page, 'name="csrfmiddlewaretoken" value');
      if (token) {
        entry.fields = entry.fields.map((f) => (f[0] === "csrfmiddlewaretoken" ? [f[0], token] : f));
        return send(entry, true);
      }
    }
    const later = response.status === 429 || response.status >= 500;
    return { state: later ? "later" : "refused", status: response.status, html: html, message: errors(html) };
  }

  async function remember(report) {
    const known = await withStore("mine", "readonly", (s) => s.get(report.secret)); // the sent page seen again
    await put("mine", Object.assign({ sentAt: Date.now(), status: "", statusLabel: "", checkedAt: 0 }, known, {
      secret: report.secret,
      number: report.number,
      link: report.link,
      queued: Boolean(report.queued || (known && known.queued))
    }));
    changed({ type: "mine" });
  }

  async function queue(entry) {
    await put("outbox", entry);
    changed({ type: "queued", key: entry.key });
    // Background Sync: the worker sends when the connection returns, the page closed or not.
    try {
      const registration = await navigator.serviceWorker.getRegistration();
      if (registration && registration.sync) await registration.sync.register(LOCK);
    } catch (e) { /* no worker, or no Background Sync: the pages retry */ }
  }

  /* Send the waiting entries, oldest first, one sender at a time (Web Locks; the one-time
     key makes a double send harmless anyway); stop at the first network failure or when
     the server asks to wait. Answers how many still wait. */
  async function run() {
    const waiting = (await all("outbox")).filter((e) => e.state !== "refused");
    waiting.sort((a, b) => a.savedAt - b.savedAt);
    let left = waiting.length;
    for (const entry of waiting) {
      changed({ type: "sending", key: entry.key });
      let result;
      try { result = await send(entry); } catch (e) {
        changed({ type: "offline", key: entry.key });
        break;
      }
      if (result.state === "later") break;
      left -= 1;
      if (result.state === "sent") {
        await remember({ secret: result.secret, number: result.number, link: result.link, queued: true });
        await remove("outbox", entry.key);
        changed({ type: "sent", key: entry.key, number: result.number, link: result.link });
      } else {
        entry.state = "refused";
        entry.message = result.message;
        await put("outbox", entry);
        changed({ type: "refused", key: entry.key });
      }
    }
    return left;
  }

  function flush() {
    return navigator.locks && navigator.locks.request ? navigator.locks.request(LOCK, run) : run();
  }

  global.AduanOutbox = {
    supported: supported,
    fromForm: fromForm,
    queue: queue,
    send: send,
    flush: flush,
    remember: remember,
    freshKey: freshKey,
    listen: listen,
    waiting: () => all("outbox"),
    mine: () => all("mine"),
    update: (record) => put("mine", record),
    forget: (secret) => remove("mine", secret).then(() => changed({ type: "mine" })),
    discard: (key) => remove("outbox", key).then(() => changed({ type: "discarded", key: key }))
  };
})(self);
