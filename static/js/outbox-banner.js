/* On every page but the report page (which lists and sends them itself): a line under the header while reports
   wait on this phone (report-queue.js), with a link to the report page, which sends them. */
(function () {
  "use strict";
  var banner = document.getElementById("outbox-banner");
  var queue = window.ReportQueue;
  if (!banner || !queue || !window.Promise) { return; }
  queue.exists().then(function (exists) {
    return exists ? queue.all() : [];
  }).then(function (items) {
    if (!items.length) { return; }
    document.getElementById("outbox-banner-count").textContent = String(items.length);
    banner.hidden = false;
  }).catch(function () { return null; });
})();
