/* On every resident page (base.html; not the staff's): the installable app.
   - Writes the display mode the page runs in into the report form's hidden field
     (input[data-display-mode]): "standalone" and the like in the installed app, "browser"
     in a tab. The server counts the installed app's reports as the android channel
     (portal/pwa.py, channel_for).
   - Registers the service worker (/sw.js, scope /) once the page has loaded, so it never
     competes with the page's own first requests, and asks it to send the reports still
     waiting on this device: the retry "on the next open" for browsers without Background
     Sync. */
(function () {
  "use strict";

  var script = document.currentScript;
  var modes = ["fullscreen", "standalone", "minimal-ui"];
  var mode = "browser";
  for (var i = 0; i < modes.length; i++) {
    if (window.matchMedia && window.matchMedia("(display-mode: " + modes[i] + ")").matches) {
      mode = modes[i];
      break;
    }
  }
  if (mode === "browser" && window.navigator.standalone === true) mode = "standalone"; // iOS home screen
  document.querySelectorAll("input[data-display-mode]").forEach(function (input) {
    input.value = mode;
  });

  if (!("serviceWorker" in navigator) || !script || !script.dataset.serviceWorker) return;

  function askToSend() {
    if (navigator.onLine === false) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "flush" });
    });
  }

  function register() {
    navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" }).then(askToSend, function () {});
  }

  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
  window.addEventListener("online", askToSend);
})();
