"""Bulk downloads of the verified cameras: GeoJSON, CSV, OSM XML, and municipality density figures."""

from app.api import bp
from app.http import download
from app.opendata import exports, osm


@bp.get("/export/cameras.geojson")
def export_cameras_geojson():
    return download(exports.cameras_geojson, "application/geo+json", "cameras.geojson")


@bp.get("/export/cameras.csv")
def export_cameras_csv():
    return download(exports.cameras_csv, "text/csv", "cameras.csv")


@bp.get("/export/municipalities.csv")
def export_municipalities_csv():
    return download(exports.municipalities_csv, "text/csv", "municipalities.csv")


@bp.get("/export/cameras.osm")
def export_cameras_osm():
    return download(osm.cameras_osm_xml, "application/vnd.openstreetmap.data+xml", "cameras.osm")
