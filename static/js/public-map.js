/* The public map (/peta/): the reports of the GeoJSON endpoint, clustered
   (leaflet.markercluster), each opening its public page. Tiles come from the
   ADUAN_MAP_TILE_URL setting like the monev map's; without it a plain base layer is drawn
   from the kelurahan centres the installation knows, so the map still shows where things
   are. "Dekat saya" reloads the page with the phone's position (?near=lat,lng), which the
   server uses to list the reports near it, nearest first. The list works without this file. */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function popup(p, labels) {
    var box = el("div", "pm-popup");
    var link = el("a", "pm-title", p.title || p.number);
    link.href = p.url;
    box.appendChild(link);
    box.appendChild(el("div", "pm-meta", [p.number, p.status_label, p.category, p.region].filter(Boolean).join(" · ")));
    if (p.supports) box.appendChild(el("div", "pm-meta", p.supports + " " + labels.supports));
    if (p.coarse) box.appendChild(el("div", "pm-meta pm-coarse-note", labels.coarse));
    return box;
  }

  function draw() {
    var box = document.getElementById("public-map");
    var configNode = document.getElementById("public-map-config");
    if (!box || !configNode || !window.L || !L.markerClusterGroup) return;
    var config = JSON.parse(configNode.textContent);
    var labels = box.dataset;
    // maxZoom on the map itself: without a tile layer nothing else sets it, and the cluster needs it.
    var map = L.map(box, { maxZoom: 19 }).setView(config.center, 13);
    window.AduanMapBase(map, config);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
    map.addLayer(cluster);
    var here = null;
    if (config.near) {
      here = L.circleMarker(config.near, { radius: 8, color: "#fff", weight: 3, fillColor: "#d93025", fillOpacity: 1 })
        .bindTooltip(labels.here).addTo(map);
    }
    fetch(config.data, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var points = [];
        data.features.forEach(function (f) {
          var p = f.properties;
          var latlng = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
          var icon = L.divIcon({
            className: "pm-pin pm-" + p.status + (p.coarse ? " pm-coarse" : ""),
            iconSize: [22, 22],
            iconAnchor: [11, 11],
            popupAnchor: [0, -10],
          });
          var marker = L.marker(latlng, { icon: icon, title: p.title || p.number, alt: p.title || p.number });
          marker.bindPopup(popup(p, labels));
          cluster.addLayer(marker);
          points.push(latlng);
        });
        box.dataset.loaded = String(points.length);
        // Without tiles the kelurahan discs are the only landmarks: keep them in view too.
        var frame = config.tiles ? points : points.concat(config.regions.map(function (r) { return [r.lat, r.lng]; }));
        if (here) map.setView(config.near, 15);
        else if (frame.length > 1) map.fitBounds(frame, { padding: [40, 40], maxZoom: 16 });
        else if (frame.length === 1) map.setView(frame[0], 15);
      })
      .catch(function () {
        box.parentNode.insertBefore(el("p", "alert", labels.nodata), box);
      });
  }

  function nearMe() {
    var button = document.getElementById("near-me");
    var form = document.getElementById("map-filters");
    var status = document.getElementById("near-status");
    if (!button || !form || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.wait;
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.near.value = pos.coords.latitude.toFixed(5) + "," + pos.coords.longitude.toFixed(5);
        form.submit();
      }, function () {
        status.textContent = button.dataset.fail;
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
    });
  }

  function start() {
    draw();
    nearMe();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
