/* The outbox: every report is kept in IndexedDB from the moment it is sent until the server has acknowledged it
   (201, or 200 for a replay of the same Idempotency-Key). A report whose answer never came (offline, network
   error, stalled upload, 5xx, 429) waits as "waiting" and is sent again on `online`, on the next visit and from
   the page's retry timer (no Background Sync, which Safari and Firefox lack); one the server refused (4xx) waits
   as "refused" with the server's reason until the reporter edits and resends it or discards it. Nothing here
   deletes a report for any other reason. */
(function () {
  "use strict";
  var DB_NAME = "hiljade-kamera";
  var STORE = "outbox";
  var inFlight = {};  // keys being sent now: a flush never sends a report the form is already sending
  var flushing = null;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function formData(item) {
    var data = new FormData();
    item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    item.photos.forEach(function (photo) { data.append("photos", photo.blob, photo.name); });
    return data;
  }

  /* One POST through XMLHttpRequest, because fetch reports no upload progress. Resolves to {status, body} for
     any answer; rejects with {reason: "offline" | "network" | "timeout"} when no answer came. The timeout is
     for silence (no byte moved for queue.stallMs), not for the whole upload: a 5 MB photo on a weak
     connection may rightly take minutes. */
  function send(url, item, options) {
    options = options || {};
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      var stall = null;
      var stalled = false;
      function rearm() {
        clearTimeout(stall);
        stall = setTimeout(function () { stalled = true; xhr.abort(); }, queue.stallMs);
      }
      function failed() {
        clearTimeout(stall);
        reject({ reason: stalled ? "timeout" : (navigator.onLine === false ? "offline" : "network") });
      }
      xhr.open("POST", url);
      xhr.setRequestHeader("Idempotency-Key", item.key);
      xhr.setRequestHeader("Accept", "application/json");
      if (options.language) { xhr.setRequestHeader("Accept-Language", options.language); }
      xhr.upload.onprogress = function (event) {
        rearm();
        if (options.onProgress && event.lengthComputable && event.total) {
          options.onProgress(event.loaded / event.total);
        }
      };
      xhr.upload.onload = function () {
        rearm();
        if (options.onUploaded) { options.onUploaded(); }
      };
      xhr.onprogress = rearm;
      xhr.onload = function () {
        clearTimeout(stall);
        var body = {};
        try { body = JSON.parse(xhr.responseText) || {}; } catch (_notJson) { body = {}; }
        resolve({ status: xhr.status, body: body });
      };
      xhr.onerror = failed;
      xhr.onabort = failed;
      xhr.ontimeout = failed;
      rearm();
      xhr.send(formData(item));
    });
  }

  function delivered(status) { return status === 200 || status === 201; }

  /* A refusal the reporter has to act on; 408 and 429 are the server asking for a later retry. */
  function permanent(status) {
    return status >= 400 && status < 500 && status !== 408 && status !== 429;
  }

  function errorOf(result) {
    var error = (result.body && result.body.error) || {};
    return { status: result.status, code: error.code || "", message: error.message || "", details: error.details || {} };
  }

  function put(item) { return withStore("readwrite", function (store) { return store.put(item); }); }

  var queue = {
    stallMs: 60000,
    add: put,
    get: function (key) { return withStore("readonly", function (store) { return store.get(key); }); },
    all: function () { return withStore("readonly", function (store) { return store.getAll(); }); },
    /* Resolves to true when this phone may hold reports, without creating the database on a phone that never
       reported (browsers without indexedDB.databases() are asked by opening it). */
    exists: function () {
      if (!window.indexedDB) { return Promise.resolve(false); }
      if (!indexedDB.databases) { return Promise.resolve(true); }
      return indexedDB.databases().then(function (list) {
        return list.some(function (db) { return db.name === DB_NAME; });
      }, function () { return false; });
    },
    remove: function (key) { return withStore("readwrite", function (store) { return store.delete(key); }); },
    sending: function (key) { return Boolean(inFlight[key]); },
    send: send,
    permanent: permanent,

    /* Save `item` in the outbox, send it, and record what happened. Resolves (never rejects) to
       {outcome: "delivered" | "refused" | "waiting", item, body, stored}; `stored` is false when the phone could
       not keep the report (no IndexedDB, storage full), and then only the page still holds it. */
    deliver: function (url, item, options) {
      var stored = true;
      inFlight[item.key] = true;
      item.state = item.state || "waiting";
      function keep(state, error) {
        item.state = state;
        item.error = error;
        return put(item).catch(function () { stored = false; }).then(function () {
          return { outcome: state, item: item, stored: stored };
        });
      }
      return put(item).catch(function () { stored = false; }).then(function () {
        return send(url, item, options);
      }).then(function (result) {
        if (delivered(result.status)) {
          return queue.remove(item.key).catch(function () { return undefined; }).then(function () {
            return { outcome: "delivered", item: item, body: result.body, stored: stored };
          });
        }
        return keep(permanent(result.status) ? "refused" : "waiting", errorOf(result));
      }, function (failure) {
        return keep("waiting", { reason: failure.reason });
      }).then(function (answer) {
        delete inFlight[item.key];
        return answer;
      });
    },

    /* Send every report that waits (not the refused ones: they need the reporter). Callbacks get
       (item, answer). Concurrent calls share one run. */
    flush: function (url, onAnswer, options) {
      if (flushing) { return flushing; }
      flushing = queue.all().then(function (items) {
        return items.reduce(function (chain, item) {
          if (item.state === "refused" || inFlight[item.key]) { return chain; }
          return chain.then(function () {
            // Read again just before sending: a report cancelled (discarded) from the outbox meanwhile is not sent.
            return queue.get(item.key).then(function (current) {
              if (!current || current.state === "refused") { return undefined; }
              return queue.deliver(url, current, options).then(function (answer) { onAnswer(current, answer); });
            });
          });
        }, Promise.resolve());
      }).catch(function () { return undefined; }).then(function () { flushing = null; });
      return flushing;
    }
  };
  window.ReportQueue = queue;
})();
