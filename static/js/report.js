/* The report page: pin on a map, photos prepared in the browser (report-photos.js), nearby cameras, sending
   through the API with an Idempotency-Key and a progress bar, and the outbox (report-queue.js) that keeps every
   report on the phone until the server has it. Without this script the same form posts to the server, which
   does all of this itself. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var msg = form.dataset;
  var queue = window.ReportQueue;
  var latInput = document.getElementById("lat");
  var lonInput = document.getElementById("lon");
  var statusEl = document.getElementById("send-status");
  var photos = [];  // {blob, extension, url, problem}
  var photoWork = Promise.resolve();  // photos still being prepared; sending waits for them
  var MAX_PHOTOS = 5;

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    // Pages served over plain HTTP (a test on the local network) have no randomUUID: the same v4 layout by hand.
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }
  // A fresh key per report made on this page (a cached page must not reuse the server's key); a report's
  // retries, from the form or from the outbox, keep its key.
  var reportKey = newKey();

  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.dataset.kind = kind || "";
  }

  /* ---- Place and direction (report-place.js) ---- */
  var place = window.ReportPlace.create({ form: form, setStatus: setStatus });

  /* ---- Photos ---- */
  var previews = document.getElementById("previews");

  function renderPreviews() {
    previews.innerHTML = "";
    photos.forEach(function (photo, index) {
      var li = document.createElement("li");
      li.dataset.photo = String(index + 1);
      var note = document.createElement("span");
      note.textContent = msg.msgPhotoUnreadable;
      var img = document.createElement("img");
      img.alt = "";
      // HEIC in Chromium or Firefox: no preview, but the photo is sent as it is and the server reads it.
      img.addEventListener("error", function () { if (img.parentNode) { li.replaceChild(note, img); } });
      img.src = photo.url;
      li.appendChild(img);
      if (photo.problem) {
        li.className = "refused";
        var problem = document.createElement("p");
        problem.className = "field-error js-field-error";
        problem.textContent = photo.problem;
        li.appendChild(problem);
      }
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button small";
      remove.textContent = msg.msgRemove;
      remove.addEventListener("click", function () {
        URL.revokeObjectURL(photo.url);
        photos.splice(index, 1);
        renderPreviews();
      });
      li.appendChild(remove);
      previews.appendChild(li);
    });
    previews.dataset.count = String(photos.length);
  }

  function addPhoto(blob, extension) {
    photos.push({ blob: blob, extension: extension || "", url: URL.createObjectURL(blob), problem: null });
  }

  function addFiles(input) {
    var files = Array.prototype.slice.call(input.files || []);
    input.value = "";
    files.forEach(function (file) {
      photoWork = photoWork.then(function () {
        if (photos.length >= MAX_PHOTOS) { setStatus(msg.msgTooMany, "error"); return null; }
        var gps = photos.length === 0 ? window.ExifGps.read(file) : Promise.resolve(null);
        return gps.then(function (found) {
          if (found) { place.setPhotoGps(found); }
          return window.ReportPhotos.prepare(file);
        }).then(function (prepared) {
          addPhoto(prepared.blob, prepared.extension);
          renderPreviews();
        }, function () { setStatus(msg.msgPhotoReadFailed, "error"); });
      });
    });
    previews.dataset.busy = "true";
    photoWork.then(function () { delete previews.dataset.busy; });
    return photoWork;
  }
  ["photos", "photos-camera"].forEach(function (id) {
    var input = document.getElementById(id);
    input.addEventListener("change", function () { addFiles(input); });
  });

  /* ---- What the server refused, marked where it is ---- */
  function clearProblems() {
    Array.prototype.forEach.call(form.querySelectorAll(".js-field-error"), function (el) { el.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
    photos.forEach(function (photo) { photo.problem = null; });
  }

  /* Where a field's message goes: after the input, or after the last option of a group (as the server's page does). */
  function fieldTarget(name) {
    var found = form.elements[name];
    if (!found || name === "photos") { return null; }
    var inputs = found.tagName ? [found] : Array.prototype.slice.call(found);
    var first = inputs[0];
    var grouped = first.type === "radio" || first.type === "checkbox";
    var anchor = first.closest(".coords, .direction") ||
      (grouped ? inputs[inputs.length - 1].closest("label") || first : first);
    return { anchor: anchor, inputs: inputs };
  }

  /* Marks every field and photo the server refused, keeping everything typed; focuses the first one. */
  function markProblems(error) {
    clearProblems();
    var details = (error && error.details) || {};
    var fields = details.fields || {};
    var first = null;
    Object.keys(fields).forEach(function (name) {
      var text = fields[name].join(" ");
      var photo = name === "photos" && photos[Number(details.photo) - 1];
      if (photo) { photo.problem = text; return; }
      var target = fieldTarget(name);
      var p = document.createElement("p");
      p.className = "field-error js-field-error";
      p.id = "js-" + name + "-error";
      p.textContent = text;
      var anchor = target ? target.anchor : previews;
      anchor.parentNode.insertBefore(p, anchor.nextSibling);
      (target ? target.inputs : []).forEach(function (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", p.id);
      });
      first = first || (target && target.inputs[0].type !== "hidden" ? target.inputs[0] : null);
    });
    renderPreviews();
    var refusedPhoto = previews.querySelector(".refused button");
    if (first) { first.focus(); } else if (refusedPhoto) { refusedPhoto.focus(); }
  }

  /* ---- The form's report ---- */
  var SKIPPED = ["idempotency_key", "csrf_token", "nearby_choice"];

  function collect() {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || SKIPPED.indexOf(el.name) !== -1 || el.disabled) { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      fields.push([el.name, el.value]);
    });
    return {
      key: reportKey,
      fields: fields,
      photos: photos.map(function (photo, index) {
        // A neutral name: a phone's own file name often carries the time the photo was taken.
        var name = "photo-" + (index + 1) + (photo.extension ? "." + photo.extension : "");
        return { blob: photo.blob, extension: photo.extension, name: name };
      })
    };
  }

  /* Puts a saved report back into the form, as it was typed, to be changed and sent again with its key. */
  function restore(item) {
    startOver();
    reportKey = item.key;
    var values = {};
    item.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || SKIPPED.indexOf(el.name) !== -1) { return; }
      var list = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") { el.checked = list.indexOf(el.value) !== -1; }
      else { el.value = list.length ? list[0] : ""; }
    });
    place.syncDirection();
    var lat = Number(latInput.value), lon = Number(lonInput.value);
    if (latInput.value && lonInput.value && isFinite(lat) && isFinite(lon)) { place.moveMarker(lat, lon); }
    item.photos.forEach(function (photo) { addPhoto(photo.blob, photo.extension); });
    renderPreviews();
    markProblems(item.error);
    discardButton.hidden = false;
    setStatus(outbox.reasonOf(item.error) + " " + msg.msgFixHint, "error");
  }

  function startOver() {
    photos.forEach(function (photo) { URL.revokeObjectURL(photo.url); });
    photos = [];
    place.setPhotoGps(null);
    clearProblems();
    renderPreviews();
    form.reset();
    place.clearNearby();
    document.getElementById("gone").checked = false;
    document.getElementById("gone-option").hidden = true;
    document.getElementById("correction_subject").value = "";
    document.getElementById("correction-option").hidden = true;
    discardButton.hidden = true;
    reportKey = newKey();
  }

  /* The receipt; the withdrawal secret travels in the fragment, which the browser never sends (receipt.js). */
  function receiptUrl(reference, secret) {
    var url = msg.receiptUrl.replace("REFERENCE", encodeURIComponent(reference));
    return secret ? url + "#secret=" + encodeURIComponent(secret) : url;
  }

  /* ---- Sending ---- */
  var outbox = window.ReportOutbox.create({
    msg: msg,
    queue: queue,
    apiUrl: msg.apiUrl,
    receiptUrl: receiptUrl,
    statusEl: statusEl,
    currentKey: function () { return reportKey; },
    edit: restore
  });
  var sendButton = document.getElementById("send");
  var discardButton = document.getElementById("discard");
  var formProgress = outbox.progressBar(document.getElementById("send-progress-box"));

  function afterWaiting(item, stored) {
    if (!stored) {  // only this page holds the report: keep it in the form
      setStatus(outbox.reasonOf(item.error) + " " + msg.msgNotSaved, "error");
      return;
    }
    startOver();
    setStatus(outbox.waitingText(item.error), "queued");
    outbox.render();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sendButton.disabled) { return; }
    sendButton.disabled = true;
    photoWork.then(function () {
      clearProblems();
      renderPreviews();
      var item = collect();
      if (navigator.onLine === false) {
        item.state = "waiting";
        item.error = { reason: "offline" };
        return queue.add(item).then(function () { afterWaiting(item, true); }, function () { afterWaiting(item, false); });
      }
      setStatus(msg.msgSending, "sending");
      return outbox.deliver(item, formProgress).then(function (answer) {
        if (answer.outcome === "delivered") {
          window.location.assign(receiptUrl(answer.body.reference, answer.body.withdrawal_secret));
        } else if (answer.outcome === "refused") {
          markProblems(answer.item.error);
          discardButton.hidden = !answer.stored;
          setStatus(outbox.reasonOf(answer.item.error) + " " + msg.msgFixHint, "error");
        } else {
          afterWaiting(answer.item, answer.stored);
        }
      });
    }).then(function () { sendButton.disabled = false; }, function () { sendButton.disabled = false; });
  });

  discardButton.addEventListener("click", function () {
    if (!window.confirm(msg.msgDiscardConfirm)) { return; }
    queue.remove(reportKey).catch(function () { return undefined; }).then(function () {
      startOver();
      setStatus(msg.msgDiscarded, "");
      outbox.render();
    });
  });

  outbox.render().then(outbox.flush);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/report" }).catch(function () { return null; });
  }
})();
