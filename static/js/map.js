/* The home map: base tiles from the configured URL, municipality boundaries from our API. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var data = el.dataset;

  var map = L.map(el, { zoomControl: true }).fitBounds([[41.85, 18.8], [46.19, 23.01]]);
  map.attributionControl.setPrefix(false);
  L.tileLayer(data.tileUrl, {
    maxZoom: Number(data.tileMaxZoom) || 19,
    attribution: data.tileAttribution
  }).addTo(map);

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function tooltip(props) {
    var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
    var html = "<strong>" + escapeHtml(props.name) + "</strong>";
    if (props.name_cyrillic) { html += escapeHtml(props.name_cyrillic) + "<br>"; }
    html += escapeHtml(data.labelPopulation) + ": " + numbers.format(props.population) +
      " (" + escapeHtml(props.population_year) + ")<br>" +
      escapeHtml(data.labelArea) + ": " + numbers.format(props.area_km2) + " km²";
    if (props.population_unreliable) {
      html += '<br><span class="warn">' + escapeHtml(data.labelUnreliable) + "</span>";
    }
    return html;
  }

  fetch(data.municipalitiesUrl, { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        style: function (feature) {
          return {
            color: "#3b4a5a", weight: 1, fillColor: "#8da2b5",
            fillOpacity: feature.properties.population_unreliable ? 0.02 : 0.08,
            dashArray: feature.properties.population_unreliable ? "4 3" : null
          };
        },
        onEachFeature: function (feature, featureLayer) {
          featureLayer.bindTooltip(tooltip(feature.properties), { sticky: true, className: "muni-tooltip" });
        }
      }).addTo(map);
      map.attributionControl.addAttribution(escapeHtml(data.boundaryAttribution));
      el.dataset.municipalitiesLoaded = String(collection.features.length);
      return layer;
    })
    .catch(function (error) {
      el.dataset.municipalitiesError = String(error);
    });
})();
