"""The home page: a full-screen map of the verified cameras in Serbia and Kosovo, and their density."""

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from app.geo import region
from app.municipalities.profiles import COLOURS
from app.vocabulary import CameraStatus, CameraType, Capability, Manufacturer, Operator, Zone

bp = Blueprint("maps", __name__)

# The filters the map offers; each is a URL parameter of the page and of GET /api/v1/cameras.
FILTERS = (
    ("capability", _l("Capability"), Capability),
    ("manufacturer", _l("Manufacturer"), Manufacturer),
    ("operator", _l("Operator"), Operator),
    ("camera_type", _l("Camera type"), CameraType),
    ("zone", _l("Zone"), Zone),
    ("status", _l("Status"), CameraStatus),
)


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
    return [(name, str(label), vocabulary.choices()) for name, label, vocabulary in FILTERS]


@bp.get("/")
def index():
    return render_template("maps/index.html", map_config=map_config(), filters=filter_choices())
