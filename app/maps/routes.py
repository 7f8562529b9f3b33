"""The home page: a full-screen map of the verified cameras in Serbia and Kosovo, and their density."""

from flask import Blueprint, render_template

from app.cameras.filters import filter_choices
from app.maps.config import map_config
from app.municipalities.services import municipality_choices

bp = Blueprint("maps", __name__)


@bp.get("/")
def index():
    return render_template(
        "maps/index.html", map_config=map_config(), filters=filter_choices(), municipalities=municipality_choices()
    )
