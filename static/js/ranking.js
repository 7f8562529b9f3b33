/* Sortable ranking table, the measure select that submits itself, and the interactive choropleth in place of the
   server-drawn image; the page works without this script.
   On a wide screen the interactive map replaces the image at once. On a phone the image stays until the reader asks
   for the map: a framed map there costs a second Leaflet and its base map before the page is usable, and it takes
   the finger that meant to scroll the page. */
(function () {
  "use strict";
  var figure = document.getElementById("choropleth-figure");
  var image = document.getElementById("choropleth-image");
  function openMap() {
    var frame = document.createElement("iframe");
    frame.className = "folium-frame";
    frame.id = "choropleth";
    frame.title = figure.dataset.mapTitle;
    frame.src = figure.dataset.mapSrc;
    figure.replaceChild(frame, image);
    return frame;
  }
  if (figure && image) {
    if (window.matchMedia("(min-width: 48rem)").matches) {
      openMap();
    } else {
      var button = document.createElement("button");
      button.type = "button";
      button.id = "open-choropleth";
      button.className = "open-map";
      button.textContent = figure.dataset.openLabel;
      button.addEventListener("click", function () { button.remove(); openMap().focus(); });
      figure.insertBefore(button, image.nextSibling);
    }
  }
  var select = document.querySelector("select.autosubmit");
  if (select) { select.addEventListener("change", function () { select.form.submit(); }); }
  /* A cell's value to sort by: its data-value, or the digits of a count written without one. */
  function sortValue(cell, numeric) {
    if (cell.dataset.value !== undefined) { return cell.dataset.value; }
    return numeric ? cell.textContent.replace(/\D/g, "") : cell.textContent;
  }
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
        var x = sortValue(a.cells[column], numeric), y = sortValue(b.cells[column], numeric);
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, document.documentElement.lang);
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      Array.prototype.forEach.call(buttons, function (other) { other.removeAttribute("aria-sort"); });
      button.setAttribute("aria-sort", descending ? "descending" : "ascending");
    });
  });
})();
