"""The home page: a full-screen map of Serbia and Kosovo."""

from flask import Blueprint, current_app, render_template

bp = Blueprint("maps", __name__)


def map_config() -> dict:
    """What the map's JavaScript needs, passed as data attributes (no inline scripts under our CSP)."""
    return {
        "tile_url": current_app.config["TILE_URL"],
        "tile_attribution": current_app.config["TILE_ATTRIBUTION"],
        "tile_max_zoom": current_app.config["TILE_MAX_ZOOM"],
    }


@bp.get("/")
def index():
    return render_template("maps/index.html", map_config=map_config())
