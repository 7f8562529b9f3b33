/* The small map on a camera's page: the base map around the camera, its place marked and, when known, the
   direction it looks in. Without scripts the page gives the coordinates and a link to OpenStreetMap instead. */
(function () {
  "use strict";
  var el = document.getElementById("camera-map");
  if (!el || !window.L) { return; }
  var here = [Number(el.dataset.lat), Number(el.dataset.lon)];
  var map = window.MapCommon.baseMap(el, { center: here, zoom: 17, scrollWheelZoom: false });
  var direction = el.dataset.direction;
  if (direction !== "") {
    // About 25 m along the bearing: a short line is enough to show which way the camera looks.
    var bearing = Number(direction) * Math.PI / 180;
    var metres = 25 / 111320;
    var ahead = [here[0] + metres * Math.cos(bearing), here[1] + metres * Math.sin(bearing) / Math.cos(here[0] * Math.PI / 180)];
    L.polyline([here, ahead], { color: "#8c1d24", weight: 3 }).addTo(map);
  }
  L.circleMarker(here, { radius: 8, color: "#8c1d24", weight: 3, fillColor: "#ec6a3d", fillOpacity: 0.7 }).addTo(map);
  el.setAttribute("data-ready", "");
})();
