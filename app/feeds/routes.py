"""GET /feeds/cameras.atom and /feeds/municipalities/<code>.atom."""

from app.database import get_or_404
from app.feeds import atom, bp, services
from app.http import json_response
from app.models import Municipality

MIMETYPE = "application/atom+xml"


@bp.get("/cameras.atom")
def cameras():
    return json_response(atom.camera_feed(services.newly_verified()), max_age=300, mimetype=MIMETYPE)


@bp.get("/municipalities/<code>.atom")
def municipality(code: str):
    place = get_or_404(Municipality, code=code)
    body = atom.camera_feed(services.newly_verified(place), place)
    return json_response(body, max_age=300, mimetype=MIMETYPE)
