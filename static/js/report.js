/* The report page: pin on a map, photos re-encoded in the browser (no metadata leaves the phone), nearby cameras,
   sending through the API with an Idempotency-Key, and an offline outbox (report-queue.js). Without this script
   the same form posts to the server, which does all of this itself. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var msg = form.dataset;
  var queue = window.ReportQueue;
  var latInput = document.getElementById("lat");
  var lonInput = document.getElementById("lon");
  var statusEl = document.getElementById("send-status");
  var photos = [];
  var photoGps = null;
  var MAX_PHOTOS = 5;
  var MAX_SIDE = 2048;

  Array.prototype.forEach.call(form.querySelectorAll(".js-only"), function (el) { el.hidden = false; });

  function uuid4() {
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }
  // A fresh key per report made on this page (a cached page must not reuse the server's key).
  var reportKey = uuid4();

  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.dataset.kind = kind || "";
  }

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
    return L.divIcon({ className: "report-pin", html: html, iconSize: [28, 28], iconAnchor: [14, 14] });
  }

  function refreshArrow() {
    if (!marker) { return; }
    marker.setIcon(arrowIcon());
    var arrow = mapEl.querySelector(".pin-arrow");
    if (arrow) { arrow.style.transform = "rotate(" + arrow.dataset.direction + "deg)"; }
  }

  function setPin(lat, lon, zoom) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    if (marker) {
      marker.setLatLng([lat, lon]);
      map.setView([lat, lon], zoom || Math.max(map.getZoom(), 17));
    }
    scheduleNearby();
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
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
      if (nearbyLayer) { L.circleMarker([camera.lat, camera.lon], { radius: 7, color: "#b3261e" }).addTo(nearbyLayer); }
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
      fetch(msg.nearbyUrl + "?lat=" + encodeURIComponent(lat) + "&lon=" + encodeURIComponent(lon),
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
    mapEl.hidden = false;
    var start = latInput.value && lonInput.value ? [Number(latInput.value), Number(lonInput.value)] : [44.8176, 20.4569];
    map = L.map(mapEl).setView(start, latInput.value ? 17 : 13);
    map.attributionControl.setPrefix(false);
    L.tileLayer(msg.tileUrl, { maxZoom: Number(msg.tileMaxZoom) || 19, attribution: msg.tileAttribution }).addTo(map);
    nearbyLayer = L.layerGroup().addTo(map);
    marker = L.marker(start, { draggable: true, icon: arrowIcon(), keyboard: true }).addTo(map);
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

  /* ---- Photos ---- */
  var previews = document.getElementById("previews");

  function renderPreviews() {
    previews.innerHTML = "";
    photos.forEach(function (photo, index) {
      var li = document.createElement("li");
      if (photo.url) {
        var img = document.createElement("img");
        img.src = photo.url;
        img.alt = "";
        li.appendChild(img);
      } else {
        var note = document.createElement("span");
        note.textContent = msg.msgPhotoUnreadable;
        li.appendChild(note);
      }
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button small";
      remove.textContent = msg.msgRemove;
      remove.addEventListener("click", function () {
        if (photo.url) { URL.revokeObjectURL(photo.url); }
        photos.splice(index, 1);
        renderPreviews();
      });
      li.appendChild(remove);
      previews.appendChild(li);
    });
    previews.dataset.count = String(photos.length);
  }

  function reencode(file) {
    if (!window.createImageBitmap) { return Promise.resolve({ blob: file, url: null }); }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob ? { blob: blob, url: URL.createObjectURL(blob) } : { blob: file, url: null });
        }, "image/jpeg", 0.85);
      });
    }).catch(function () {
      // e.g. HEIC in a browser that cannot decode it: the server cleans it instead.
      return { blob: file, url: null };
    });
  }

  function addFiles(input) {
    var files = Array.prototype.slice.call(input.files || []);
    input.value = "";
    var work = Promise.resolve();
    files.forEach(function (file) {
      work = work.then(function () {
        if (photos.length >= MAX_PHOTOS) { setStatus(msg.msgTooMany, "error"); return null; }
        var first = photos.length === 0;
        var gps = first ? window.ExifGps.read(file) : Promise.resolve(null);
        return gps.then(function (found) {
          if (found) { photoGps = found; photoLocationButton.hidden = false; }
          return reencode(file);
        }).then(function (result) {
          photos.push({ blob: result.blob, url: result.url, name: "photo-" + (photos.length + 1) + ".jpg" });
          renderPreviews();
        });
      });
    });
    return work;
  }
  ["photos", "photos-camera"].forEach(function (id) {
    var input = document.getElementById(id);
    input.addEventListener("change", function () { addFiles(input); });
  });

  /* ---- Send ---- */
  function collect() {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.name === "idempotency_key" || el.name === "csrf_token" ||
          el.name === "nearby_choice" || el.disabled) { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      fields.push([el.name, el.value]);
    });
    return {
      key: reportKey,
      fields: fields,
      photos: photos.map(function (photo) { return { blob: photo.blob, name: photo.name }; })
    };
  }

  function startOver() {
    photos.forEach(function (photo) { if (photo.url) { URL.revokeObjectURL(photo.url); } });
    photos = [];
    renderPreviews();
    form.reset();
    document.getElementById("nearby").innerHTML = "";
    reportKey = uuid4();
  }

  function receiptUrl(reference) { return msg.receiptUrl.replace("REFERENCE", encodeURIComponent(reference)); }

  function showErrors(body) {
    var error = (body && body.error) || {};
    var text = error.message || msg.msgFailed;
    var fields = (error.details && error.details.fields) || {};
    Object.keys(fields).forEach(function (name) { text += " " + fields[name].join(" "); });
    setStatus(text, "error");
  }

  function queueItem(item) {
    return queue.add(item).then(function () {
      startOver();
      setStatus(msg.msgQueued, "queued");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var item = collect();
    var button = document.getElementById("send");
    button.disabled = true;
    if (!navigator.onLine) {
      queueItem(item).then(function () { button.disabled = false; });
      return;
    }
    setStatus(msg.msgSending, "sending");
    queue.send(msg.apiUrl, item).then(function (result) {
      button.disabled = false;
      if (result.status === 201 || result.status === 200) {
        window.location.assign(receiptUrl(result.body.reference));
      } else {
        showErrors(result.body);
      }
    }, function () {
      // The network failed on the way: keep it on the phone and send it later with the same key.
      return queueItem(item).then(function () { button.disabled = false; });
    });
  });

  function flush() {
    return queue.flush(msg.apiUrl, function (item, body) {
      statusEl.innerHTML = escapeHtml(msg.msgDelivered) + ' <a href="' + receiptUrl(body.reference) + '">' +
        escapeHtml(body.reference) + "</a>";
      statusEl.dataset.kind = "delivered";
    }, function (item, body) { showErrors(body); });
  }
  window.addEventListener("online", flush);
  if (navigator.onLine) { flush(); }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/report" }).catch(function () { return null; });
  }
})();
