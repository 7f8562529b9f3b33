/* The receipt page: a report sent by the report page's script carries its withdrawal secret in the URL's fragment
   (#secret=...), which the browser never sends to any server. Show it and put it into the withdrawal form, then
   drop it from the address bar so that it is not kept in the history or a shared link. */
(function () {
  "use strict";
  var match = /(?:^#|&)secret=([A-Za-z0-9-]{1,64})/.exec(window.location.hash);
  var input = document.getElementById("withdrawal-secret");
  if (!match || !input) { return; }
  input.value = match[1];
  document.getElementById("withdrawal-secret-shown").textContent = match[1];
  document.getElementById("withdrawal-secret-box").hidden = false;
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
