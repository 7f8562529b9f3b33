/* The report page's view of the outbox (report-queue.js): why a report is not sent yet, in the reader's
   language; progress bars; the list of reports kept on this phone with "Send now", "Edit" and "Discard"; and
   the retries while the page is open. Every text comes from the page (data-msg-* attributes, rendered with
   gettext) or from the server's error envelope, which is already in the reader's language. */
(function () {
  "use strict";
  var FIRST_RETRY_MS = 15000;
  var LAST_RETRY_MS = 300000;

  function smallButton(text, name, action) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button small";
    button.name = name;
    button.textContent = text;
    button.addEventListener("click", function () { action(button); });
    return button;
  }

  function fieldValue(item, name) {
    var pair = item.fields.filter(function (p) { return p[0] === name; })[0];
    return pair ? pair[1] : "";
  }

  /* options: msg (the page's strings), queue, apiUrl, receiptUrl(reference), statusEl, currentKey() (the report
     in the form, not listed), edit(item) (puts a refused report back into the form). */
  function create(options) {
    var msg = options.msg;
    var queue = options.queue;
    var box = document.getElementById("outbox");
    var list = document.getElementById("outbox-list");
    var notice = document.getElementById("outbox-notice");
    var retryDelay = FIRST_RETRY_MS;
    var retryTimer = null;

    function reasonOf(error) {
      if (!error) { return ""; }
      if (error.reason === "offline") { return msg.msgQueued; }
      if (error.reason === "timeout") { return msg.msgStalled; }
      if (error.reason === "network") { return msg.msgNetworkFailed; }
      var text = error.message;
      if (!text) {
        if (error.status === 413) { text = msg.msgTooLarge; }
        else if (queue.permanent(error.status)) { text = msg.msgFailed; }
        else { text = msg.msgServerTrouble; }
      }
      var fields = (error.details && error.details.fields) || {};
      Object.keys(fields).forEach(function (name) {
        fields[name].forEach(function (message) { if (text.indexOf(message) === -1) { text += " " + message; } });
      });
      return text;
    }

    function waitingText(error) {
      return error && error.reason === "offline" ? msg.msgQueued : reasonOf(error) + " " + msg.msgSavedRetry;
    }

    /* A <progress> with its <label class="progress-label"> inside `container`: "Sending… 42 %". */
    function progressBar(container) {
      var bar = container.querySelector("progress");
      var label = container.querySelector(".progress-label");
      function show(percent) {
        bar.value = percent;
        label.textContent = msg.msgProgress.replace("PERCENT", String(percent));
      }
      return {
        start: function () { show(0); container.hidden = false; },
        update: function (fraction) { show(Math.min(100, Math.floor(fraction * 100))); },
        uploaded: function () { bar.value = 100; label.textContent = msg.msgWaitingAnswer; },
        stop: function () { container.hidden = true; }
      };
    }

    function sendOptions(progress) {
      var language = document.documentElement.lang;
      return progress ? { language: language, onProgress: progress.update, onUploaded: progress.uploaded } :
        { language: language };
    }

    /* Sends one report with a progress bar; a report left waiting is tried again later. */
    function deliver(item, progress) {
      progress.start();
      return queue.deliver(options.apiUrl, item, sendOptions(progress)).then(function (answer) {
        progress.stop();
        if (answer.outcome === "waiting") { scheduleRetry(); }
        return answer;
      });
    }

    function writeDelivered(el, body) {
      var link = document.createElement("a");
      link.href = options.receiptUrl(body.reference, body.withdrawal_secret);
      link.textContent = body.reference;
      el.textContent = msg.msgDelivered + " ";
      el.appendChild(link);
    }

    function showDelivered(body) {
      writeDelivered(options.statusEl, body);
      options.statusEl.dataset.kind = "delivered";
      // Also where the reporter pressed "Send now"; not a live region: the form's status already speaks.
      writeDelivered(notice, body);
      notice.hidden = false;
      box.hidden = false;
    }

    function entry(item, index) {
      var li = document.createElement("li");
      li.className = "outbox-item";
      li.dataset.key = item.key;
      li.dataset.state = item.state || "waiting";
      var what = document.createElement("p");
      var note = fieldValue(item, "note");
      what.textContent = msg.msgPlace + " " + fieldValue(item, "lat") + ", " + fieldValue(item, "lon") + " · " +
        msg.msgPhotos + " " + item.photos.length + (note ? " · “" + note.slice(0, 60) + "”" : "");
      var why = document.createElement("p");
      why.className = "outbox-reason";
      why.textContent = reasonOf(item.error);
      var progressBox = document.createElement("div");
      progressBox.className = "send-progress";
      progressBox.hidden = true;
      progressBox.innerHTML = '<label class="progress-label" for="outbox-progress-' + index + '"></label>' +
        '<progress id="outbox-progress-' + index + '" max="100" value="0"></progress>';
      var buttons = document.createElement("div");
      buttons.className = "button-row";
      if (li.dataset.state === "refused") {
        buttons.appendChild(smallButton(msg.msgEdit, "edit", function () { options.edit(item); render(); }));
      } else {
        buttons.appendChild(smallButton(msg.msgSendNow, "send-now", function (button) {
          if (queue.sending(item.key) || navigator.onLine === false) { return; }
          button.disabled = true;
          deliver(item, progressBar(progressBox)).then(function (answer) {
            if (answer.outcome === "delivered") { showDelivered(answer.body); }
            render();
          });
        }));
      }
      buttons.appendChild(smallButton(msg.msgDiscard, "discard", function () {
        // Being sent now: it may already be stored; once delivered, its receipt's secret withdraws it instead.
        if (queue.sending(item.key)) { return; }
        if (!window.confirm(msg.msgDiscardConfirm)) { return; }
        queue.remove(item.key).catch(function () { return undefined; }).then(render);
      }));
      [what, why, progressBox, buttons].forEach(function (el) { li.appendChild(el); });
      return li;
    }

    /* Lists the reports kept on this phone, except the one in the form. */
    function render() {
      return queue.all().then(function (items) {
        var shown = items.filter(function (item) { return item.key !== options.currentKey(); });
        list.innerHTML = "";
        shown.forEach(function (item, index) { list.appendChild(entry(item, index)); });
        document.getElementById("outbox-title").hidden = shown.length === 0;
        box.hidden = shown.length === 0 && notice.hidden;
      }).catch(function () { box.hidden = true; });
    }

    /* While the page is open, waiting reports are tried again after 15 s, 30 s, ... then every 5 minutes. */
    function scheduleRetry() {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, LAST_RETRY_MS);
    }

    function flush() {
      if (navigator.onLine === false) { return Promise.resolve(); }
      var stillWaiting = false;
      return queue.flush(options.apiUrl, function (item, answer) {
        if (answer.outcome === "delivered") { showDelivered(answer.body); }
        if (answer.outcome === "waiting") { stillWaiting = true; }
      }, sendOptions(null)).then(function () {
        if (stillWaiting) { scheduleRetry(); } else { retryDelay = FIRST_RETRY_MS; }
        return render();
      });
    }

    window.addEventListener("online", flush);
    return {
      reasonOf: reasonOf,
      waitingText: waitingText,
      progressBar: progressBar,
      deliver: deliver,
      render: render,
      flush: flush
    };
  }

  window.ReportOutbox = { create: create };
})();
