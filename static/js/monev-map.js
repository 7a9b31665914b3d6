// The monev map: one circle per kelurahan at the mean of its reports' points, sized by the
// number of reports, each opening the list behind it. Tiles only when ADUAN_MAP_TILE_URL is set.
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("monev-map");
    var data = document.getElementById("monev-map-data");
    if (!box || !data || !window.L) return;
    var points = JSON.parse(data.textContent);
    var centre = box.dataset.center.split(",").map(Number);
    var map = L.map(box).setView(centre, 13);
    if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map);
    }
    var peak = Math.max.apply(null, points.map(function (p) { return p.n; }).concat([1]));
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lng], {
        radius: 6 + 18 * Math.sqrt(p.n / peak), color: "#0b5cad", fillOpacity: 0.45, weight: 1,
      }).addTo(map);
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name + ": " + p.n;
      marker.bindPopup(link);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length > 1) map.fitBounds(bounds, { padding: [20, 20] });
    else if (bounds.length === 1) map.setView(bounds[0], 14);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
