"""The home page: a full-screen map of the verified cameras in Serbia and Kosovo, and their density."""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from app.maps.config import map_config
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


def filter_choices() -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(name, str(FILTER_LABELS[name]), vocabulary.choices()) for name, vocabulary in FILTER_VOCABULARIES.items()]


@bp.get("/")
def index():
    return render_template("maps/index.html", map_config=map_config(), filters=filter_choices())
