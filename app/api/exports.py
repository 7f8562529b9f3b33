"""Bulk downloads of the verified cameras: GeoJSON, CSV, OSM XML, and municipality density figures."""

from collections.abc import Callable, Iterator

from flask import Response, stream_with_context

from app.api import bp
from app.opendata import exports, osm

MAX_AGE = 300


def _download(chunks: Callable[[], Iterator[str]], mimetype: str, filename: str) -> Response:
    """A streamed download: the body is produced row by row while it is sent, never built in memory."""
    response = Response(stream_with_context(chunks()), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response


@bp.get("/export/cameras.geojson")
def export_cameras_geojson():
    return _download(exports.cameras_geojson, "application/geo+json", "cameras.geojson")


@bp.get("/export/cameras.csv")
def export_cameras_csv():
    return _download(exports.cameras_csv, "text/csv", "cameras.csv")


@bp.get("/export/municipalities.csv")
def export_municipalities_csv():
    return _download(exports.municipalities_csv, "text/csv", "municipalities.csv")


@bp.get("/export/cameras.osm")
def export_cameras_osm():
    return _download(osm.cameras_osm_xml, "application/vnd.openstreetmap.data+xml", "cameras.osm")
