"""What the choropleth, the ranking and a municipality's page show, and their Folium documents (cached)."""

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from flask import render_template, url_for
from flask_babel import format_decimal, format_scientific, get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from app.basemap.services import basemap_settings, current_base
from app.camera_list.services import CameraPage, list_cameras
from app.cameras.filters import CameraFilters
from app.database import get_or_404
from app.declared import services as declared_services
from app.extensions import db
from app.geo import folium_maps, region, svg_map
from app.http import etag_of
from app.i18n import current_tag, format_number, place_name
from app.models import Camera, Municipality, OfficialFigure
from app.municipalities import density
from app.municipalities.palette import COLOURS, NO_VALUE
from app.vocabulary import Capability, Manufacturer

MAX_POINTS_ON_PAGE_MAP = 2000
CAMERAS_ON_PAGE = 20  # the newest; the camera list has them all


def measure_labels() -> dict[str, str]:
    return {
        "cameras": _("Cameras"),
        "cameras_per_km2": _("Cameras per km²"),
        "cameras_per_10k": _("Cameras per 10,000 residents"),
        "facial_recognition": _("Facial-recognition cameras"),
        "mapped_over_declared": _("Mapped ÷ declared"),
        "mapped_not_declared": _("Mapped but not on a declared list"),
    }


def city_names() -> dict[str, str]:
    """region.DENSE_CITIES' names in the reader's language."""
    return {"Belgrade": _("Belgrade"), "Novi Sad": _("Novi Sad"), "Niš": _("Niš"), "Prishtina": _("Prishtina")}


def zoom_places() -> list[tuple[str, Any]]:
    """What the choropleth's "zoom to" select offers: the whole area, then each dense city."""
    names = city_names()
    return [(_("Whole area"), region.BOUNDS), *((names[name], box) for name, box in region.DENSE_CITIES.items())]


def parse_measure(raw: str | None) -> str:
    return raw if raw in density.MEASURES else "cameras"


def value_of(row: dict, measure: str) -> float | None:
    """The row's value for the measure; None where it means nothing (flagged census, no declared figure)."""
    if measure in density.PER_CAPITA and row["population_unreliable"]:
        return None
    value = row[measure]
    return None if value is None else float(value)


@dataclass
class Choropleth:
    measure: str
    rows: list[dict]
    breaks: list[float]
    legend: list[tuple[str, str]] = field(default_factory=list)


def choropleth(measure: str) -> Choropleth:
    """Rows with values and quantile classes for a measure, plus the legend."""
    rows = density.density_rows()
    breaks = density.quantile_breaks([value_of(row, measure) or 0 for row in rows])
    for row in rows:
        row["value"] = value_of(row, measure)
        klass = density.class_of(row["value"], breaks)
        row["colour"] = NO_VALUE if klass is None else COLOURS[klass]
    legend = [(COLOURS[0], "0")]
    lower = 0.0
    for index, upper in enumerate(breaks, start=1):
        legend.append((COLOURS[index], f"{format_figure(lower)} – {format_figure(upper)}"))
        lower = upper
    legend.append((NO_VALUE, _("no meaningful value")))
    return Choropleth(measure, rows, breaks, legend)


def format_figure(value: float | None) -> str:
    """A figure readable at any size, in the reader's language: 1,234 · 12.5 · 0.76 · 0.0021 in English
    (small densities keep 2 significant digits)."""
    if value is None:
        return "–"
    value = float(value)
    if value >= 100 or value.is_integer():
        return format_number(round(value))
    if value >= 1:
        return format_decimal(value, format="#,##0.##")
    return format_decimal(value, format="@@") if value >= 0.0001 else format_scientific(value, format="0.0E0")


def _assets() -> dict[str, Any]:
    """What a Folium document links and draws: Leaflet, the base map as on every other map, translated zoom titles."""
    basemap = basemap_settings()
    vector = basemap["kind"] == "vector"
    scripts = [url_for("assets.vendor", package="leaflet", filename="leaflet.js")]
    stylesheets = [
        url_for("assets.vendor", package="leaflet", filename="leaflet.css"),
        url_for("static", filename="css/map-controls.css"),
    ]
    if vector:
        scripts.append(url_for("assets.npm", package="protomaps-leaflet", filename="protomaps-leaflet.js"))
        stylesheets.append(url_for("assets.npm", package="@fontsource/noto-sans", filename="400.css"))
    scripts.append(url_for("static", filename="js/basemap.js"))
    return {
        "scripts": scripts,
        "stylesheets": stylesheets,
        "basemap": basemap,
        "zoom_in": _("Zoom in"),
        "zoom_out": _("Zoom out"),
    }


_lock = threading.Lock()
_documents: dict[tuple, density.CachedBody] = {}


def choropleth_document(measure: str) -> density.CachedBody:
    """The Folium choropleth as an HTML document, rendered once per data version, base map, measure, language."""
    key = (density.data_version(), current_base().version, measure, str(get_locale()))
    cached = _documents.get(key)
    if cached is not None:
        return cached
    figures = choropleth(measure)
    by_code = {row["code"]: row for row in figures.rows}
    collection = json.loads(density.geojson_text())
    label = measure_labels()[measure]
    for feature in collection["features"]:
        row = by_code[feature["properties"]["code"]]
        feature["properties"] = {
            "code": row["code"],
            "name": place_name(row),
            "cameras": row["cameras"],
            "value": _("not meaningful (census unreliable)")
            if row["value"] is None and row["population_unreliable"]
            else ("–" if row["value"] is None else format_figure(row["value"])),
            "colour": row["colour"],
            "flagged": bool(row["population_unreliable"]),
        }

    def style(feature: dict) -> dict:
        props = feature["properties"]
        return {
            "fillColor": props["colour"],
            "fillOpacity": 0.8,
            "color": "#555" if not props["flagged"] else "#333",
            "weight": 0.7 if not props["flagged"] else 1.2,
            "dashArray": "5 4" if props["flagged"] else None,
        }

    html = folium_maps.choropleth_html(
        collection,
        style,
        ["name", "cameras", "value"],
        [_("Municipality"), _("Cameras"), label],
        region.BOUNDS,
        current_tag(),
        f"{_('Map')}: {label}",
        places=zoom_places(),
        places_label=_("Zoom to a city"),
        **_assets(),
    )
    body = html.encode()
    cached = density.CachedBody(key, body, etag_of(body))
    with _lock:
        if len(_documents) > 64:
            _documents.clear()
        _documents[key] = cached
    return cached


_images: dict[tuple, density.CachedBody] = {}


def choropleth_image(measure: str) -> density.CachedBody:
    """The choropleth as an SVG image drawn on the server (no script), once per data version, measure, language."""
    key = (density.data_version(), measure, str(get_locale()))
    cached = _images.get(key)
    if cached is not None:
        return cached
    figures = choropleth(measure)
    label = measure_labels()[measure]
    areas = {
        row["code"]: svg_map.Area(
            row["colour"],
            f"{place_name(row)}: {format_figure(row['value'])}",
            url_for("municipalities.detail", code=row["code"]),
            dashed=bool(row["population_unreliable"]),
        )
        for row in figures.rows
    }
    credit = f"© OpenStreetMap {_('contributors')} (ODbL); geoBoundaries; RZS 2022; KAS 2024; Hiljade kamera (ODbL 1.0)"
    body = svg_map.choropleth_svg(areas, label, figures.legend, credit).encode()
    cached = density.CachedBody(key, body, etag_of(body))
    with _lock:
        if len(_images) > 64:
            _images.clear()
        _images[key] = cached
    return cached


@dataclass(frozen=True)
class RankingPage:
    """What /municipalities/ shows of one measure: the choropleth's figures and the ranking table, rendered."""

    choropleth: Choropleth
    table: Markup


_rankings: dict[tuple, RankingPage] = {}


def ranking_page(measure: str) -> RankingPage:
    """The figures and the ranking table of a measure, once per data version, measure and language: the table's
    4,500 cells are the same for every reader and took 40 ms of a worker's time to write."""
    key = (density.data_version(), measure, str(get_locale()))
    cached = _rankings.get(key)
    if cached is not None:
        return cached
    figures = choropleth(measure)
    # The template escapes everything it writes (autoescape), so its output is markup.
    html = render_template("municipalities/_ranking.html", choropleth=figures, breakdown=breakdown_columns())
    table = Markup(html)  # noqa: S704
    cached = RankingPage(figures, table)
    with _lock:
        if len(_rankings) > 64:
            _rankings.clear()
        _rankings[key] = cached
    return cached


def breakdown_columns() -> list[tuple[str, list[tuple[str, str]]]]:
    """The ranking's column groups: (group label, [(column of density.BREAKDOWN_COLUMNS, label)])."""
    return [
        (_("Cameras by manufacturer"), [(f"manufacturer_{m.value.lower()}", m.label) for m in Manufacturer]),
        (_("Cameras by capability"), [(f"capability_{c.value}", c.label) for c in Capability]),
    ]


@dataclass
class Profile:
    municipality: Municipality
    figures: dict
    by_manufacturer: list[tuple[str, int]]
    by_capability: list[tuple[str, int]]
    over_time: list[tuple[str, int]]
    official: list[OfficialFigure]
    cameras: CameraPage
    declared_lists: list = field(default_factory=list)  # app.declared.services.ListVersion


def find(code: str) -> Municipality:
    return get_or_404(Municipality, code=code)


def municipality_profile(code: str) -> Profile:
    """A municipality's figures and breakdowns (trigger-kept counts), cameras mapped per month, official figures."""
    municipality = find(code)
    row = next(r for r in density.density_rows() if r["code"] == code)
    makers = {m.value: m.label for m in Manufacturer}
    caps = {c.value: c.label for c in Capability}
    by_manufacturer = sorted(
        ((makers.get(k, k), v) for k, v in row["cameras_by_manufacturer"].items()), key=lambda kv: -kv[1]
    )
    by_capability = sorted(
        ((caps.get(k, k), v) for k, v in row["cameras_by_capability"].items()), key=lambda kv: -kv[1]
    )
    month = func.to_char(func.date_trunc("month", Camera.first_confirmed_on), "YYYY-MM")
    monthly = db.session.execute(
        select(month, func.count())
        .where(Camera.municipality_id == municipality.id, func.camera_counted(Camera.status))
        .group_by(month)
        .order_by(month)
    ).all()
    running, over_time = 0, []
    for label, count in monthly:
        running += count
        over_time.append((label, running))
    official = list(
        db.session.scalars(
            select(OfficialFigure)
            .where(OfficialFigure.municipality_id == municipality.id)
            .order_by(OfficialFigure.document_date.desc(), OfficialFigure.id.desc())
        )
    )
    cameras = list_cameras(CameraFilters(municipality=code), per_page=CAMERAS_ON_PAGE)
    declared_lists = declared_services.current_lists_in(municipality.id)
    return Profile(municipality, row, by_manufacturer, by_capability, over_time, official, cameras, declared_lists)


def municipality_document(code: str) -> str:
    """The Folium map of one municipality: its boundary and (up to a limit) its cameras."""
    municipality = find(code)
    boundary = db.session.scalar(
        select(func.ST_AsGeoJSON(Municipality.boundary_simplified, 5)).where(Municipality.id == municipality.id)
    )
    points = db.session.execute(
        select(func.ST_X(Camera.location), func.ST_Y(Camera.location))
        .where(Camera.municipality_id == municipality.id, func.camera_counted(Camera.status))
        .order_by(Camera.id)
        .limit(MAX_POINTS_ON_PAGE_MAP)
    ).all()
    feature = {"type": "Feature", "geometry": json.loads(boundary), "properties": {}}
    title = f"{_('Map')}: {place_name(municipality)}"
    return folium_maps.municipality_html(feature, points, _("Camera"), current_tag(), title, **_assets())
