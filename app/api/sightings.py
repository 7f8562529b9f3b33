"""API for reporting: POST /api/v1/sightings (multipart, Idempotency-Key) and GET /api/v1/nearby."""

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.datastructures import CombinedMultiDict

from app.api import bp
from app.errors import ValidationFailed
from app.extensions import csrf
from app.submissions import services
from app.submissions.forms import ReportForm, read_photos, validated_input
from app.submissions.limits import submission_rate_limit


@bp.post("/sightings")
@csrf.exempt  # no cookies or session are involved; the Idempotency-Key header makes retries safe
@submission_rate_limit
def create_sighting():
    """Store a pending sighting; replaying the same key and payload returns the same answer."""
    key = services.parse_idempotency_key(request.headers.get("Idempotency-Key"))
    form = ReportForm(formdata=CombinedMultiDict([request.files, request.form]), meta={"csrf": False})
    data = validated_input(form)
    photos = read_photos(request.files.getlist("photos"), request.form.getlist("photos"))
    receipt = services.submit_sighting(data, photos, key)
    return jsonify(receipt.as_json()), 201


@bp.get("/nearby")
def nearby():
    """The municipality under a point and the verified cameras within 30 m of it."""
    try:
        lat = float(request.args.get("lat", ""))
        lon = float(request.args.get("lon", ""))
    except ValueError:
        lat = lon = float("nan")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationFailed(_("Latitude and longitude must be numbers in range."))
    return jsonify(services.nearby(lon, lat))
