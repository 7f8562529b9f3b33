/* Reports made offline wait in IndexedDB and are sent when the connection returns (on `online` and on the next
   visit; no Background Sync, which Safari and Firefox lack). Each carries its Idempotency-Key, so a report that was
   stored but whose answer got lost is not stored twice; it is deleted from the phone once the server acknowledged it. */
(function () {
  "use strict";
  var DB_NAME = "hiljade-kamera";
  var STORE = "outbox";
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

  /* One POST; resolves to {status, body}; rejects only when the network failed. */
  function send(url, item) {
    return fetch(url, {
      method: "POST",
      body: formData(item),
      headers: { "Idempotency-Key": item.key, Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    });
  }

  function permanent(status) {
    return status >= 400 && status < 500 && status !== 408 && status !== 429;
  }

  var queue = {
    add: function (item) { return withStore("readwrite", function (store) { return store.put(item); }); },
    all: function () { return withStore("readonly", function (store) { return store.getAll(); }); },
    remove: function (key) { return withStore("readwrite", function (store) { return store.delete(key); }); },
    send: send,
    permanent: permanent,
    /* Send every waiting report once; callbacks get (item, body). Concurrent calls share one run. */
    flush: function (url, onDelivered, onRejected) {
      if (flushing) { return flushing; }
      flushing = queue.all().then(function (items) {
        return items.reduce(function (chain, item) {
          return chain.then(function () {
            return send(url, item).then(function (result) {
              if (result.status === 200 || result.status === 201) {
                return queue.remove(item.key).then(function () { onDelivered(item, result.body); });
              }
              if (permanent(result.status)) {
                return queue.remove(item.key).then(function () { onRejected(item, result.body); });
              }
              return undefined;  // server trouble: keep it for later
            });
          });
        }, Promise.resolve());
      }).catch(function () { return undefined; }).then(function () { flushing = null; });
      return flushing;
    }
  };
  window.ReportQueue = queue;
})();
