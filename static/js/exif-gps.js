/* Reads the GPS position from a JPEG's EXIF in the browser, before the photo is re-encoded without it.
   Only the GPS latitude/longitude tags are read; anything unexpected yields null. */
(function () {
  "use strict";

  function rational(view, offset, little) {
    var den = view.getUint32(offset + 4, little);
    return den ? view.getUint32(offset, little) / den : NaN;
  }

  function parse(buffer) {
    var view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) { return null; }
    var offset = 2;
    while (offset + 4 <= view.byteLength) {
      var marker = view.getUint16(offset);
      var length = view.getUint16(offset + 2);
      if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) { return null; }
      if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) {  // "Exif"
        return readTiff(view, offset + 10);
      }
      offset += 2 + length;
    }
    return null;
  }

  function readTiff(view, tiff) {
    var little = view.getUint16(tiff) === 0x4949;
    var ifd0 = tiff + view.getUint32(tiff + 4, little);
    var gpsIfd = null;
    var count = view.getUint16(ifd0, little);
    for (var i = 0; i < count; i++) {
      var entry = ifd0 + 2 + i * 12;
      if (view.getUint16(entry, little) === 0x8825) { gpsIfd = tiff + view.getUint32(entry + 8, little); }
    }
    if (gpsIfd === null) { return null; }
    var tags = {};
    var n = view.getUint16(gpsIfd, little);
    for (var j = 0; j < n; j++) {
      var e = gpsIfd + 2 + j * 12;
      var tag = view.getUint16(e, little);
      if (tag === 1 || tag === 3) {
        tags[tag] = String.fromCharCode(view.getUint8(e + 8));
      } else if (tag === 2 || tag === 4) {
        var at = tiff + view.getUint32(e + 8, little);
        tags[tag] = rational(view, at, little) + rational(view, at + 8, little) / 60 +
          rational(view, at + 16, little) / 3600;
      }
    }
    if (!isFinite(tags[2]) || !isFinite(tags[4])) { return null; }
    var lat = tags[1] === "S" ? -tags[2] : tags[2];
    var lon = tags[3] === "W" ? -tags[4] : tags[4];
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) { return null; }
    return { lat: lat, lon: lon };
  }

  window.ExifGps = {
    read: function (file) {
      if (!file || !file.slice) { return Promise.resolve(null); }
      return file.slice(0, 256 * 1024).arrayBuffer()
        .then(parse)  // a file too short or malformed for a DataView throws: caught below, null
        .catch(function () { return null; });
    }
  };
})();
