/* The portal's small enhancements; every page works without them.
   - copy buttons ([data-copy]) for the private link;
   - "Gunakan lokasi saya" (navigator.geolocation) and, when tiles are configured,
     a Leaflet map pin, both filling the hidden latitude/longitude inputs. */
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

  var config = document.getElementById("map-config");
  if (config && window.L) {
    var c = JSON.parse(config.textContent);
    map = window.L.map("map").setView(c.center, 14);
    window.L.tileLayer(c.tiles, { attribution: c.attribution, maxZoom: 19 }).addTo(map);
    if (lat.value && lng.value) setPoint(parseFloat(lat.value), parseFloat(lng.value));
    map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng); });
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
