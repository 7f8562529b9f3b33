"""Front-end libraries installed as Python packages (XStatic) and served from our own origin."""

from pathlib import Path

import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from flask import Blueprint, abort, send_from_directory

bp = Blueprint("assets", __name__, url_prefix="/assets")

PACKAGES: dict[str, Path] = {
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "leaflet-markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
}


@bp.get("/<package>/<path:filename>")
def vendor(package: str, filename: str):
    base = PACKAGES.get(package)
    if base is None:
        abort(404)
    # send_from_directory refuses paths that leave `base`.
    return send_from_directory(base, filename, max_age=7 * 24 * 3600)
