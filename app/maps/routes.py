"""The home page: a full-screen map of the verified cameras in Serbia and Kosovo, and their density."""

from flask import Blueprint, render_template, request

from app.cameras.filters import filter_choices
from app.maps.config import country_view_url, map_config
from app.municipalities.services import municipality_choices

bp = Blueprint("maps", __name__)


@bp.get("/")
def index():
    # The first view is the country unless the address names a view, a layer or a filter (?lang= aside).
    first_view = country_view_url() if set(request.args) <= {"lang"} else None
    return render_template(
        "maps/index.html",
        map_config=map_config(),
        filters=filter_choices(),
        municipalities=municipality_choices(),
        first_view=first_view,
    )
