"""Which base map the maps draw, and importing one."""

import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import nh3
from flask import current_app, url_for
from flask_babel import force_locale

from app.basemap import mbtiles, outline
from app.municipalities.services import boundary_attribution

# Leaflet's default and what a street-level base shows best; vector tiles are drawn larger beyond their maxzoom.
DISPLAY_MAX_ZOOM = 19


@dataclass(frozen=True)
class BaseMap:
    """What the maps' scripts need to draw the base: `kind` is vector, raster, external (TILE_URL) or none."""

    kind: str
    url: str = ""
    attribution: str = ""
    max_zoom: int = DISPLAY_MAX_ZOOM
    max_data_zoom: int = DISPLAY_MAX_ZOOM
    tileset: mbtiles.Tileset | None = None

    @property
    def street_level(self) -> bool:
        """False for the municipalities' own base (or none): the admin pages say how to import a street map."""
        if self.kind == "external":
            return True
        return self.tileset is not None and not is_outline(self.tileset)

    @property
    def draws_municipalities(self) -> bool:
        """Whether the base draws the municipalities' outlines itself, so the maps need not fetch them to outline."""
        return self.kind == "vector" and self.tileset is not None and "municipalities" in self.tileset.vector_layers

    @property
    def external_origin(self) -> str:
        """The origin of a third-party tile server ('' for our own tiles): the CSP and the admin warning name it."""
        if self.kind != "external":
            return ""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""

    @property
    def version(self) -> str:
        return self.tileset.version if self.tileset else ""


def is_outline(tileset: mbtiles.Tileset) -> bool:
    """Whether the tileset is the municipalities' own base (app/basemap/outline.py), not an imported map."""
    return tileset.metadata.get("generator") == outline.GENERATOR


def reader() -> mbtiles.Reader:
    """One reader per BASEMAP_FILE per process (its connections are per thread)."""
    path = str(current_app.config["BASEMAP_FILE"])
    readers = current_app.extensions.setdefault("basemap_readers", {})
    if path not in readers:
        readers[path] = mbtiles.Reader(path)
    return readers[path]


def safe_attribution(text: str) -> str:
    """Attribution HTML kept to text and http(s) links: a file's metadata is written by whoever made the file."""
    return nh3.clean(text, tags={"a"}, attributes={"a": {"href"}}, url_schemes={"http", "https"})


def current_base() -> BaseMap:
    """The base map as configured now: TILE_URL if the operator chose a tile server, else BASEMAP_FILE."""
    config = current_app.config
    if config["TILE_URL"]:
        return BaseMap("external", config["TILE_URL"], config["TILE_ATTRIBUTION"], config["TILE_MAX_ZOOM"],
                       config["TILE_MAX_ZOOM"])  # fmt: skip
    try:
        tileset = reader().tileset()
    except mbtiles.InvalidTileset:
        current_app.logger.exception("BASEMAP_FILE cannot be served")
        tileset = None
    if tileset is None:
        return BaseMap("none")
    template = url_for("basemap.tile", version=tileset.version, z=0, x=0, y=0, ext=tileset.format)
    return BaseMap(
        "vector" if tileset.is_vector else "raster",
        template.replace("/0/0/0.", "/{z}/{x}/{y}."),
        html.escape(boundary_attribution())
        if is_outline(tileset)
        else safe_attribution(tileset.metadata.get("attribution", "")),
        DISPLAY_MAX_ZOOM,
        tileset.maxzoom,
        tileset,
    )


def basemap_settings() -> dict:
    """The base map as static/js/basemap.js draws it, for every map page and Folium document."""
    base = current_base()
    return {
        "kind": base.kind,
        "url": base.url,
        "attribution": base.attribution,
        "maxZoom": base.max_zoom,
        "maxDataZoom": base.max_data_zoom,
        "outlines": base.draws_municipalities,
        # static/js/basemap.js loads the renderer itself, once a map needs it
        "renderer": url_for("assets.npm", package="protomaps-leaflet", filename="protomaps-leaflet.js")
        if base.kind == "vector"
        else "",
    }


def _attribution(tileset: mbtiles.Tileset) -> str:
    if is_outline(tileset):  # in the reader's language, as the home map credits the same boundaries
        return html.escape(boundary_attribution())
    return safe_attribution(tileset.metadata.get("attribution", ""))


def import_file(source: str | Path, attribution: str | None = None) -> mbtiles.Tileset:
    """Check an MBTiles file and copy it to BASEMAP_FILE, where every server reads it; the old one is replaced."""
    source = Path(source)
    checked = mbtiles.read_tileset(source)
    if attribution is None and not checked.metadata.get("attribution", "").strip():
        raise mbtiles.InvalidTileset("the file names no attribution: give the one its licence requires (--attribution)")
    target = Path(current_app.config["BASEMAP_FILE"])
    if source.resolve() == target.resolve():
        raise mbtiles.InvalidTileset("the file is BASEMAP_FILE itself")
    mbtiles.copy_with_version(source, target, attribution)
    return mbtiles.read_tileset(target)


def build_outline(replace_imported: bool = False) -> tuple[Path, int] | None:
    """Draw the municipalities' base into BASEMAP_FILE unless a street-level map is there (or replace_imported)."""
    target = Path(current_app.config["BASEMAP_FILE"])
    if target.exists() and not replace_imported:
        try:
            if not is_outline(mbtiles.read_tileset(target)):
                return None
        except mbtiles.InvalidTileset:
            return None  # someone else's file: never overwritten without being asked
    target.parent.mkdir(parents=True, exist_ok=True)
    with force_locale("en"):  # the file's own metadata; the maps show the credit in the reader's language
        return outline.build(target, html.escape(boundary_attribution()))
