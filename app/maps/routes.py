"""The home page: a full-screen map of the verified cameras in Serbia and Kosovo, and their density."""

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from app.geo import region
from app.municipalities.profiles import COLOURS
from app.vocabulary import FILTER_VOCABULARIES

bp = Blueprint("maps", __name__)

# The labels of the map's filters (app.vocabulary.FILTER_VOCABULARIES: URL parameters of / and GET /api/v1/cameras).
FILTER_LABELS = {
    "capability": _l("Capability"),
    "manufacturer": _l("Manufacturer"),
    "operator": _l("Operator"),
    "camera_type": _l("Camera type"),
    "zone": _l("Zone"),
    "status": _l("Status"),
}


def map_config() -> dict:
    """What the map's JavaScript needs, passed as data attributes (no inline scripts under our CSP)."""
    return {
        "tile_url": current_app.config["TILE_URL"],
        "tile_attribution": current_app.config["TILE_ATTRIBUTION"],
        "tile_max_zoom": current_app.config["TILE_MAX_ZOOM"],
        "cameras_url": url_for("api.cameras_in_viewport"),
        "camera_page_url": url_for("cameras.detail", camera_id=0).removesuffix("0"),
        "municipality_page_url": url_for("municipalities.detail", code="CODE").removesuffix("CODE"),
        "region": region.BOUNDS,
        "region_with_margin": region.BOUNDS_WITH_MARGIN,
        "palette": COLOURS,
    }


def filter_choices() -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(name, str(FILTER_LABELS[name]), vocabulary.choices()) for name, vocabulary in FILTER_VOCABULARIES.items()]


@bp.get("/")
def index():
    return render_template("maps/index.html", map_config=map_config(), filters=filter_choices())
