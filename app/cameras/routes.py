"""The page of one camera, and its public photos."""

from flask import Blueprint, Response, abort, render_template, request, url_for

from app.cameras import services
from app.photos.storage import storage

bp = Blueprint("cameras", __name__, url_prefix="/cameras")


@bp.get("/<int:camera_id>")
def detail(camera_id: int):
    record = services.camera_record(camera_id)
    report_url = url_for("submissions.report") if _has_report_page() else "/report"
    return render_template("cameras/detail.html", record=record, camera=record.camera, report_url=report_url)


@bp.get("/<int:camera_id>/photos/<int:photo_id>/<any(thumb, display):size>")
def photo(camera_id: int, photo_id: int, size: str):
    found = services.public_photo(camera_id, photo_id)
    key = found.thumb_key if size == "thumb" else found.display_key
    try:
        data = storage().open(key)
    except KeyError:
        abort(404)
    response = Response(data, mimetype=found.content_type)
    # Short-lived and revalidated: a moderator may blur a bystander's face in this photo at any time, and the
    # blurred version gets a new storage key, so the ETag changes with it.
    response.set_etag(key.rsplit("/", 1)[-1].split(".")[0])
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


def _has_report_page() -> bool:
    from flask import current_app

    return "submissions.report" in current_app.view_functions
