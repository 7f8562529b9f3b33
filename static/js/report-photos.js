/* Prepares a chosen photo for sending. What the browser can decode is redrawn on a canvas at most 2048 px wide
   (upright as the phone's EXIF orientation says, and without any metadata): a smaller upload on a weak
   connection. HEIC/HEIF (Chromium and Firefox cannot decode it) and anything else the canvas cannot read is sent
   as it is: the server decodes it, applies the orientation and strips the metadata itself. */
(function () {
  "use strict";
  var MAX_SIDE = 2048;
  var QUALITY = 0.85;
  var HEIF_TYPES = ["image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"];
  var HEIF_BRANDS = ["heic", "heix", "hevc", "hevx", "heim", "heis"];
  var GENERIC_BRANDS = ["mif1", "msf1"];  // also used by AVIF, which lists "avif" among its compatible brands
  var EXTENSIONS = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic", "image/heif": "heif" };

  function ascii(bytes, start, length) {
    return String.fromCharCode.apply(null, Array.prototype.slice.call(bytes, start, start + length));
  }

  /* Whether the file is HEIF by its ISO-BMFF `ftyp` box: bytes 4-7 "ftyp", then the major brand and the compatible ones. */
  function heifSignature(bytes) {
    if (bytes.length < 12 || ascii(bytes, 4, 4) !== "ftyp") { return false; }
    var major = ascii(bytes, 8, 4);
    if (HEIF_BRANDS.indexOf(major) !== -1) { return true; }
    if (GENERIC_BRANDS.indexOf(major) === -1) { return false; }
    var compatible = [];
    for (var at = 16; at + 4 <= bytes.length; at += 4) { compatible.push(ascii(bytes, at, 4)); }
    return compatible.indexOf("avif") === -1 && compatible.indexOf("avis") === -1;
  }

  function isHeif(file) {
    if (HEIF_TYPES.indexOf((file.type || "").toLowerCase()) !== -1) { return Promise.resolve(true); }
    // Sniffed whatever the type says: some galleries hand over HEIC with no type or as image/jpeg.
    return file.slice(0, 64).arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      var boxSize = bytes.length >= 4 ? new DataView(buffer).getUint32(0) : 0;
      return heifSignature(bytes.subarray(0, Math.min(bytes.length, Math.max(boxSize, 12))));
    }).catch(function () { return false; });
  }

  /* The file's bytes as a plain Blob: no file name (phones put the time of day in it), and a copy that stays
     in the outbox even if the photo is deleted from the gallery. */
  function original(file, heif) {
    var type = heif && !file.type ? "image/heic" : (file.type || "");
    return file.arrayBuffer().then(function (buffer) {
      return { blob: new Blob([buffer], { type: type }), extension: EXTENSIONS[type] || "", redrawn: false };
    });
  }

  function redraw(bitmap) {
    var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff";  // a transparent PNG becomes white, not black, as a JPEG
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) {
        if (blob) { resolve({ blob: blob, extension: "jpg", redrawn: true }); } else { reject(new Error("toBlob")); }
      }, "image/jpeg", QUALITY);
    });
  }

  window.ReportPhotos = {
    isHeif: isHeif,
    /* Resolves to {blob, extension, redrawn}; never rejects for a file the browser cannot read as an image. */
    prepare: function (file) {
      return isHeif(file).then(function (heif) {
        if (heif || !window.createImageBitmap) { return original(file, heif); }
        return createImageBitmap(file, { imageOrientation: "from-image" }).then(redraw).catch(function () {
          return original(file, false);
        });
      });
    }
  };
})();
