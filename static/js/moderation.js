/* Moderation item page: the map around the pin, zoomable photos, drawing blur rectangles, keyboard shortcuts. */
(function () {
  "use strict";

  /* ---- Map: this sighting (draggable when pending: moves the pin in the edit form), cameras and pending nearby. */
  var mapEl = document.getElementById("moderation-map");
  if (mapEl && window.L) {
    var data = mapEl.dataset;
    var place = window.MapCommon.jsonData(mapEl, "place");
    var map = window.MapCommon.baseMap(mapEl).setView([place.lat, place.lon], 19);
    var bounds = L.latLngBounds([[place.lat, place.lon]]);
    place.cameras.forEach(function (camera) {
      L.circleMarker([camera.lat, camera.lon], { radius: 8, color: "#0b57d0", fillOpacity: 0.6 })
        .bindTooltip(data.labelCamera + " " + camera.label + " (" + camera.distance + " m)").addTo(map);
      bounds.extend([camera.lat, camera.lon]);
    });
    place.pending.forEach(function (other) {
      L.circleMarker([other.lat, other.lon], { radius: 7, color: "#8a5300", dashArray: "3 3", fillOpacity: 0.3 })
        .bindTooltip(data.labelPending + " " + other.label + " (" + other.distance + " m)").addTo(map);
      bounds.extend([other.lat, other.lon]);
    });
    L.circle([place.lat, place.lon], { radius: 50, color: "#999", weight: 1, fill: false, interactive: false }).addTo(map);
    var pin = L.marker([place.lat, place.lon], { draggable: data.editable === "true", title: data.labelSighting, alt: data.labelSighting })
      .bindTooltip(data.labelSighting).addTo(map);
    if (bounds.isValid() && (place.cameras.length || place.pending.length)) {
      map.fitBounds(bounds.pad(0.5), { maxZoom: 19 });
    }
    pin.on("dragend", function () {
      var at = pin.getLatLng();
      var lat = document.getElementById("edit-lat");
      var lon = document.getElementById("edit-lon");
      if (lat && lon) {
        lat.value = at.lat.toFixed(7);
        lon.value = at.lng.toFixed(7);
        var details = document.getElementById("edit-details");
        if (details) { details.open = true; }
      }
    });
    mapEl.dataset.ready = "true";
  }

  /* ---- Photos: click or the Zoom button toggles full size; the wheel zooms further while zoomed. */
  function frameOf(id) {
    var img = document.querySelector('img.zoomable[data-photo-id="' + id + '"]');
    return img ? { img: img, frame: img.parentElement } : null;
  }
  function toggleZoom(id) {
    var found = frameOf(id);
    if (!found) { return; }
    var shown = found.img.getBoundingClientRect().width;
    var zoomed = found.frame.classList.toggle("zoomed");
    found.img.style.width = zoomed ? Math.max(found.img.naturalWidth || 0, shown * 2) + "px" : "";
  }
  document.querySelectorAll(".zoom-toggle").forEach(function (button) {
    button.addEventListener("click", function () { toggleZoom(button.dataset.photoId); });
  });
  document.querySelectorAll("img.zoomable").forEach(function (img) {
    img.draggable = false;  // a drag would start the browser's image drag-and-drop instead of a blur rectangle
    img.addEventListener("click", function () {
      if (!img.parentElement.classList.contains("blurring")) { toggleZoom(img.dataset.photoId); }
    });
    img.parentElement.addEventListener("wheel", function (event) {
      if (!img.parentElement.classList.contains("zoomed")) { return; }
      event.preventDefault();
      var width = img.getBoundingClientRect().width * (event.deltaY < 0 ? 1.2 : 1 / 1.2);
      img.style.width = Math.max(200, Math.min(8000, width)) + "px";
    }, { passive: false });
  });

  /* ---- Blur: drag rectangles over a photo; they are sent as fractions of the image. */
  document.querySelectorAll(".blur-toggle").forEach(function (button) {
    var id = button.dataset.photoId;
    var form = document.querySelector('.blur-form[data-photo-id="' + id + '"]');
    var found = frameOf(id);
    if (!form || !found) { return; }
    var regions = [];
    var start = null;
    var box = null;
    function point(event) {
      var rect = found.img.getBoundingClientRect();
      return {
        x: Math.max(0, Math.min(1, (event.clientX - rect.left) / rect.width)),
        y: Math.max(0, Math.min(1, (event.clientY - rect.top) / rect.height))
      };
    }
    function place(el, r) {
      el.style.left = r.x * 100 + "%"; el.style.top = r.y * 100 + "%";
      el.style.width = r.w * 100 + "%"; el.style.height = r.h * 100 + "%";
    }
    function rect(a, b) {
      return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
    }
    button.addEventListener("click", function () {
      var on = found.frame.classList.toggle("blurring");
      form.hidden = !on;
      if (!on) {
        regions = [];
        found.frame.querySelectorAll(".blur-box").forEach(function (el) { el.remove(); });
        form.elements.regions.value = "";
      }
    });
    found.frame.addEventListener("pointerdown", function (event) {
      if (!found.frame.classList.contains("blurring")) { return; }
      event.preventDefault();
      start = point(event);
      box = document.createElement("div");
      box.className = "blur-box";
      found.frame.appendChild(box);
      found.frame.setPointerCapture(event.pointerId);
    });
    found.frame.addEventListener("pointermove", function (event) {
      if (start && box) { place(box, rect(start, point(event))); }
    });
    found.frame.addEventListener("pointercancel", function () {
      if (box) { box.remove(); }
      start = null; box = null;
    });
    found.frame.addEventListener("pointerup", function (event) {
      if (!start || !box) { return; }
      var r = rect(start, point(event));
      start = null;
      if (r.w < 0.005 || r.h < 0.005) { box.remove(); box = null; return; }
      place(box, r);
      box = null;
      regions.push({ x: +r.x.toFixed(4), y: +r.y.toFixed(4), w: +r.w.toFixed(4), h: +r.h.toFixed(4) });
      form.elements.regions.value = JSON.stringify(regions);
    });
  });

  /* ---- Decisions by key: a approve, m merge, r reject never send at once. Each starts a countdown (data-seconds)
     in a live region with a focused Cancel button; Esc or Cancel stops it, and only its end sends the form. Enter
     in a decision's field (implicit submission, also one key) starts the same countdown. A click on a decision's
     button, or Enter/Space on it once focused, is deliberate and sends at once. */
  var countdownEl = document.getElementById("decision-countdown");
  var pending = null;  // { form, timer, left, returnFocus }

  function countdownParts() {
    return {
      message: document.getElementById("countdown-message"),
      seconds: countdownEl.querySelector(".countdown-seconds"),
      cancel: document.getElementById("countdown-cancel")
    };
  }
  function stopCountdown(announce) {
    if (!pending) { return; }
    var parts = countdownParts();
    window.clearInterval(pending.timer);
    parts.cancel.hidden = true;
    parts.seconds.textContent = "";
    if (announce) { parts.message.textContent = announce; }
    var back = pending.returnFocus;
    pending = null;
    if (back && back !== document.body && document.contains(back)) { back.focus(); }
  }
  function send(form) {
    var parts = countdownParts();
    window.clearInterval(pending.timer);
    pending = null;
    parts.cancel.hidden = true;
    parts.seconds.textContent = "";
    parts.message.textContent = countdownEl.dataset.msgSending;
    var button = form.querySelector("[type=submit]");
    if (form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
  }
  function startCountdown(form, kind) {
    if (!countdownEl || !form || pending) { return; }
    var parts = countdownParts();
    var seconds = parseInt(countdownEl.dataset.seconds, 10) || 5;
    var message = countdownEl.dataset["msg" + kind.charAt(0).toUpperCase() + kind.slice(1)];
    var camera = document.getElementById("merge-camera");
    pending = { form: form, left: seconds, returnFocus: document.activeElement };
    parts.message.textContent = message.replace("{0}", camera ? camera.value : "");
    parts.seconds.textContent = String(seconds);
    parts.cancel.hidden = false;
    parts.cancel.focus();
    pending.timer = window.setInterval(function () {
      pending.left -= 1;
      if (pending.left <= 0) { send(form); } else { parts.seconds.textContent = String(pending.left); }
    }, 1000);
  }
  if (countdownEl) {
    countdownParts().cancel.addEventListener("click", function () { stopCountdown(countdownEl.dataset.msgCancelled); });
  }

  var DECISIONS = { "approve-form": "approve", "merge-form": "merge", "reject-form": "reject" };
  function ready(kind) {
    /* The field a decision still needs, or null when it can be sent. */
    if (kind === "merge") {
      var camera = document.getElementById("merge-camera");
      return camera && camera.value ? null : camera;
    }
    if (kind === "reject") {
      var category = document.getElementById("reject-category");
      return category && category.value ? null : category;
    }
    return null;
  }
  function decide(kind) {
    var missing = ready(kind);
    if (missing) { missing.focus(); } else { startCountdown(document.getElementById(kind + "-form"), kind); }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (pending) {
      if (event.key === "Escape") { event.preventDefault(); stopCountdown(countdownEl.dataset.msgCancelled); }
      return;
    }
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      var kind = target.form && DECISIONS[target.form.id];
      if (event.key === "Enter" && kind && target.tagName === "INPUT") {
        event.preventDefault();
        decide(kind);
      } else if (event.key === "Escape") {
        target.blur();
      }
      return;
    }
    // The letter as typed, or on a Cyrillic (or any non-Latin) layout the Latin letter of the same key.
    var key = /^[a-z]$/i.test(event.key) ? event.key.toLowerCase() : (event.code || "").replace(/^Key/, "").toLowerCase();
    if (key === "a" || key === "m" || key === "r") {
      event.preventDefault();
      decide({ a: "approve", m: "merge", r: "reject" }[key]);
    } else if (key === "e") {
      event.preventDefault();
      var details = document.getElementById("edit-details");
      if (details) { details.open = true; document.getElementById("edit-lat").focus(); }
    } else if (key === "n" || key === "j") {
      var next = document.getElementById("next-link");
      if (next) { event.preventDefault(); window.location.assign(next.href); }
    }
  });

  /* ---- Soft claim: tell the server this moderator has the item open, renew it while the page is open, end it when
     the page is left. Nothing depends on these requests arriving: a claim lapses by itself. */
  var item = document.querySelector(".item[data-claim-url]");
  if (item && window.fetch) {
    var post = function (url, keepalive) {
      return window.fetch(url, {
        method: "POST", credentials: "same-origin", keepalive: keepalive, headers: { "X-CSRFToken": item.dataset.csrf }
      }).catch(function () { return null; });
    };
    post(item.dataset.claimUrl, false);
    window.setInterval(function () { post(item.dataset.claimUrl, false); }, item.dataset.claimEvery * 1000);
    window.addEventListener("pagehide", function () { post(item.dataset.releaseUrl, true); });
    window.addEventListener("pageshow", function (event) { if (event.persisted) { post(item.dataset.claimUrl, false); } });
  }
})();
