"""Static files served from our origin with content-hashed URLs: our own `static/`, Leaflet from PyPI (XStatic), and
from the npm registry (installed by `npm ci` from package-lock.json into node_modules/, never committed) the vector
renderer, its font and the service worker's cache expiry.

`url_for("static", ...)`, `url_for("assets.vendor", ...)` and `url_for("assets.npm", ...)` add
`?v=<hash of the file>`; a request that carries
the file's current hash is cached for a year (`immutable`), any other (an old page, the service worker's plain
paths) is revalidated with its ETag. The bodies are read into memory so Flask-Compress compresses each file once
per process and coding (app/http.py) instead of on every request.
"""

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from flask import Blueprint, Flask, Response, abort, current_app, request, send_from_directory
from werkzeug.security import safe_join

from app.http import cache_compressed_body

bp = Blueprint("assets", __name__, url_prefix="/assets")

PACKAGES: dict[str, Path] = {
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "leaflet-markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
}
# Package name -> the folder inside node_modules/<package>/ that is served (nothing else of it is).
NPM_PACKAGES: dict[str, str] = {
    "protomaps-leaflet": "dist",  # draws vector tiles on canvas (no WebGL)
    "@fontsource/noto-sans": "",  # the map labels' font (Latin, Latin Extended, Cyrillic), OFL
    "workbox-core": "build",  # workbox-expiration's runtime
    "workbox-expiration": "build",  # the service worker's bounded tile cache
}
ONE_YEAR = 365 * 24 * 3600
VERSIONED_ENDPOINTS = ("static", "assets.vendor", "assets.npm")


def npm_dir(package: str) -> Path:
    return Path(current_app.config["NODE_MODULES_DIR"]) / package / NPM_PACKAGES[package]


@bp.get("/<package>/<path:filename>")
def vendor(package: str, filename: str):
    base = PACKAGES.get(package)
    if base is None:
        abort(404)
    # send_from_directory refuses paths that leave `base`.
    return send_from_directory(base, filename, max_age=7 * 24 * 3600)


@bp.get("/npm/<path:package>/-/<path:filename>")
def npm(package: str, filename: str):
    if package not in NPM_PACKAGES:
        abort(404)
    return send_from_directory(npm_dir(package), filename, max_age=7 * 24 * 3600)


def missing_npm_packages() -> list[str]:
    """Served packages that `npm ci` has not installed (the maps lose their base map without them)."""
    return [package for package in NPM_PACKAGES if not npm_dir(package).is_dir()]


def _file_of(endpoint: str, values: dict) -> str | None:
    if endpoint == "assets.npm":
        package = values.get("package", "")
        base = npm_dir(package) if package in NPM_PACKAGES else None
    else:
        base = current_app.static_folder if endpoint == "static" else PACKAGES.get(values.get("package", ""))
    return safe_join(str(base), values.get("filename", "")) if base else None


@lru_cache(maxsize=512)
def _hash_of(path: str, mtime_ns: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def file_version(endpoint: str, values: dict) -> str | None:
    """The content hash of the file an asset URL names (None if there is no such file)."""
    path = _file_of(endpoint, values)
    try:
        return _hash_of(path, os.stat(path).st_mtime_ns) if path else None
    except OSError:
        return None


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint in VERSIONED_ENDPOINTS and "v" not in values and (version := file_version(endpoint, values)):
        values["v"] = version


def _cache_and_compress_once(response: Response) -> Response:
    if request.endpoint not in VERSIONED_ENDPOINTS or response.status_code != 200:
        return response
    values = {**(request.view_args or {})}
    version = file_version(request.endpoint, values)
    if version and request.args.get("v") == version:
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.public = True
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    if version and response.mimetype in current_app.config["COMPRESS_MIMETYPES"]:
        response.direct_passthrough = False
        response.make_sequence()  # a body in memory, so Flask-Compress can keep its compressed copy
        cache_compressed_body(f"{request.path}@{version}")
    return response


def init_app(app: Flask) -> None:
    app.url_defaults(_add_version)
    app.after_request(_cache_and_compress_once)
