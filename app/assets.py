"""Front-end libraries served from our own origin: Leaflet from PyPI (XStatic), and from the npm registry (installed
by `npm ci` from package-lock.json into node_modules/, never committed) the vector renderer, its font and the
service worker's cache expiry."""

from pathlib import Path

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from flask import Blueprint, abort, current_app, send_from_directory

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
