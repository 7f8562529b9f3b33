/* The report page's place (report.js): the map and its pin (dragged, tapped, or moved with the arrow keys),
   the coordinates typed by hand, "use my location", "use the photo's location", the direction's arrow on the pin
   and the verified cameras within 30 m. Loaded after map-common.js, before report.js. */
(function () {
  "use strict";

  /* options: form (its data-msg-* strings and data-nearby-url), setStatus(text, kind). */
  function create(options) {
    var msg = options.form.dataset;
    var escapeHtml = window.MapCommon.escapeHtml;
    var setStatus = options.setStatus;
    var latInput = document.getElementById("lat");
    var lonInput = document.getElementById("lon");

    /* ---- Place ---- */
    var map = null;
    var marker = null;
    var nearbyLayer = null;
    var nearbyTimer = null;
    var mapEl = document.getElementById("report-map");

    function arrowIcon() {
      var direction = document.getElementById("direction").value;
      var html = '<div class="pin-dot"></div>';
      if (direction !== "") {
        html += '<div class="pin-arrow" data-direction="' + Number(direction) + '"></div>';
      }
      return L.divIcon({ className: "report-pin", html: html, iconSize: [44, 44], iconAnchor: [22, 22] });
    }

    /* The pin is a button named for screen readers that the arrow keys move (10 px a press, 50 with Shift);
       setIcon keeps the element (L.DivIcon reuses it), so this runs once per element. */
    var PIN_STEPS = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    function makePinOperable() {
      var el = marker.getElement();
      el.setAttribute("aria-label", msg.msgPin);
      if (el.dataset.keys) { return; }
      el.dataset.keys = "arrows";
      el.addEventListener("keydown", function (event) {
        var step = PIN_STEPS[event.key];
        if (!step) { return; }
        event.preventDefault();
        event.stopPropagation();  // the map would pan instead
        var by = event.shiftKey ? 50 : 10;
        var to = map.containerPointToLatLng(map.latLngToContainerPoint(marker.getLatLng()).add([step[0] * by, step[1] * by]));
        setPin(to.lat, to.lng, map.getZoom());
      });
    }

    function refreshArrow() {
      if (!marker) { return; }
      marker.setIcon(arrowIcon());
      makePinOperable();
      var arrow = mapEl.querySelector(".pin-arrow");
      if (arrow) { arrow.style.transform = "rotate(" + arrow.dataset.direction + "deg)"; }
    }

    function moveMarker(lat, lon, zoom) {
      if (marker) {
        marker.setLatLng([lat, lon]);
        map.setView([lat, lon], zoom || Math.max(map.getZoom(), 17));
      }
      scheduleNearby();
    }

    function setPin(lat, lon, zoom) {
      latInput.value = lat.toFixed(6);
      lonInput.value = lon.toFixed(6);
      moveMarker(lat, lon, zoom);
    }

    function showNearby(result) {
      var muni = document.getElementById("municipality");
      muni.textContent = result.municipality ? msg.msgMunicipality + " " + result.municipality.name : msg.msgOutside;
      muni.dataset.outside = result.municipality ? "" : "true";
      var box = document.getElementById("nearby");
      var chosen = document.getElementById("confirms_camera");
      if (nearbyLayer) { nearbyLayer.clearLayers(); }
      if (!result.cameras.length) { box.innerHTML = ""; chosen.value = ""; return; }
      var html = "<p>" + escapeHtml(msg.msgNearby) + "</p><ul>";
      result.cameras.forEach(function (camera) {
        var what = [camera.camera_type, camera.manufacturer].concat(camera.capabilities).filter(Boolean).join(", ");
        html += '<li><label class="option"><input type="radio" name="nearby_choice" value="' + camera.id + '"' +
          (String(camera.id) === chosen.value ? " checked" : "") + "> " + escapeHtml(msg.msgConfirm) +
          " <small>(" + escapeHtml(what) + "; " + Math.round(camera.distance_m) + " " + escapeHtml(msg.msgMetres) +
          ")</small></label></li>";
        if (nearbyLayer) { L.circleMarker([camera.lat, camera.lon], { radius: 7, color: "#b3261e", interactive: false }).addTo(nearbyLayer); }
      });
      html += '<li><label class="option"><input type="radio" name="nearby_choice" value=""' +
        (chosen.value ? "" : " checked") + "> " + escapeHtml(msg.msgNew) + "</label></li></ul>";
      box.innerHTML = html;
    }

    function scheduleNearby() {
      clearTimeout(nearbyTimer);
      nearbyTimer = setTimeout(function () {
        var lat = latInput.value, lon = lonInput.value;
        if (!lat || !lon || !navigator.onLine) { return; }
        fetch(window.MapCommon.withParams(msg.nearbyUrl, { lat: lat, lon: lon }),
          { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (result) { if (result) { showNearby(result); } })
          .catch(function () { return null; });
      }, 250);
    }

    document.getElementById("nearby").addEventListener("change", function (event) {
      if (event.target.name === "nearby_choice") {
        document.getElementById("confirms_camera").value = event.target.value;
      }
    });

    if (window.L && mapEl) {
      var start = latInput.value && lonInput.value ? [Number(latInput.value), Number(lonInput.value)] : [44.8176, 20.4569];
      map = window.MapCommon.baseMap(mapEl).setView(start, latInput.value ? 17 : 13);
      nearbyLayer = L.layerGroup().addTo(map);
      marker = L.marker(start, { draggable: true, icon: arrowIcon(), keyboard: true, title: msg.msgPin })
        .addTo(map);
      marker.on("dragend", function () { var p = marker.getLatLng(); setPin(p.lat, p.lng, map.getZoom()); });
      map.on("click", function (event) { setPin(event.latlng.lat, event.latlng.lng, map.getZoom()); });
      refreshArrow();
      if (latInput.value) { scheduleNearby(); }
    }
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("change", function () {
        var lat = Number(latInput.value.replace(",", ".")), lon = Number(lonInput.value.replace(",", "."));
        if (latInput.value && lonInput.value && isFinite(lat) && isFinite(lon)) { setPin(lat, lon); }
      });
    });

    document.getElementById("use-location").addEventListener("click", function () {
      if (!navigator.geolocation) { setStatus(msg.msgGeoFailed, "error"); return; }
      navigator.geolocation.getCurrentPosition(
        function (position) { setPin(position.coords.latitude, position.coords.longitude, 18); },
        function () { setStatus(msg.msgGeoFailed, "error"); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
    var photoGps = null;
    var photoLocationButton = document.getElementById("use-photo-location");
    photoLocationButton.addEventListener("click", function () {
      if (photoGps) { setPin(photoGps.lat, photoGps.lon, 18); }
    });

    /* ---- Direction ---- */
    var dial = document.getElementById("direction-dial");
    var directionInput = document.getElementById("direction");
    dial.addEventListener("input", function () { directionInput.value = dial.value; refreshArrow(); });
    directionInput.addEventListener("change", function () {
      if (directionInput.value !== "") { dial.value = directionInput.value; }
      refreshArrow();
    });
    document.getElementById("direction-unknown").addEventListener("click", function () {
      directionInput.value = "";
      refreshArrow();
    });

    return {
      moveMarker: moveMarker,
      /* The direction typed or kept (a restored report) shown on the dial and the pin's arrow. */
      syncDirection: function () {
        if (directionInput.value !== "") { dial.value = directionInput.value; }
        refreshArrow();
      },
      /* The first photo's GPS position (exif-gps.js), or null: the button is offered only with one. */
      setPhotoGps: function (found) {
        photoGps = found;
        photoLocationButton.hidden = !found;
      },
      clearNearby: function () {
        document.getElementById("confirms_camera").value = "";
        document.getElementById("nearby").innerHTML = "";
      }
    };
  }

  window.ReportPlace = { create: create };
})();
