"""GET /api/v1/cameras/<id>: one verified camera."""

from flask import jsonify

from app.api import bp
from app.opendata.cameras import camera_detail


@bp.get("/cameras/<int:camera_id>")
def camera(camera_id: int):
    response = jsonify(camera_detail(camera_id))
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
