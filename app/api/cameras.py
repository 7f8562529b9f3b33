"""Verified cameras: `GET /api/v1/cameras` (a viewport, as points or clusters) and `GET /api/v1/cameras/<id>`."""

from flask import current_app, jsonify, request

from app.api import bp
from app.cameras import filters, viewport
from app.cameras.services import camera_json, camera_record
from app.http import json_response


@bp.get("/cameras")
def cameras_in_viewport():
    """Cameras in `bbox` at `zoom`, filtered; clusters below the zoom threshold or above the cap."""
    view = filters.parse_viewport(request.args.get("bbox"), request.args.get("zoom"))
    wanted = filters.parse_filters(request.args)
    body = viewport.cameras_geojson(
        view,
        wanted,
        cluster_below_zoom=current_app.config["MAP_CLUSTER_BELOW_ZOOM"],
        cap=current_app.config["MAP_POINT_CAP"],
        municipal_below_zoom=current_app.config["MAP_MUNICIPAL_CLUSTERS_BELOW_ZOOM"],
    )
    return json_response(body, max_age=60, mimetype="application/geo+json")


@bp.get("/cameras/<int:camera_id>")
def camera(camera_id: int):
    """One verified camera with its OSM tags."""
    response = jsonify(camera_json(camera_record(camera_id)))
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
