/* The home map: cameras loaded by viewport (points or server-side clusters), filters kept in the URL,
   a municipality search, a density layer and locate-me. Everything comes from our own origin. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var common = window.MapCommon;
  var escapeHtml = common.escapeHtml;
  var data = el.dataset;
  var REGION = common.jsonData(el, "regionWithMargin");  // Serbia and Kosovo with a margin; requests are clamped to it
  var CONE_ZOOM = 17;
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 2 });
  var params = new URLSearchParams(window.location.search);
  var filterForm = document.getElementById("map-filters");
  var statusLine = document.getElementById("map-status");
  var legend = document.getElementById("map-legend");

  // The zoom buttons where a thumb reaches them; the panel (search, layers, filters) across the top. The base map
  // waits for the first cameras (or the density layer), at most BASE_WAIT_MS: they are what the page is for.
  var BASE_WAIT_MS = 1500;
  var firstDrawn;
  var baseAfter = new Promise(function (resolve) { firstDrawn = resolve; window.setTimeout(resolve, BASE_WAIT_MS); });
  var map = common.baseMap(el, { zoomControl: true, zoomPosition: "bottomright", minZoom: 6, zoomSnap: 0.5,
    baseAfter: baseAfter });
  el.leafletMap = map;  // for the layers other scripts add (declared-layer.js)
  var panel = document.getElementById("map-panel");
  var tools = document.getElementById("map-tools");
  // Open on a wide screen; on a phone it starts as one row, so the map has the screen.
  if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) { tools.open = true; }
  var view = (params.get("map") || "").split("/").map(Number);
  if (view.length === 3 && view.every(isFinite)) {
    map.setView([view[1], view[2]], view[0]);
  } else {
    // Keep the region clear of the panel that floats over the map's top edge.
    map.fitBounds(common.jsonData(el, "region"), { paddingTopLeft: [0, panel.offsetHeight] });
  }

  /* ---- filters <-> URL ---- */
  function filterParams() {
    var result = new URLSearchParams();
    Array.prototype.forEach.call(filterForm.elements, function (field) {
      if (field.name && field.value) { result.set(field.name, field.value); }
    });
    return result;
  }
  function restoreFilters() {
    Array.prototype.forEach.call(filterForm.elements, function (field) {
      if (field.name && params.get(field.name)) { field.value = params.get(field.name); }
    });
  }
  function saveUrl() {
    var query = filterParams();
    var centre = map.getCenter();
    query.set("map", map.getZoom() + "/" + centre.lat.toFixed(5) + "/" + centre.lng.toFixed(5));
    if (layerChoice() === "density") { query.set("layer", "density"); }
    var declared = new URLSearchParams(window.location.search).get("declared");  // declared-layer.js's choice
    if (declared) { query.set("declared", declared); }
    query.set("lang", document.documentElement.lang);
    window.history.replaceState(null, "", "?" + query.toString().replace(/%2F/g, "/"));
    common.refreshLanguageLinks();
    var active = Array.prototype.filter.call(filterForm.elements, function (f) { return f.name && f.value; }).length;
    document.getElementById("filter-count").textContent = active ? "(" + active + ")" : "";
  }

  /* ---- camera markers (map-markers.js) ---- */
  var markers = window.MapMarkers.create({ badgeFace: data.badgeFace, badgePlate: data.badgePlate, numbers: numbers });
  var cameraIcon = markers.cameraIcon, cone = markers.cone, clusterIcon = markers.clusterIcon;

  var cameraLayer = L.layerGroup().addTo(map);
  var pending = null;
  var firstViewUrl = data.firstViewUrl;  // set by the server only when the first view is the whole country
  function loadCameras() {
    if (layerChoice() !== "cameras") { return; }
    var bounds = map.getBounds();
    var south = Math.max(bounds.getSouth(), REGION[0][0]), west = Math.max(bounds.getWest(), REGION[0][1]);
    var north = Math.min(bounds.getNorth(), REGION[1][0]), east = Math.min(bounds.getEast(), REGION[1][1]);
    if (south >= north || west >= east) { cameraLayer.clearLayers(); return; }
    var query = filterParams();
    query.set("bbox", [west, south, east, north].map(function (v) { return v.toFixed(4); }).join(","));
    query.set("zoom", String(Math.floor(map.getZoom())));
    var url = data.camerasUrl + "?" + query.toString(), options = { headers: { Accept: "application/geo+json" } };
    if (firstViewUrl) {
      // The country view the page preloaded (app/maps/config.py country_view_url): the same request, so the browser
      // hands over what it already has.
      url = firstViewUrl; options = {};
      firstViewUrl = null;
    }
    if (pending) { pending.abort(); }
    pending = new AbortController();
    options.signal = pending.signal;
    el.dataset.camerasLoading = "1";
    fetch(url, options)
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(drawCameras)
      .catch(function (error) {
        if (error.name === "AbortError") { return; }
        statusLine.textContent = data.labelLoadFailed;
        delete el.dataset.camerasLoading;
        firstDrawn();
      });
  }
  /* Server clusters (grid cells, municipalities) can sit closer than their icons are wide; merge those
     that would overlap on screen, keeping the count and a count-weighted centre. */
  function mergeOverlapping(features) {
    var merged = [];
    features.forEach(function (feature) {
      var props = feature.properties;
      if (!props.cluster) { merged.push(feature); return; }
      var c = feature.geometry.coordinates, point = map.latLngToContainerPoint([c[1], c[0]]);
      for (var i = 0; i < merged.length; i++) {
        var other = merged[i];
        if (other.properties.cluster && other.point.distanceTo(point) < markers.hit + 4) {
          var n = other.properties.count + props.count, oc = other.geometry.coordinates;
          other.geometry = { type: "Point", coordinates: [(oc[0] * other.properties.count + c[0] * props.count) / n,
            (oc[1] * other.properties.count + c[1] * props.count) / n] };
          other.properties = { cluster: true, count: n };
          return;
        }
      }
      merged.push({ type: "Feature", geometry: feature.geometry, properties: props, point: point });
    });
    return merged;
  }
  function drawCameras(collection) {
    cameraLayer.clearLayers();
    var zoom = map.getZoom();
    mergeOverlapping(collection.features).forEach(function (feature) {
      var c = feature.geometry.coordinates, latlng = L.latLng(c[1], c[0]), props = feature.properties;
      if (props.cluster) {
        L.marker(latlng, { icon: clusterIcon(props.count), title: props.count + " " + data.labelCluster, keyboard: true })
          .on("click", function () {
            if (!props.municipality) { map.setView(latlng, Math.min(map.getMaxZoom(), zoom + 2)); return; }
            loadMunicipalities().then(function () {
              var area = findByCode(props.municipality);
              if (area) { map.fitBounds(L.geoJSON(area).getBounds()); } else { map.setView(latlng, Math.min(map.getMaxZoom(), zoom + 2)); }
            }, function () {});
          })
          .addTo(cameraLayer);
        return;
      }
      if (zoom >= CONE_ZOOM && props.direction != null) { cone(latlng, props.direction).addTo(cameraLayer); }
      L.marker(latlng, { icon: cameraIcon(props), title: data.labelCamera + " " + feature.id, keyboard: true })
        .on("click", function () { window.location.href = common.inLanguage(data.cameraPageUrl + feature.id); })
        .addTo(cameraLayer);
    });
    el.dataset.cameraKind = collection.kind;
    el.dataset.cameraTotal = String(collection.total);
    statusLine.textContent = numbers.format(collection.total) + " " + data.labelShown +
      (collection.kind !== "points" && collection.total ? " · " + data.labelClustered : "");
    delete el.dataset.camerasLoading;
    el.dataset.ready = "";
    firstDrawn();
  }

  /* ---- municipalities: outlines, density layer, search ----
     Their boundaries (GeoJSON, the largest download of the page) are fetched only when something needs them: the
     density layer, a search, a click on a municipality's cluster, or outlines a base map does not draw itself. */
  var outlines = null, density = null, municipalities = [], municipalitiesLoading = null;
  var baseDrawsOutlines = common.jsonData(el, "basemap").outlines;
  var COLOURS = common.jsonData(el, "palette");  // one per class, the palest for no cameras
  function quantiles(values) {
    var positive = values.filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
    var breaks = [];
    for (var i = 1; i <= 5 && positive.length; i++) {
      var v = positive[Math.min(positive.length - 1, Math.max(0, Math.round(i * positive.length / 5) - 1))];
      if (!breaks.length || v > breaks[breaks.length - 1]) { breaks.push(v); }
    }
    return breaks;
  }
  /* A figure readable at any size, as profiles.format_figure writes it: 1,234 · 12.5 · 0.76 · 0.0021 (small
     densities keep two significant digits, so no class reads "0"). */
  var small = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumSignificantDigits: 2 });
  function figure(value) {
    return value === 0 || value >= 1 ? numbers.format(value) : small.format(value);
  }
  function classOf(value, breaks) {
    if (!value) { return 0; }
    for (var i = 0; i < breaks.length; i++) { if (value <= breaks[i]) { return i + 1; } }
    return breaks.length;
  }
  function densityTooltip(p) {
    var html = "<strong>" + escapeHtml(common.placeName(p)) + "</strong><br>" +
      escapeHtml(data.labelCameras) + ': <span class="tip-count">' + numbers.format(p.cameras) + "</span><br>" +
      numbers.format(p.cameras_per_km2 || 0) + " " + escapeHtml(data.labelPerKm2) + "<br>";
    html += p.population_unreliable ? '<span class="warn">' + escapeHtml(data.labelUnreliable) + "</span>"
      : numbers.format(p.cameras_per_10k || 0) + " " + escapeHtml(data.labelPerTenThousand);
    if (p.facial_recognition) { html += "<br>" + escapeHtml(data.labelFacial) + ": " + numbers.format(p.facial_recognition); }
    return html;
  }
  function buildLayers(collection) {
    municipalities = collection.features;
    outlines = baseDrawsOutlines ? null : L.geoJSON(collection, {
      interactive: false,
      style: function (f) {
        return { color: "#3b4a5a", weight: 1, opacity: 0.6, fill: false, dashArray: f.properties.population_unreliable ? "4 3" : null };
      }
    });
    var breaks = quantiles(municipalities.map(function (f) { return f.properties.cameras_per_km2; }));
    density = L.geoJSON(collection, {
      style: function (f) {
        return { color: "#4a4a4a", weight: 0.8, fillOpacity: 0.75, fillColor: COLOURS[classOf(f.properties.cameras_per_km2, breaks)] };
      },
      onEachFeature: function (feature, layer) {
        feature.layer = layer;
        layer.bindTooltip(densityTooltip(feature.properties), { sticky: true, className: "muni-tooltip" });
        layer.on("click", function () { window.location.href = common.inLanguage(data.municipalityPageUrl + encodeURIComponent(feature.properties.code)); });
      }
    });
    // Classes as the municipalities page writes them (app/municipalities/profiles.py): "0", then "lower – upper".
    legend.innerHTML = "<strong>" + escapeHtml(data.labelCameras) + " " + escapeHtml(data.labelPerKm2) + "</strong>" +
      [0].concat(breaks).map(function (upper, i) {
        var label = i === 0 ? "0" : figure(i === 1 ? 0 : breaks[i - 2]) + " – " + figure(upper);
        return '<span><i style="background:' + COLOURS[i] + '"></i>' + label + "</span>";
      }).join("");
    if (!baseDrawsOutlines) { map.attributionControl.addAttribution(escapeHtml(data.boundaryAttribution)); }
    el.dataset.municipalitiesLoaded = String(municipalities.length);
    placeLayers();
  }
  function loadMunicipalities() {
    if (!municipalitiesLoading) {
      municipalitiesLoading = fetch(data.municipalitiesUrl, { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(buildLayers)
        .catch(function (error) {
          municipalitiesLoading = null;  // a later need tries again
          el.dataset.municipalitiesError = String(error);
          statusLine.textContent = data.labelLoadFailed;
          throw error;
        });
    }
    return municipalitiesLoading;
  }

  var CYRILLIC = { а: "a", б: "b", в: "v", г: "g", д: "d", ђ: "đ", е: "e", ж: "ž", з: "z", и: "i", ј: "j", к: "k",
    л: "l", љ: "lj", м: "m", н: "n", њ: "nj", о: "o", п: "p", р: "r", с: "s", т: "t", ћ: "ć", у: "u", ф: "f",
    х: "h", ц: "c", ч: "č", џ: "dž", ш: "š" };
  function fold(text) {
    return (text || "").toLowerCase().replace(/[\u0400-\u04ff]/g, function (ch) { return CYRILLIC[ch] || ch; })
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "dj").trim();
  }
  function findByCode(code) {
    for (var i = 0; i < municipalities.length; i++) {
      if (municipalities[i].properties.code === code) { return municipalities[i]; }
    }
    return null;
  }
  function findMunicipality(query) {
    var wanted = fold(query), starts = null;
    for (var i = 0; i < municipalities.length; i++) {
      var p = municipalities[i].properties;
      var names = [p.name, p.name_cyrillic, p.name_sq, p.name_en].map(fold);
      if (names.indexOf(wanted) >= 0) { return municipalities[i]; }
      if (!starts && wanted && names.some(function (n) { return n && n.indexOf(wanted) === 0; })) { starts = municipalities[i]; }
    }
    return starts;
  }
  document.getElementById("map-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("municipality-search");
    loadMunicipalities().then(function () { showMunicipality(input); }, function () {});
  });
  function showMunicipality(input) {
    var found = findMunicipality(input.value);
    if (!found) { statusLine.textContent = data.labelNotFound; return; }
    input.value = common.placeName(found.properties);
    if (layerChoice() === "density" && found.layer) {
      // Registered first: fitBounds may finish (and fire moveend) before it returns.
      map.once("moveend", function () { found.layer.openTooltip(found.layer.getBounds().getCenter()); });
    }
    map.fitBounds(L.geoJSON(found).getBounds());
  }

  /* ---- layer switch ---- */
  function layerChoice() {
    var checked = document.querySelector('input[name="layer"]:checked');
    return checked ? checked.value : "cameras";
  }
  /* The chosen layer on the map; the boundaries' layers once they are here (buildLayers calls this again). */
  function placeLayers() {
    var choice = layerChoice();
    el.dataset.layer = choice;
    legend.hidden = choice !== "density";
    if (choice === "density") {
      map.removeLayer(cameraLayer);
      statusLine.textContent = "";
      if (outlines) { map.removeLayer(outlines); }
      if (density) { density.addTo(map); el.dataset.ready = ""; firstDrawn(); }
    } else {
      if (density) { map.removeLayer(density); }
      if (outlines) { outlines.addTo(map); }
      cameraLayer.addTo(map);
    }
  }
  function showLayer() {
    placeLayers();
    if (!density && (layerChoice() === "density" || !baseDrawsOutlines)) { loadMunicipalities().catch(function () {}); }
    loadCameras();  // does nothing on the density layer
  }
  Array.prototype.forEach.call(document.querySelectorAll('input[name="layer"]'), function (radio) {
    if (params.get("layer") === radio.value) { radio.checked = true; }
    radio.addEventListener("change", function () { showLayer(); saveUrl(); });
  });

  /* ---- locate me ---- */
  var here = null;
  document.getElementById("locate-me").addEventListener("click", function () { map.locate({ setView: true, maxZoom: 16 }); });
  map.on("locationfound", function (event) {
    if (here) { map.removeLayer(here); }
    here = L.circle(event.latlng, { radius: event.accuracy, className: "you-are-here", interactive: false }).addTo(map);
  });
  map.on("locationerror", function () { statusLine.textContent = data.labelLocateFailed; });

  /* ---- wiring ---- */
  restoreFilters();
  var timer = null;
  map.on("moveend", function () {
    saveUrl();
    window.clearTimeout(timer);
    timer = window.setTimeout(loadCameras, 150);
  });
  filterForm.addEventListener("change", function () { saveUrl(); loadCameras(); });
  filterForm.addEventListener("reset", function () { window.setTimeout(function () { saveUrl(); loadCameras(); }, 0); });
  saveUrl();
  showLayer();
})();
