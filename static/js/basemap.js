/* The base map under every map (the Leaflet pages and the Folium frames): our own vector tiles drawn on canvas by
   protomaps-leaflet (no WebGL), our own raster tiles, or the operator's tile server, as the server configured it
   (app/maps/config.py basemap_settings). The style below draws the layers of scripts/basemap/ (a street-level base
   built from OpenStreetMap) and of app/basemap/outline.py (the municipalities), one schema: README "Base map".
   Labels use Noto Sans, served by us (@fontsource/noto-sans), in the page's language and script. */
(function () {
  "use strict";

  var FONT = "\"Noto Sans\", sans-serif";
  // The name to show, by the page's language: OpenStreetMap's name:sr-Latn, name:sr, name:sq, name:en, then name.
  var NAME_FIELDS = {
    "sr-Latn": ["name_latn", "name"],
    "sr-Cyrl": ["name_cyrl", "name"],
    sq: ["name_sq", "name"],
    en: ["name_en", "name_latn", "name"]
  };
  // Letters the labels may need, per language: the font's subsets are loaded before the first tile is drawn.
  var SAMPLE_TEXT = { "sr-Latn": "AaČćĐđŠšŽž", "sr-Cyrl": "AaЂђЧчЉљ", sq: "AaËëÇç", en: "Aa" };

  var INK = "#5b5560";
  var HALO = "rgba(255, 255, 255, 0.9)";
  var LAND = "#f4f1ea";
  var WATER = "#a9cfdc";
  var LANDUSE = {
    park: "#d3e6c3", forest: "#c4dcb0", grass: "#dcebcf", cemetery: "#d5dccd",
    residential: "#ece7df", industrial: "#e6e0e7", farmland: "#eef0dc"
  };
  var ROAD = { motorway: "#f2b36d", trunk: "#f5c78e", primary: "#f8d9a8", secondary: "#fbeac6" };

  function nameFields() {
    return NAME_FIELDS[document.documentElement.lang] || ["name"];
  }

  function byZoom(stops) {  // [[zoom, value], ...] -> the value interpolated at z
    return function (z) {
      if (z <= stops[0][0]) { return stops[0][1]; }
      for (var i = 1; i < stops.length; i++) {
        if (z <= stops[i][0]) {
          var a = stops[i - 1], b = stops[i];
          return a[1] + (b[1] - a[1]) * (z - a[0]) / (b[0] - a[0]);
        }
      }
      return stops[stops.length - 1][1];
    };
  }

  function roadWidth(kind, z) {
    var major = kind === "motorway" || kind === "trunk" || kind === "primary";
    return byZoom(major ? [[6, 0.8], [10, 2], [14, 6], [18, 18]] : [[11, 0.5], [14, 3], [18, 14]])(z);
  }

  function paintRules(P) {
    var kind = function (f) { return f.props.kind; };
    return [
      { dataLayer: "landuse", symbolizer: new P.PolygonSymbolizer({
        fill: function (z, f) { return LANDUSE[kind(f)] || LAND; } }) },
      { dataLayer: "water", symbolizer: new P.PolygonSymbolizer({ fill: WATER }) },
      { dataLayer: "waterways", symbolizer: new P.LineSymbolizer({
        color: WATER, width: function (z, f) { return kind(f) === "river" ? byZoom([[8, 1], [14, 4], [18, 10]])(z) : 1; } }) },
      { dataLayer: "buildings", minzoom: 14, symbolizer: new P.PolygonSymbolizer({
        fill: "#e2dad0", stroke: "#cdc2b5", width: 0.5 }) },
      { dataLayer: "railways", symbolizer: new P.LineSymbolizer({ color: "#a3a0a6", width: 1.5, dash: [5, 3] }) },
      { dataLayer: "paths", minzoom: 15, symbolizer: new P.LineSymbolizer({ color: "#b9ab98", width: 1, dash: [3, 2] }) },
      { dataLayer: "streets", symbolizer: new P.LineSymbolizer({
        color: "#d2cbc1", width: function (z, f) { return roadWidth(kind(f), z) + 1; } }) },
      { dataLayer: "streets", symbolizer: new P.LineSymbolizer({
        color: function (z, f) { return ROAD[kind(f)] || "#ffffff"; },
        width: function (z, f) { return roadWidth(kind(f), z); } }) },
      { dataLayer: "roads", symbolizer: new P.LineSymbolizer({
        color: "#c9a77f", width: function (z, f) { return roadWidth(kind(f), z) + 1; } }) },
      { dataLayer: "roads", symbolizer: new P.LineSymbolizer({
        color: function (z, f) { return ROAD[kind(f)] || ROAD.primary; },
        width: function (z, f) { return roadWidth(kind(f), z); } }) },
      { dataLayer: "municipalities", symbolizer: new P.LineSymbolizer({
        color: "#8c7f99", width: byZoom([[5, 0.6], [10, 1.2], [16, 2]]), dash: [4, 3] }) }
    ];
  }

  var PLACE_SIZE = { city: [[5, 12], [12, 18]], town: [[8, 11], [14, 15]], municipality: [[6, 10], [12, 14]] };
  var PLACE_MINZOOM = { city: 5, town: 8, municipality: 7, suburb: 12, village: 11 };

  function labelRules(P) {
    var fields = nameFields();
    var text = function (options) {
      return new P.CenteredTextSymbolizer(Object.assign({ labelProps: fields, fill: INK, stroke: HALO, width: 2.5 },
        options));
    };
    return [
      { dataLayer: "places", symbolizer: text({
        font: function (z, f) {
          var size = byZoom(PLACE_SIZE[f.props.kind] || [[11, 10], [16, 13]])(z);
          return Math.round(size) + "px " + FONT;
        } }),
        filter: function (z, f) { return z >= (PLACE_MINZOOM[f.props.kind] || 13); },
        sort: function (a, b) { return (b.population || 0) - (a.population || 0); } },
      { dataLayer: "streets", minzoom: 15, symbolizer: new P.LineLabelSymbolizer({
        labelProps: fields, fill: INK, stroke: HALO, width: 2, font: "11px " + FONT }) }
    ];
  }

  /* The vector renderer, loaded when a map first needs it unless the page loaded it already (the Folium frames do):
     the page's own script runs, and sends its first requests, while the renderer is on its way. */
  var rendererWaiting = null;
  function withRenderer(src, callback) {
    if (window.protomapsL) { callback(); return; }
    if (!rendererWaiting) {
      rendererWaiting = [];
      var script = document.createElement("script");
      script.src = src;
      script.addEventListener("load", function () {
        rendererWaiting.forEach(function (waiting) { waiting(); });
        rendererWaiting = [];
      });
      document.head.appendChild(script);
    }
    rendererWaiting.push(callback);
  }

  /* Add the configured base map to a Leaflet map; `settings` as basemap_settings() wrote them. The layer is added
     when `after` (a promise, if given) settles. */
  function addTo(map, settings, after) {
    // The credit is shown at once, not when the layer arrives: a line added later would push the controls it
    // shares a corner with.
    if (map.attributionControl && settings.attribution) { map.attributionControl.addAttribution(settings.attribution); }
    var add = function () { addLayer(map, settings); };
    if (after) { after.then(add, add); } else { add(); }
    return map;
  }

  function addLayer(map, settings) {
    if (settings.kind === "vector") {
      withRenderer(settings.renderer, function () { addVectorLayer(map, settings); });
    } else if (settings.kind === "raster" || settings.kind === "external") {
      L.tileLayer(settings.url, {
        maxZoom: settings.maxZoom,
        maxNativeZoom: settings.maxDataZoom
      }).addTo(map);
    }
  }

  function addVectorLayer(map, settings) {
    var P = window.protomapsL;
    var sample = SAMPLE_TEXT[document.documentElement.lang] || "Aa";
    P.leafletLayer({
      url: settings.url,
      maxDataZoom: settings.maxDataZoom,
      maxZoom: settings.maxZoom,
      attribution: "",  // shown by addTo; left empty, not out: protomaps-leaflet would credit itself
      backgroundColor: LAND,
      paintRules: paintRules(P),
      labelRules: labelRules(P),
      tasks: [document.fonts ? document.fonts.load("12px " + FONT, sample) : Promise.resolve()]
    }).addTo(map);
  }

  window.Basemap = { addTo: addTo };
})();
