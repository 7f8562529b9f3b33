"""The base map under every map: tiles from one MBTiles file on our own origin (app/basemap/mbtiles.py), the
municipalities' own base until a street-level one is imported (`flask basemap import`), a third-party tile server
only when the operator sets TILE_URL."""

from flask import Blueprint

bp = Blueprint("basemap", __name__, url_prefix="/basemap")

from app.basemap.services import current_base  # noqa: E402

bp.add_app_template_global(current_base, "current_base")  # partials/map.html links the renderer it needs

from app.basemap import routes  # noqa: E402, F401  (registers the routes on bp)
