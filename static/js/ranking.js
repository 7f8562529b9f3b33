/* Sortable ranking table, the measure select that submits itself, and the interactive choropleth in place of the
   server-drawn image; the page works without this script. */
(function () {
  "use strict";
  var figure = document.getElementById("choropleth-figure");
  var image = document.getElementById("choropleth-image");
  if (figure && image) {
    var frame = document.createElement("iframe");
    frame.className = "folium-frame";
    frame.id = "choropleth";
    frame.title = figure.dataset.mapTitle;
    frame.src = figure.dataset.mapSrc;
    figure.replaceChild(frame, image);
  }
  var select = document.querySelector("select.autosubmit");
  if (select) { select.addEventListener("change", function () { select.form.submit(); }); }
  var table = document.getElementById("ranking-table");
  if (!table) { return; }
  var buttons = table.querySelectorAll("thead button");
  Array.prototype.forEach.call(buttons, function (button, column) {
    button.addEventListener("click", function () {
      var numeric = button.dataset.sort === "number";
      var descending = button.getAttribute("aria-sort") !== "descending";
      if (!numeric) { descending = button.getAttribute("aria-sort") === "ascending"; }
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.value, y = b.cells[column].dataset.value;
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, document.documentElement.lang);
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      Array.prototype.forEach.call(buttons, function (other) { other.removeAttribute("aria-sort"); });
      button.setAttribute("aria-sort", descending ? "descending" : "ascending");
    });
  });
})();
