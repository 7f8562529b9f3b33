/* Service worker: keeps the report page and its files on the phone so a report can be made offline, and the
   base-map tiles the report map showed, so the pin can be placed without a connection where the reporter looked
   before. Reports themselves wait in IndexedDB (report-queue.js), not here; nothing is sent in the background. */
"use strict";
// workbox-expiration (npm, served from our origin by app/assets.py) keeps the tile cache bounded. Without it
// (node_modules not installed) tiles are not kept, and the rest of offline reporting still works.
try {
  importScripts("/assets/npm/workbox-core/-/workbox-core.prod.js",
    "/assets/npm/workbox-expiration/-/workbox-expiration.prod.js");
} catch (_missing) { /* tileExpiration stays null */ }

var CACHE = "hiljade-report-v6";  // a new name when the page and its scripts change together
// Tile addresses carry the base map's version, so a kept tile is never stale: at most this many, each kept at
// most 30 days after it was last shown, the least recently shown dropped first (about 60 MB of vector tiles).
var TILES = "hiljade-tiles";
var TILE_LIMITS = { maxEntries: 3000, maxAgeSeconds: 30 * 24 * 3600 };
var tileExpiration = self.workbox && self.workbox.expiration ?
  new self.workbox.expiration.CacheExpiration(TILES, TILE_LIMITS) : null;
var SHELL = [
  "/report",
  "/static/css/site.css",
  "/static/css/map-controls.css",
  "/static/js/basemap.js",
  "/static/js/map-common.js",
  "/static/js/exif-gps.js",
  "/static/js/report-photos.js",
  "/static/js/report-queue.js",
  "/static/js/report-outbox.js",
  "/static/js/report-place.js",
  "/static/js/report.js",
  "/assets/leaflet/leaflet.js",
  "/assets/leaflet/leaflet.css",
  "/manifest.webmanifest",
  "/static/img/icon-192.png"
];
// The vector renderer and the labels' font: kept when the site serves them (not with a third-party tile server).
var RENDERER = [
  "/assets/npm/protomaps-leaflet/-/protomaps-leaflet.js",
  "/assets/npm/@fontsource/noto-sans/-/400.css",
  "/assets/npm/@fontsource/noto-sans/-/files/noto-sans-latin-400-normal.woff2",
  "/assets/npm/@fontsource/noto-sans/-/files/noto-sans-latin-ext-400-normal.woff2",
  "/assets/npm/@fontsource/noto-sans/-/files/noto-sans-cyrillic-400-normal.woff2"
];
var KEPT = SHELL.concat(RENDERER);

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SHELL).then(function () {
      return Promise.all(RENDERER.map(function (path) { return cache.add(path).catch(function () { return null; }); }));
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key !== CACHE && key !== TILES; }).map(function (key) {
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
  if (url.pathname.indexOf("/basemap/") === 0 && tileExpiration) {
    event.respondWith(tile(event, request));
    return;
  }
  if (KEPT.indexOf(url.pathname) !== -1) {
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

/* A base-map tile: the kept copy if there is one (its address never changes content), else the network; a tile
   the report page asked for is kept, within TILE_LIMITS. */
function tile(event, request) {
  return caches.open(TILES).then(function (cache) {
    return cache.match(request).then(function (kept) {
      if (kept) {
        event.waitUntil(tileExpiration.updateTimestamp(request.url));
        return kept;
      }
      return fetch(request).then(function (response) {
        if (response.status === 200) {
          var copy = response.clone();
          event.waitUntil(fromReportPage(event).then(function (keep) {
            if (!keep) { return null; }
            return cache.put(request, copy).then(function () {
              return tileExpiration.updateTimestamp(request.url);
            }).then(function () { return tileExpiration.expireEntries(); });
          }));
        }
        return response;
      });
    });
  });
}

function fromReportPage(event) {
  return self.clients.get(event.clientId).then(function (client) {
    return Boolean(client) && new URL(client.url).pathname === "/report";
  });
}
