"""The moderation API: Bearer tokens only (no cookies, so no CSRF), same services and events as the web pages."""

from functools import wraps

from flask import g, jsonify, request
from flask_babel import gettext as _

from app.api import bp
from app.auth.tokens import user_for_bearer
from app.errors import Unauthorized, ValidationFailed
from app.extensions import csrf
from app.input_guards import database_id, whole_number
from app.moderation import queue, services
from app.moderation.content import sighting_content
from app.vocabulary import RejectReason, SightingState

MAX_LIST = 500


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        user = user_for_bearer(request.headers.get("Authorization"))
        if user is None:
            raise Unauthorized(_("A valid API token is required (Authorization: Bearer)."))
        g.api_user = user
        return view(*args, **kwargs)

    return csrf.exempt(wrapped)


def _body() -> dict:
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise ValidationFailed(_("The request body must be a JSON object."))
        return data
    return request.form.to_dict()


def _sighting_json(sighting) -> dict:
    content = sighting_content(sighting)
    return {
        "id": sighting.id,
        "reference": sighting.reference,
        "state": sighting.state.value,
        "version": sighting.version,
        "submitted_on": sighting.submitted_on.isoformat(),
        "municipality": sighting.municipality.name if sighting.municipality else None,
        "camera_id": sighting.camera_id,
        "confirms_camera_id": sighting.confirms_camera_id,
        "reports_gone": sighting.reports_gone,
        "kind": sighting.kind.value,
        "correction_subject": sighting.correction_subject.value if sighting.correction_subject else None,
        "note": sighting.note,
        "photos": len(sighting.photos),
        **{key: content[key] for key in content if key not in ("state", "camera_id", "photos", "note")},
    }


def _version(body: dict) -> int | None:
    """A plain int or a string of digits; a bool or a float (1.9 is not version 1) is refused."""
    value = body.get("version")
    if value is None or value == "":
        return None
    number = whole_number(value)
    if number is None:
        raise ValidationFailed(_("version must be a number."), {"version": value})
    return number


def _text(body: dict, name: str) -> str | None:
    """An optional text field: a string or absent; anything else (a number, a list) is refused."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise ValidationFailed(_("%(field)s must be text.", field=name), {name: value})
    return value


@bp.get("/moderation/sightings")
@token_required
def moderation_sightings():
    """Sightings in a state (default pending), oldest first."""
    state = request.args.get("state", SightingState.PENDING.value)
    if state != SightingState.PENDING.value:
        raise ValidationFailed(_("Only state=pending can be listed."), {"state": state})
    municipality = request.args.get("municipality", "")
    sightings = queue.pending_sightings(database_id(municipality), limit=MAX_LIST)
    return jsonify({"sightings": [_sighting_json(s) for s in sightings]})


@bp.post("/moderation/sightings/<int:sighting_id>/approve")
@token_required
def moderation_approve(sighting_id: int):
    body = _body()
    camera = services.approve(sighting_id, g.api_user, _text(body, "reason"), _version(body))
    return jsonify({"sighting_id": sighting_id, "state": "approved", "camera_id": camera.id}), 200


@bp.post("/moderation/sightings/<int:sighting_id>/merge")
@token_required
def moderation_merge(sighting_id: int):
    body = _body()
    camera_id = services.camera_number(body.get("camera_id"))
    take = body.get("take") or []
    take = [take] if isinstance(take, str) else take
    if not isinstance(take, list) or not all(isinstance(name, str) for name in take):
        raise ValidationFailed(_("take must be a list of field names."))
    camera = services.merge(sighting_id, camera_id, g.api_user, _text(body, "reason"), _version(body), take=set(take))
    return jsonify(
        {
            "sighting_id": sighting_id,
            "state": "merged",
            "camera_id": camera.id,
            "confirmation_count": camera.confirmation_count,
        }
    )


@bp.post("/moderation/sightings/<int:sighting_id>/reject")
@token_required
def moderation_reject(sighting_id: int):
    body = _body()
    reason = body.get("reason")
    if not isinstance(reason, str) or not reason:
        raise ValidationFailed(
            _("reason is required: one of %(values)s.", values=", ".join(r.value for r in RejectReason)),
            {"reason": reason},
        )
    services.reject(sighting_id, reason, g.api_user, _text(body, "note"), _version(body))
    return jsonify({"sighting_id": sighting_id, "state": "rejected", "reason": reason})
