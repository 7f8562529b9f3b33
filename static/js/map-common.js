/* What the pages with a Leaflet map share (map.js, report.js, moderation.js): the base map with the tiles the
   server configured, settings the server wrote into the map element's data attributes
   (templates/partials/map.html) and text escaped for HTML. Loaded after leaflet.js, before the page's script. */
(function () {
  "use strict";

  /* A Leaflet map on `el` (options as for L.map) with the base-map tiles of its data-tile-* attributes and no
     "Leaflet" link before the attribution. */
  function baseMap(el, options) {
    var data = el.dataset;
    var map = L.map(el, options);
    map.attributionControl.setPrefix(false);
    L.tileLayer(data.tileUrl, {
      maxZoom: Number(data.tileMaxZoom) || 19,
      attribution: data.tileAttribution
    }).addTo(map);
    return map;
  }

  /* A data attribute the server wrote as JSON, by its dataset name: jsonData(el, "palette") for data-palette. */
  function jsonData(el, name) {
    return JSON.parse(el.dataset[name]);
  }

  /* `text` (null and undefined as "") made safe to put inside HTML. */
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  window.MapCommon = { baseMap: baseMap, jsonData: jsonData, escapeHtml: escapeHtml };
})();
