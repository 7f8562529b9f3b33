"""The page of one camera, and its public photos."""

from flask import Blueprint, render_template

from app.cameras import services
from app.maps.config import map_config
from app.photos.serving import photo_response

bp = Blueprint("cameras", __name__, url_prefix="/cameras")


@bp.get("/<int:camera_id>")
def detail(camera_id: int):
    record = services.camera_record(camera_id)
    return render_template("cameras/detail.html", record=record, camera=record.camera, map_config=map_config())


@bp.get("/<int:camera_id>/photos/<int:photo_id>/<any(thumb, display):size>")
def photo(camera_id: int, photo_id: int, size: str):
    return photo_response(services.public_photo(camera_id, photo_id), size)
