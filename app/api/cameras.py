"""`GET /api/v1/cameras`: the verified cameras in a viewport, as points or clusters."""

from flask import current_app, request

from app.api import bp
from app.api.http import json_response
from app.cameras import viewport


@bp.get("/cameras")
def cameras_in_viewport():
    """Cameras in `bbox` at `zoom`, filtered; clusters below the zoom threshold or above the cap."""
    view = viewport.parse_viewport(request.args.get("bbox"), request.args.get("zoom"))
    filters = viewport.parse_filters(request.args)
    body = viewport.cameras_geojson(
        view,
        filters,
        cluster_below_zoom=current_app.config["MAP_CLUSTER_BELOW_ZOOM"],
        cap=current_app.config["MAP_POINT_CAP"],
        municipal_below_zoom=current_app.config["MAP_MUNICIPAL_CLUSTERS_BELOW_ZOOM"],
    )
    return json_response(body, max_age=60, mimetype="application/geo+json")
