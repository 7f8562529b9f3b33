"""`GET /api/v1/declared/layers/<layer>`: the comparison's map layers (declared points, the unmatched of each kind)."""

from flask import abort, current_app, request

from app.api import bp
from app.cameras.filters import parse_viewport
from app.declared.layers import LAYERS, layer_geojson
from app.http import json_response


@bp.get("/declared/layers/<layer>")
def declared_layer(layer: str):
    """One layer's points in `bbox` (declared locations, those not found, mapped cameras on no list)."""
    if layer not in LAYERS:
        abort(404)
    view = parse_viewport(request.args.get("bbox"), request.args.get("zoom"))
    body = layer_geojson(layer, view, current_app.config["MAP_POINT_CAP"])
    return json_response(body, max_age=60, mimetype="application/geo+json")
