/* Service worker: keeps the report page and its files on the phone so a report can be made offline.
   Reports themselves wait in IndexedDB (report-queue.js), not here; nothing is sent in the background. */
"use strict";
var CACHE = "hiljade-report-v4";  // a new name when the page and its scripts change together
var SHELL = [
  "/report",
  "/static/css/site.css",
  "/static/js/map-common.js",
  "/static/js/exif-gps.js",
  "/static/js/report-photos.js",
  "/static/js/report-queue.js",
  "/static/js/report-outbox.js",
  "/static/js/report.js",
  "/assets/leaflet/leaflet.js",
  "/assets/leaflet/leaflet.css",
  "/manifest.webmanifest",
  "/static/img/icon-192.png"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) {
      return caches.delete(key);
    }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) {
    return;  // the network, or nothing
  }
  if (request.mode === "navigate" && url.pathname === "/report") {
    // Network first, so the page stays current; offline, the copy in this language (?lang= is part of the
    // address), else the page in whatever language was kept: a report form in another language beats none.
    var page = url.pathname + "?lang=" + (url.searchParams.get("lang") || "");
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(page, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(page).then(function (kept) { return kept || caches.match("/report", { ignoreSearch: true }); });
    }));
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (cached) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
        }
        return response;
      });
      return cached || fresh;
    }));
  }
});
