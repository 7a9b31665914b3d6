/* The portal's small enhancements; every page works without them.
   - copy buttons ([data-copy]) for the private link;
   - "Gunakan lokasi saya" (navigator.geolocation) and "Pilih di peta", a Leaflet map to
     tap a pin on, both filling the hidden latitude/longitude inputs. The map's files load
     only when it is opened (a cheap phone's first load carries none); its ground is the
     configured tiles or, without them, the kelurahan centres (map-base.js). */
(function () {
  "use strict";

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.querySelector(button.dataset.copy);
    if (!input) return;
    button.hidden = false;
    function copied() { button.textContent = button.dataset.copied; }
    button.addEventListener("click", function () {
      // The Clipboard API needs HTTPS; on plain HTTP fall back to selecting the text.
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(copied);
      } else {
        input.select();
        if (document.execCommand && document.execCommand("copy")) copied();
      }
    });
  });

  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  if (!lat || !lng) return;
  var status = document.getElementById("locate-status");
  var marker = null;
  var map = null;

  function setPoint(latitude, longitude) {
    lat.value = latitude.toFixed(6);
    lng.value = longitude.toFixed(6);
    // Hidden inputs fire no change of their own: the nearby reports (submit.html) listen for it.
    lng.dispatchEvent(new Event("change", { bubbles: true }));
    if (map) {
      if (marker) marker.setLatLng([latitude, longitude]);
      else marker = window.L.marker([latitude, longitude]).addTo(map);
      map.setView([latitude, longitude], Math.max(map.getZoom(), 16));
    }
  }

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { node[name] = attributes[name]; });
      node.onload = resolve;
      node.onerror = reject;
      document.head.appendChild(node);
    });
  }

  var config = document.getElementById("map-config");
  var showMap = document.getElementById("show-map");
  if (config && showMap) {
    var c = JSON.parse(config.textContent);
    showMap.hidden = false;
    showMap.addEventListener("click", function () {
      showMap.disabled = true;
      status.textContent = showMap.dataset.loading;
      var files = c.files.css.map(function (href) { return load("link", { rel: "stylesheet", href: href }); });
      // In order: map-base.js needs Leaflet.
      var scripts = c.files.js.reduce(function (previous, src) {
        return previous.then(function () { return load("script", { src: src }); });
      }, Promise.resolve());
      Promise.all(files.concat([scripts])).then(function () {
        var box = document.getElementById("map");
        box.hidden = false;
        map = window.L.map(box, { maxZoom: 19 }).setView(c.center, 14);
        window.AduanMapBase(map, c);
        map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng); });
        if (lat.value && lng.value) setPoint(parseFloat(lat.value), parseFloat(lng.value));
        showMap.hidden = true;
        status.textContent = "";
      }, function () {
        showMap.disabled = false;
        status.textContent = showMap.dataset.fail;
      });
    });
  }

  var locate = document.getElementById("locate");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = locate.dataset.wait;
      navigator.geolocation.getCurrentPosition(function (pos) {
        setPoint(pos.coords.latitude, pos.coords.longitude);
        status.textContent = locate.dataset.ok;
      }, function () {
        status.textContent = locate.dataset.fail;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
})();
