"""Moderation decisions. Each one checks the sighting is still as the moderator saw it, changes it,
appends an event to the log and commits, all in one transaction.

Other features read a camera's public history with `public_history(camera_id)` (no moderator identities).
"""

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app import geo
from app.database import get_or_404, stale_is_conflict
from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.input_guards import database_id, has_control_characters
from app.models import Camera, CameraCapability, Sighting, SightingCapability, User
from app.models.columns import today
from app.moderation import camera_edits, events
from app.moderation.camera_edits import set_camera_status
from app.moderation.content import content_hash, coordinates, keyed_sha256, sighting_content
from app.moderation.events import public_history
from app.moderation.reasons import clean_reason as _clean_reason
from app.vocabulary import DESCRIPTION_FIELDS, CameraStatus, Evidence, RejectReason, SightingKind, SightingState

__all__ = [
    "RejectReason",
    "approve",
    "bulk_reject",
    "edit",
    "merge",
    "public_history",
    "reject",
    "set_camera_status",
]


EVIDENCE_RANK = {evidence: rank for rank, evidence in enumerate(Evidence)}  # strongest first


def _conflict() -> Conflict:
    return Conflict(
        _("Another moderator changed this sighting while you were looking at it. Reload it to see their change.")
    )


def _pending_sighting(sighting_id: int, expected_version: int | None) -> Sighting:
    sighting = get_or_404(Sighting, sighting_id, fresh=True)
    if expected_version is not None and sighting.version != expected_version:
        raise _conflict()
    if sighting.state is not SightingState.PENDING:
        raise Conflict(_("This sighting was already decided (%(state)s).", state=sighting.state.label))
    return sighting


def camera_number(value: Any) -> int:
    """A camera id as sent: a plain int (not a bool, not a float) or a string of digits, within PostgreSQL's int."""
    number = database_id(value)
    if number is None:
        raise ValidationFailed(_("camera_id must be a camera number."), {"camera_id": value})
    return number


def _commit() -> None:
    db.session.commit()


_stale_is_conflict = stale_is_conflict(_conflict)


def _decide(sighting: Sighting, state: SightingState, reason: str | None) -> None:
    sighting.state = state
    sighting.decided_on = today()
    sighting.decision_reason = reason
    sighting.withdrawal_hmac = None  # a decided report can no longer be withdrawn
    # The idempotency key and payload hash stay: a phone whose answer was lost may retry after the decision,
    # and must get the same receipt instead of a new pending sighting. `flask retention run` drops them later.


def _record_decision(
    actor: User, action: events.Action, sighting: Sighting, reason: str | None, before: str, camera: Camera, **details
) -> None:
    """The event of a sighting becoming (approve) or confirming (merge) a camera, with the camera's state after."""
    events.record(
        actor,
        action,
        "sighting",
        sighting.id,
        reason=reason,
        before=before,
        after=content_hash(sighting),
        details={
            "camera_id": camera.id,
            **details,
            "camera_hash": content_hash(camera),
            "confirmation_count": camera.confirmation_count,
        },
    )


@_stale_is_conflict
def approve(sighting_id: int, actor: User, reason: str | None = None, expected_version: int | None = None) -> Camera:
    """Make the sighting a new verified camera."""
    sighting = _pending_sighting(sighting_id, expected_version)
    reason = _clean_reason(reason)
    before = content_hash(sighting)
    lon, lat = coordinates(Sighting, sighting.id)
    camera = Camera(
        location=geo.point(lon, lat),
        first_confirmed_on=sighting.submitted_on,
        last_confirmed_on=sighting.submitted_on,
        confirmation_count=1,
        status=CameraStatus.ACTIVE,
        **{name: getattr(sighting, name) for name in DESCRIPTION_FIELDS},
    )
    camera.capabilities = [
        CameraCapability(capability=c.capability, evidence=c.evidence) for c in sighting.capabilities
    ]
    db.session.add(camera)
    db.session.flush()
    sighting.camera_id = camera.id
    _decide(sighting, SightingState.APPROVED, reason)
    db.session.flush()
    _record_decision(actor, events.Action.APPROVE, sighting, reason, before, camera)
    _commit()
    return camera


def _absorb(camera: Camera, sighting: Sighting) -> None:
    """A confirmation: count it, widen the confirmed dates, and learn what the camera lacked."""
    camera.confirmation_count += 1
    camera.first_confirmed_on = min(camera.first_confirmed_on, sighting.submitted_on)
    camera.last_confirmed_on = max(camera.last_confirmed_on, sighting.submitted_on)
    if camera.status is CameraStatus.NEEDS_RESURVEY:
        camera.status = CameraStatus.ACTIVE
    for name in DESCRIPTION_FIELDS:
        if getattr(camera, name) is None and getattr(sighting, name) is not None:
            setattr(camera, name, getattr(sighting, name))
    claims = {claim.capability: claim for claim in camera.capabilities}
    for claim in sighting.capabilities:
        existing = claims.get(claim.capability)
        if existing is None:
            camera.capabilities.append(CameraCapability(capability=claim.capability, evidence=claim.evidence))
        elif EVIDENCE_RANK[claim.evidence] < EVIDENCE_RANK[existing.evidence]:
            existing.evidence = claim.evidence


@_stale_is_conflict
def merge(
    sighting_id: int,
    camera_id: int,
    actor: User,
    reason: str | None = None,
    expected_version: int | None = None,
    take: set[str] | None = None,
) -> Camera:
    """Count the sighting as a confirmation of an existing camera, or accept a correction of it.

    `take` names what the camera takes from the sighting, field by field (camera_edits.TAKEABLE), replacing what
    it had; a report also fills the camera's empty fields, a correction changes only what is taken.
    """
    camera_id = camera_number(camera_id)
    sighting = _pending_sighting(sighting_id, expected_version)
    if sighting.reports_gone:
        raise Conflict(_("This report says the camera is gone: change the camera's status instead of merging."))
    camera = get_or_404(Camera, camera_id, fresh=True)
    if not camera.on_map:
        raise Conflict(
            _("Camera %(id)d is marked removed. Approve the sighting as a new camera instead.", id=camera.id)
        )
    reason = _clean_reason(reason)
    correction = sighting.kind is SightingKind.CORRECTION
    if correction and sighting.confirms_camera_id != camera.id:
        raise Conflict(_("This correction is about camera #%(id)d.", id=sighting.confirms_camera_id))
    before, camera_before = content_hash(sighting), content_hash(camera)
    fields_before = camera_edits.camera_fields(camera)
    if not correction:
        _absorb(camera, sighting)
    changes, claims = camera_edits.taken_from(sighting, set(take or ()))
    camera_edits.apply_changes(camera, changes, claims, fields_before)
    sighting.camera_id = camera.id
    _decide(sighting, SightingState.MERGED, reason)
    if camera_edits.record_edit(camera, fields_before, actor, reason, sighting.id) is None and correction:
        db.session.rollback()
        raise ValidationFailed(_("Choose what to take from the correction, or reject it."))
    action = events.Action.ACCEPT_CORRECTION if correction else events.Action.MERGE
    _record_decision(actor, action, sighting, reason, before, camera, camera_before=camera_before)
    _commit()
    return camera


@_stale_is_conflict
def reject(
    sighting_id: int,
    category: str,
    actor: User,
    note: str | None = None,
    expected_version: int | None = None,
    commit: bool = True,
) -> Sighting:
    """Reject with a reason category (required) and an optional note."""
    try:
        reason = RejectReason(category)
    except ValueError as error:
        raise ValidationFailed(_("Choose why the sighting is rejected.")) from error
    note = _clean_reason(note, required=reason is RejectReason.OTHER)
    sighting = _pending_sighting(sighting_id, expected_version)
    before = content_hash(sighting)
    _decide(sighting, SightingState.REJECTED, f"{reason.value}: {note}" if note else reason.value)
    db.session.flush()
    events.record(
        actor,
        events.Action.REJECT,
        "sighting",
        sighting.id,
        reason=reason.value,
        before=before,
        after=content_hash(sighting),
        # The note stays on the sighting (decision_reason), purged with it after the retention period: the
        # append-only log keeps only the category, since a note may quote the report.
    )
    if commit:
        _commit()
    return sighting


@_stale_is_conflict
def _bulk_ids(sighting_ids: list[int]) -> list[int]:
    ids = sorted(set(sighting_ids))
    if not ids:
        raise ValidationFailed(_("Select at least one sighting."))
    if len(ids) > 500:
        raise ValidationFailed(_("Select at most 500 sightings at once."))
    return ids


def bulk_reject_preview(sighting_ids: list[int]) -> list[Sighting]:
    """The selected sightings a bulk reject would reject (pending ones, queue order), for the moderator to confirm."""
    ids = _bulk_ids(sighting_ids)
    query = select(Sighting).where(Sighting.id.in_(ids), Sighting.state == SightingState.PENDING)
    sightings = list(db.session.scalars(query.order_by(Sighting.submitted_on, Sighting.id)))
    if not sightings:
        raise Conflict(_("None of the selected sightings is pending any more."))
    return sightings


def bulk_reject(sighting_ids: list[int], category: str, actor: User) -> int:
    """Reject many pending sightings at once (obvious spam); all or nothing. Returns how many."""
    ids = _bulk_ids(sighting_ids)
    # Lock the rows first, in id order, so a bulk reject never waits on a row while holding the log's lock.
    db.session.execute(select(Sighting.id).where(Sighting.id.in_(ids)).order_by(Sighting.id).with_for_update())
    try:
        for sighting_id in ids:
            reject(sighting_id, category, actor, commit=False)
    except Exception:
        db.session.rollback()
        raise
    _commit()
    return len(ids)


def _coordinate(value: Any, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise ValidationFailed(_("Coordinates must be numbers.")) from error
    if not low <= number <= high:
        raise ValidationFailed(_("The coordinates are out of range."))
    return number


@_stale_is_conflict
def edit(
    sighting_id: int,
    changes: dict[str, Any],
    capabilities: dict[Any, Evidence] | None,
    actor: User,
    reason: str | None = None,
    expected_version: int | None = None,
) -> Sighting:
    """Correct fields, claims or the pin of a pending sighting; the reporter's original is kept the first time."""
    sighting = _pending_sighting(sighting_id, expected_version)
    reason = _clean_reason(reason)
    if any(isinstance(value, str) and has_control_characters(value) for value in changes.values()):
        raise ValidationFailed(_("This contains characters we cannot store."))
    original = sighting_content(sighting)
    if sighting.original_submission is None:
        sighting.original_submission = original
    for name, value in changes.items():
        if name in DESCRIPTION_FIELDS:
            setattr(sighting, name, value)
    if "lon" in changes or "lat" in changes:
        lon = _coordinate(changes.get("lon", original["lon"]), -180, 180)
        lat = _coordinate(changes.get("lat", original["lat"]), -90, 90)
        if (round(lon, 7), round(lat, 7)) != (original["lon"], original["lat"]):
            if not camera_edits.covered(lon, lat):
                raise ValidationFailed(_("The pin is outside every municipality we cover."))
            sighting.location = geo.point(lon, lat)
    if capabilities is not None:
        sighting.capabilities = [SightingCapability(capability=c, evidence=e) for c, e in capabilities.items()]
    db.session.flush()
    db.session.refresh(sighting, ["location", "municipality_id"])
    after = content_hash(sighting)
    if after == keyed_sha256(original):
        db.session.rollback()
        raise ValidationFailed(_("Nothing was changed."))
    events.record(
        actor, events.Action.EDIT, "sighting", sighting.id, reason=reason, before=keyed_sha256(original), after=after
    )
    _commit()
    return sighting
