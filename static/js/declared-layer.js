/* The home map's layers of the comparison with the declared lists: the declared locations, those not found yet,
   or the mapped cameras on no declared list, loaded by viewport from /api/v1/declared/layers/<layer>. A layer of
   its own, drawn as rings and squares, never as camera markers. Loaded after map.js. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var choice = document.getElementById("declared-layer");
  if (!el || !choice || !el.leafletMap) { return; }
  var map = el.leafletMap;
  var common = window.MapCommon;
  var escapeHtml = common.escapeHtml;
  var data = choice.dataset;
  var REGION = common.jsonData(el, "regionWithMargin");
  var status = document.getElementById("map-status");
  var layer = L.layerGroup().addTo(map);
  var pending = null;
  var params = new URLSearchParams(window.location.search);

  function popup(props) {
    if (props.camera) { return escapeHtml(data.labelMapped); }
    var place = [props.label, props.address].filter(Boolean).join(", ");
    return "<strong>" + escapeHtml(data.labelDeclared) + "</strong><br>" + escapeHtml(place) +
      (place ? "<br>" : "") + escapeHtml(props.source) + " (" + escapeHtml(props.document_date) + ")<br>" +
      escapeHtml(props.found ? data.labelFound : data.labelNotFound);
  }
  function marker(feature) {
    var c = feature.geometry.coordinates, props = feature.properties;
    var kind = props.camera ? "declared-mark mapped-not-declared" : "declared-mark declared" + (props.found ? " found" : " not-found");
    var icon = L.divIcon({ className: kind, html: "<span></span>", iconSize: [16, 16], iconAnchor: [8, 8] });
    var m = L.marker([c[1], c[0]], { icon: icon, keyboard: true, title: props.camera ? data.labelMapped : data.labelDeclared });
    if (props.camera) {
      m.on("click", function () { window.location.href = common.inLanguage(el.dataset.cameraPageUrl + props.camera); });
    } else {
      m.bindPopup(popup(props));
    }
    return m;
  }
  function load() {
    var wanted = choice.value;
    el.dataset.declaredLayer = wanted;
    delete el.dataset.declaredShown;  // set again when this layer has drawn
    if (!wanted) { layer.clearLayers(); return; }
    var b = map.getBounds();
    var south = Math.max(b.getSouth(), REGION[0][0]), west = Math.max(b.getWest(), REGION[0][1]);
    var north = Math.min(b.getNorth(), REGION[1][0]), east = Math.min(b.getEast(), REGION[1][1]);
    if (south >= north || west >= east) { layer.clearLayers(); return; }
    var query = new URLSearchParams();
    query.set("bbox", [west, south, east, north].map(function (v) { return v.toFixed(4); }).join(","));
    query.set("zoom", String(Math.floor(map.getZoom())));
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(data.url.replace("LAYER", wanted) + "?" + query.toString(), { signal: pending.signal, headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (collection) {
        layer.clearLayers();
        collection.features.forEach(function (feature) { marker(feature).addTo(layer); });
        el.dataset.declaredShown = String(collection.features.length);
        status.textContent = collection.total + " " + data.labelPoints + (collection.truncated ? " · " + data.labelTruncated : "");
      })
      .catch(function (error) { if (error.name !== "AbortError") { el.dataset.declaredError = String(error); } });
  }
  function remember() {
    var url = new URL(window.location.href);
    if (choice.value) { url.searchParams.set("declared", choice.value); } else { url.searchParams.delete("declared"); }
    window.history.replaceState(null, "", url.pathname + url.search.replace(/%2F/g, "/"));
    common.refreshLanguageLinks();
  }
  if (params.get("declared")) { choice.value = params.get("declared"); }
  choice.addEventListener("change", function () { remember(); load(); });
  map.on("moveend", function () { window.setTimeout(function () { remember(); load(); }, 0); });
  load();
})();
