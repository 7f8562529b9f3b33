/* The home map's markers: a camera's icon by its form and capabilities, its view cone, and a cluster's disc. Every
   marker is at least 44 px wide and tall (the drawn icon is smaller, the rest is transparent hit area), so a finger
   that lands beside the icon still opens it, at every zoom. Loaded after map-common.js, before map.js. */
(function () {
  "use strict";
  var HIT = 44;  // CSS px: the smallest touch target (issue 14)
  var SHAPES = {
    dome: '<path d="M6 13a8 8 0 0 1 16 0z" /><rect x="5" y="13" width="18" height="3" rx="1"/>',
    fixed: '<rect x="4" y="9" width="15" height="9" rx="2"/><path d="M19 11l5-2v9l-5-2z"/>',
    panning: '<circle cx="14" cy="13" r="7"/><circle cx="14" cy="13" r="3" fill="#fff"/><path d="M14 3v3M14 20v3M4 13h3M21 13h3" stroke="currentColor" stroke-width="2"/>'
  };

  /* options: badgeFace, badgePlate (the badges' letters in the page's language), numbers (an Intl.NumberFormat). */
  function create(options) {
    var escapeHtml = window.MapCommon.escapeHtml;

    function cameraIcon(props) {
      var caps = props.capabilities || [];
      var face = caps.indexOf("facial_recognition") >= 0;
      var plate = caps.indexOf("number_plate_recognition") >= 0 || props.type === "ALPR";
      var shape = SHAPES[props.camera_type] || SHAPES.fixed;
      var classes = "cam-icon cam-" + (props.camera_type || "unknown") + (face ? " cam-face" : "") +
        (plate ? " cam-plate" : "") + (props.status !== "active" ? " cam-" + props.status : "");
      var badges = (face ? '<b class="badge badge-face">' + escapeHtml(options.badgeFace) + "</b>" : "") +
        (plate ? '<b class="badge badge-plate">' + escapeHtml(options.badgePlate) + "</b>" : "");
      return L.divIcon({
        className: classes,
        html: '<span class="cam-dot"><svg viewBox="0 0 28 26" aria-hidden="true">' + shape + "</svg>" + badges + "</span>",
        iconSize: [HIT, HIT], iconAnchor: [HIT / 2, HIT / 2]
      });
    }

    function cone(latlng, direction) {
      var radius = 30, spread = 30, points = [latlng];
      for (var a = direction - spread; a <= direction + spread; a += 10) {
        var rad = a * Math.PI / 180;
        points.push([latlng.lat + radius * Math.cos(rad) / 111320,
          latlng.lng + radius * Math.sin(rad) / (111320 * Math.cos(latlng.lat * Math.PI / 180))]);
      }
      return L.polygon(points, { className: "view-cone", weight: 1, interactive: false });
    }

    function clusterIcon(count) {
      var size = Math.round(HIT + Math.min(16, Math.log10(count) * 6));
      return L.divIcon({
        className: "cam-cluster", html: "<span>" + options.numbers.format(count) + "</span>",
        iconSize: [size, size], iconAnchor: [size / 2, size / 2]
      });
    }

    return { cameraIcon: cameraIcon, cone: cone, clusterIcon: clusterIcon, hit: HIT };
  }

  window.MapMarkers = { create: create };
})();
