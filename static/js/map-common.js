/* What the pages with a Leaflet map share (map.js, report.js, moderation.js): the base map the server configured
   (basemap.js), settings the server wrote into the map element's data attributes
   (templates/partials/map.html) and text escaped for HTML. Loaded after leaflet.js and basemap.js, before the page's script. */
(function () {
  "use strict";

  /* A Leaflet map on `el` (options as for L.map, and zoomPosition for the zoom buttons' corner) with the base map
     of its data-basemap attribute (basemap.js) and no "Leaflet" link before the attribution. With `baseAfter` (a
     promise) the base is added when it settles: a page whose own layer is what the reader came for draws that
     first, and the renderer's download and drawing wait. */
  function baseMap(el, options) {
    var data = el.dataset;
    var settings = jsonData(el, "basemap");
    options = L.extend({}, options);
    var after = options.baseAfter || Promise.resolve();
    delete options.baseAfter;
    var zoom = options.zoomControl !== false;
    var map = L.map(el, L.extend({ maxZoom: settings.maxZoom }, options, { zoomControl: false }));
    if (zoom) {  // Leaflet's own titles are English: the page's are on the element
      L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut, position: options.zoomPosition || "topleft" })
        .addTo(map);
    }
    map.attributionControl.setPrefix(false);
    window.Basemap.addTo(map, settings, after);
    return map;
  }

  /* A data attribute the server wrote as JSON, by its dataset name: jsonData(el, "palette") for data-palette. */
  function jsonData(el, name) {
    return JSON.parse(el.dataset[name]);
  }

  /* `text` (null and undefined as "") made safe to put inside HTML. */
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  /* `url` (which may carry a query string, such as ?lang=) with `params` set in its query. */
  function withParams(url, params) {
    var result = new URL(url, window.location.href);
    Object.keys(params).forEach(function (key) { result.searchParams.set(key, params[key]); });
    return result.pathname + result.search;
  }

  /* The reader's language (BCP 47, as <html lang>): pages the scripts link to are opened in it. */
  function inLanguage(url) {
    return withParams(url, { lang: document.documentElement.lang });
  }

  /* After a script changed this page's query string (history.replaceState), the language switcher must offer
     the page as it is now: each link keeps the new query string with its own language. */
  function refreshLanguageLinks() {
    Array.prototype.forEach.call(document.querySelectorAll("nav.lang a[hreflang], link[rel=alternate][hreflang]"),
      function (link) {
        var href = withParams(window.location.href, { lang: link.getAttribute("hreflang") });
        // <link> keeps the absolute address on the public origin the server wrote (search engines need it).
        link.setAttribute("href", link.tagName === "LINK" ? new URL(href, link.href).href : href);
      });
  }

  /* A municipality's name in the page's language and script (the API gives every name it has). */
  function placeName(p) {
    var lang = document.documentElement.lang;
    var preferred = { "sr-Cyrl": p.name_cyrillic, sq: p.name_sq, en: p.name_en }[lang];
    return preferred || p.name;
  }

  window.MapCommon = {
    baseMap: baseMap,
    jsonData: jsonData,
    escapeHtml: escapeHtml,
    withParams: withParams,
    inLanguage: inLanguage,
    refreshLanguageLinks: refreshLanguageLinks,
    placeName: placeName
  };
})();
