"""Server-rendered Folium maps that load nothing from other hosts.

Folium's defaults pull Leaflet, jQuery, Bootstrap and Font Awesome from CDNs; every default is replaced by
Leaflet and the base map from our own origin, and the inline scripts Folium writes are allowed by hash (see
`inline_script_hashes`).
"""

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import folium
from branca.element import MacroElement
from folium.features import GeoJsonTooltip
from jinja2 import Template
from markupsafe import escape

SCRIPT_RE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


VIEWPORT_RE = re.compile(r'<meta name="viewport" content="[^"]*"\s*/?>', re.S)
MAP_DIV_RE = re.compile(r'<div class="folium-map" (id="[^"]+")\s*></div>')
VISUALLY_HIDDEN = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"


def _document(fmap: folium.Map, lang: str, title: str) -> str:
    """The rendered map as an HTML document in the reader's language, titled, zoomable (Folium forbids zooming
    the page, which fails WCAG 1.4.4) and with the map as its main landmark under a visually hidden h1."""
    html = fmap.get_root().render().replace("<html>", f'<html lang="{lang}">', 1)
    html = VIEWPORT_RE.sub('<meta name="viewport" content="width=device-width, initial-scale=1">', html, count=1)
    html = html.replace("<head>", f"<head>\n<title>{escape(title)}</title>", 1)
    heading = f'<h1 style="{VISUALLY_HIDDEN}">{escape(title)}</h1>'
    return MAP_DIV_RE.sub(lambda m: f'<main class="folium-map" {m.group(1)}>{heading}</main>', html, count=1)


class _ZoomControl(MacroElement):
    """Leaflet's zoom buttons with titles in the reader's language (Leaflet's own are English)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        L.control.zoom({{ this.options|tojson }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, zoom_in: str, zoom_out: str) -> None:
        super().__init__()
        self._name = "ZoomControl"
        self.options = {"zoomInTitle": zoom_in, "zoomOutTitle": zoom_out}


class _BaseMap(MacroElement):
    """The site's base map (static/js/basemap.js), the same as under every other map, instead of a TileLayer."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix(false);
        window.Basemap.addTo({{ this._parent.get_name() }}, {{ this.settings|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__()
        self._name = "BaseMap"
        self.settings = settings


class _ZoomTo(MacroElement):
    """A select over the map that fits it to a place: the whole area or a dense city (region.DENSE_CITIES)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map, places, label) {
          var control = L.control({ position: "topright" });
          control.onAdd = function () {
            var select = L.DomUtil.create("select", "map-zoom-to");
            select.setAttribute("aria-label", label);
            places.forEach(function (place, index) {
              var option = document.createElement("option");
              option.value = String(index);
              option.textContent = place[0];
              select.appendChild(option);
            });
            L.DomEvent.disableClickPropagation(select);
            select.addEventListener("change", function () { map.fitBounds(places[Number(select.value)][1]); });
            return select;
          };
          control.addTo(map);
        })({{ this._parent.get_name() }}, {{ this.places|tojson }}, {{ this.label|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, places: list[tuple[str, Sequence[Sequence[float]]]], label: str) -> None:
        super().__init__()
        self._name = "ZoomTo"
        self.places = places
        self.label = label


def _local_map(scripts: list[str], stylesheets: list[str], basemap: dict[str, Any], zoom_in: str, zoom_out: str):
    fmap = folium.Map(tiles=None, control_scale=True, zoom_control=False, zoom_snap=0.25, max_zoom=basemap["maxZoom"])
    _ZoomControl(zoom_in, zoom_out).add_to(fmap)
    # Instance attributes shadow the class's CDN lists: only our own Leaflet, renderer and base-map script.
    fmap.default_js = [(f"script{index}", url) for index, url in enumerate(scripts)]
    fmap.default_css = [(f"stylesheet{index}", url) for index, url in enumerate(stylesheets)]
    _BaseMap(basemap).add_to(fmap)
    return fmap


def choropleth_html(
    collection: dict[str, Any],
    style: Callable[[dict], dict],
    tooltip_fields: list[str],
    tooltip_aliases: list[str],
    bounds: Sequence[Sequence[float]],
    lang: str,
    title: str,
    places: list[tuple[str, Sequence[Sequence[float]]]] | None = None,
    places_label: str = "",
    **assets: Any,
) -> str:
    """A full HTML document: the municipalities coloured by `style`, with tooltips, and a select that zooms to
    `places` ((name, bounds), the first the whole map) when given."""
    fmap = _local_map(**assets)
    if places:
        _ZoomTo(places, places_label).add_to(fmap)
    folium.GeoJson(
        collection,
        name="municipalities",
        style_function=style,
        highlight_function=lambda _feature: {"weight": 2.5, "color": "#111"},
        tooltip=GeoJsonTooltip(fields=tooltip_fields, aliases=tooltip_aliases, sticky=True),
        zoom_on_click=False,
    ).add_to(fmap)
    fmap.fit_bounds(bounds)
    return _document(fmap, lang, title)


def municipality_html(
    boundary: dict[str, Any],
    points: Iterable[tuple[float, float]],
    camera_label: str,
    lang: str,
    title: str,
    **assets: Any,
) -> str:
    """A full HTML document: one municipality's boundary and its cameras as small circles."""
    fmap = _local_map(**assets)
    outline = folium.GeoJson(
        boundary, style_function=lambda _f: {"color": "#b3261e", "weight": 2, "fillOpacity": 0.05}
    ).add_to(fmap)
    for lon, lat in points:
        folium.CircleMarker(
            [lat, lon], radius=4, color="#b3261e", weight=1, fill=True, fill_opacity=0.8, tooltip=camera_label
        ).add_to(fmap)
    fmap.fit_bounds(outline.get_bounds())
    return _document(fmap, lang, title)


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for every inline <script> of a rendered document."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in SCRIPT_RE.findall(html)
    ]
