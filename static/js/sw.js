/* The service worker of the residents' app, served at /sw.js by portal/pwa.py, which writes
   self.ADUAN in front of this file: version, shell (static URLs), pages, form, offline, keep
   (patterns of pages kept once visited), blank (fragments answered empty without a
   connection: the reports near the pin), outbox (the URL of outbox.js).
   - install: keeps the shell (stylesheet, scripts, icons) and the pages that must open
     without a connection: the form, "Laporan saya", the offline page;
   - static files of the shell: from the kept copy (their names change with their content
     in production; a new version of the worker keeps the new ones and drops the old);
   - the form, "Laporan saya" and the pages in ADUAN.keep (the resident's report pages,
     the form's htmx lists, the status API): network first, the kept copy without a
     connection. The kept form gets a fresh one-time key each time it is served, so two
     reports written offline never share one;
   - any other resident page without a connection: the offline page. The staff's pages
     (/kerja/), the admin and POSTs are never touched;
   - sync ("aduan-outbox", Background Sync) and a page's {type: "flush"}: send the reports
     waiting on the device (outbox.js). */
/* global AduanOutbox */
"use strict";

importScripts(self.ADUAN.outbox);

var SHELL_CACHE = "aduan-shell-" + self.ADUAN.version;
var PAGES_CACHE = "aduan-pages"; // outlives versions: the resident's report pages stay
var shell = new Set(self.ADUAN.shell);
var keep = self.ADUAN.keep.map(function (source) { return new RegExp(source); });
var pages = new Set(self.ADUAN.pages);
var blank = new Set(self.ADUAN.blank);
var staff = /^\/(kerja|admin)\//;

self.addEventListener("install", function (event) {
  event.waitUntil(Promise.all([
    caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(self.ADUAN.shell); }),
    caches.open(PAGES_CACHE).then(function (cache) { return cache.addAll(self.ADUAN.pages); })
  ]).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("aduan-shell-") === 0 && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// The cache key of a page: the form without its query (the app starts at /lapor/?sumber=app).
function pageKey(url) {
  return url.pathname === self.ADUAN.form ? url.origin + url.pathname : url.href;
}

// The kept form, with a fresh one-time submission key in place of the one it was kept with.
function withFreshKey(response) {
  return response.text().then(function (html) {
    html = html.replace(/(name="submission_key" value=")[0-9a-f]{32}"/, "$1" + AduanOutbox.freshKey() + '"');
    return new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
  });
}

function offlinePage() {
  return caches.match(self.ADUAN.offline).then(function (page) { return page || Response.error(); });
}

function networkFirst(request, url) {
  return caches.open(PAGES_CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok && response.type === "basic") cache.put(pageKey(url), response.clone());
      return response;
    }, function (error) {
      return cache.match(pageKey(url)).then(function (kept) {
        if (kept) return url.pathname === self.ADUAN.form ? withFreshKey(kept) : kept;
        if (request.mode === "navigate") return offlinePage();
        throw error;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || staff.test(url.pathname)) return;
  if (shell.has(url.pathname)) {
    event.respondWith(caches.match(request, { cacheName: SHELL_CACHE }).then(function (kept) {
      return kept || fetch(request);
    }));
  } else if (blank.has(url.pathname)) {
    event.respondWith(fetch(request).catch(function () {
      return new Response("", { headers: { "Content-Type": "text/html; charset=utf-8" } });
    }));
  } else if (pages.has(url.pathname) || keep.some(function (pattern) { return pattern.test(url.pathname); })) {
    event.respondWith(networkFirst(request, url));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
  }
});

function flush() {
  return AduanOutbox.flush().then(function (left) {
    // Still waiting for the network: a rejected sync is tried again later by the browser.
    if (left) throw new Error(left + " report(s) still waiting for a connection");
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "aduan-outbox") event.waitUntil(flush());
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "flush") event.waitUntil(flush().catch(function () {}));
});
