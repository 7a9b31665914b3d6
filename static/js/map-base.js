/* The ground under every resident map (the public map and the form's pin): the configured
   tiles (ADUAN_MAP_TILE_URL) with their attribution, or, without a tile server (tests, an
   offline demo, an installation that turned tiles off), each kelurahan the installation
   knows as a pale disc with its name, so a map still shows where things are.
   window.AduanMapBase(map, {tiles, attribution, regions: [{name, lat, lng}]}) */
"use strict";
window.AduanMapBase = function (map, config) {
  var L = window.L;
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    return;
  }
  map.getContainer().classList.add("pm-plain");
  (config.regions || []).forEach(function (r) {
    L.circle([r.lat, r.lng], { radius: 450, color: "#9aa5b1", weight: 1, fillColor: "#dfe6ec", fillOpacity: 0.6, interactive: false })
      .bindTooltip(r.name, { permanent: true, direction: "bottom", offset: [0, 16], className: "pm-region-label" })
      .addTo(map);
  });
};
