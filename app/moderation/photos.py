"""Fixing and deleting photos: blur regions, rotate, and real deletion confirmed by a second moderator.

A changed photo is written as new files under new keys; the old files are deleted only after the database
commit, so a failure never leaves a row pointing at a missing file. Every change locks the photo row first
(SELECT ... FOR UPDATE), so two moderators' changes queue up instead of one silently overwriting the other;
blur and rotate also require the sha256 of the photo the moderator saw, so the second one gets a conflict.
"""

import hashlib
import json
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.database import get_or_404
from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.input_guards import has_control_characters
from app.models import Photo, PhotoDeletionRequest, User
from app.models.columns import REASON_MAX
from app.moderation import events
from app.moderation.content import content_hash
from app.photos import edit
from app.photos.renditions import Rendition
from app.photos.services import photo_transaction
from app.photos.serving import stored_bytes

MAX_REGIONS = 50


def find_photo(photo_id: int) -> Photo:
    return get_or_404(Photo, photo_id)


def _locked_photo(photo_id: int) -> Photo:
    """The photo row, locked until the commit, as it is now (not as this session last read it)."""
    return get_or_404(Photo, photo_id, lock=True)


def _conflict() -> Conflict:
    return Conflict(_("Another moderator changed this photo meanwhile. Reload to see their change."))


def _locked_as_seen(photo_id: int, expected_sha256: str) -> Photo:
    """Lock the photo and check it is still the one the moderator looked at (its sha256 is required)."""
    photo = _locked_photo(photo_id)
    if not isinstance(expected_sha256, str) or expected_sha256 != photo.sha256:
        raise _conflict()  # the lock ends with the request's transaction
    return photo


def _camera_details(photo: Photo) -> dict[str, Any]:
    camera_id = photo.sighting.camera_id if photo.sighting is not None else None
    return {"sighting_id": photo.sighting_id, **({"camera_id": camera_id} if camera_id else {})}


def _replace_files(
    photo: Photo,
    rendition: Rendition,
    actor: User,
    action: str,
    details: dict[str, Any],
) -> Photo:
    """Store the new rendition and point the (locked) row at it; the old files go once that is committed."""
    before = content_hash(photo)
    with photo_transaction() as change:
        change.delete_after_commit(photo.display_key, photo.thumb_key)
        photo.display_key = change.put(rendition.display, rendition.suffix)
        photo.thumb_key = change.put(rendition.thumb, rendition.suffix)
        photo.display_bytes, photo.thumb_bytes = len(rendition.display), len(rendition.thumb)
        photo.width, photo.height = rendition.width, rendition.height
        photo.content_type = rendition.content_type
        photo.sha256 = hashlib.sha256(rendition.display).hexdigest()
        db.session.flush()
        events.record(
            actor,
            action,
            "photo",
            photo.id,
            before=before,
            after=content_hash(photo),
            details={**_camera_details(photo), **details},
        )
    return photo


def parse_regions(raw: str | list | None) -> list[edit.Region]:
    """Rectangles from JSON: [{"x":..,"y":..,"w":..,"h":..}] as fractions of the image (0..1)."""
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
        regions = [
            edit.Region(float(item["x"]), float(item["y"]), float(item["w"]), float(item["h"])) for item in items or []
        ]
    except (ValueError, TypeError, KeyError) as error:
        raise ValidationFailed(_("The regions to blur could not be read.")) from error
    if not regions:
        raise ValidationFailed(_("Draw at least one rectangle over what must be blurred."))
    if len(regions) > MAX_REGIONS:
        raise ValidationFailed(_("Too many rectangles."))
    for region in regions:
        if not (0 <= region.left < 1 and 0 <= region.top < 1 and 0 < region.width <= 1 and 0 < region.height <= 1):
            raise ValidationFailed(_("A rectangle lies outside the photo."))
    return regions


def _edited(photo_id: int, expected_sha256: str, render, actor: User, action: str, details: dict) -> Photo:
    photo = _locked_as_seen(photo_id, expected_sha256)
    rendition = render(stored_bytes(photo))
    return _replace_files(photo, rendition, actor, action, details)


def blur(photo_id: int, regions: list[edit.Region], actor: User, expected_sha256: str) -> Photo:
    """Blur rectangles (bystanders' faces, number plates) for good: the unblurred file is deleted.

    `expected_sha256` is the hash of the photo the moderator drew on; if it changed meanwhile, a conflict.
    """
    return _edited(
        photo_id,
        expected_sha256,
        lambda data: edit.blur_regions(data, regions),
        actor,
        events.Action.PHOTO_BLUR,
        {"regions": len(regions)},
    )


def rotate(photo_id: int, degrees: int, actor: User, expected_sha256: str) -> Photo:
    if degrees not in (90, 180, 270):
        raise ValidationFailed(_("Rotate by 90, 180 or 270 degrees."))
    return _edited(
        photo_id,
        expected_sha256,
        lambda data: edit.rotate(data, degrees),
        actor,
        events.Action.PHOTO_ROTATE,
        {"degrees": degrees},
    )


def deletion_request(photo_id: int) -> PhotoDeletionRequest | None:
    return db.session.scalar(select(PhotoDeletionRequest).where(PhotoDeletionRequest.photo_id == photo_id))


def request_deletion(photo_id: int, actor: User, reason: str) -> PhotoDeletionRequest:
    """First of two moderators: ask for the photo to be deleted for real (it stays until a second one agrees)."""
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed(_("Say why the photo must be deleted (at most %(n)d characters).", n=REASON_MAX))
    if has_control_characters(reason, free_text=True):
        raise ValidationFailed(_("This contains characters we cannot store."))
    photo = _locked_photo(photo_id)
    if deletion_request(photo_id) is not None:
        raise Conflict(_("Deletion of this photo was already requested; a second moderator must confirm it."))
    request = PhotoDeletionRequest(photo_id=photo.id, requested_by_id=actor.id, reason=reason)
    db.session.add(request)
    db.session.flush()
    events.record(
        actor,
        events.Action.PHOTO_DELETE_REQUEST,
        "photo",
        photo.id,
        reason=reason,
        before=content_hash(photo),
        details=_camera_details(photo),
    )
    db.session.commit()
    return request


def confirm_deletion(photo_id: int, actor: User) -> None:
    """Second moderator: delete the photo row and its files. The requester cannot confirm their own request."""
    photo = _locked_photo(photo_id)
    request = deletion_request(photo_id)
    if request is None:
        raise Conflict(_("Nobody has requested deleting this photo."))
    if request.requested_by_id == actor.id:
        raise Conflict(_("A second, different moderator must confirm the deletion."))
    before = content_hash(photo)
    details = {**_camera_details(photo), "requested_by": request.requested_by_id, "request_reason": request.reason}
    with photo_transaction() as change:
        change.delete_after_commit(photo.display_key, photo.thumb_key)
        db.session.delete(photo)
        db.session.flush()
        events.record(
            actor,
            events.Action.PHOTO_DELETE,
            "photo",
            photo_id,
            reason=request.reason,
            before=before,
            after=None,
            details=details,
        )


def cancel_deletion(photo_id: int, actor: User) -> None:
    _locked_photo(photo_id)
    request = deletion_request(photo_id)
    if request is None:
        raise Conflict(_("Nobody has requested deleting this photo."))
    db.session.delete(request)
    events.record(
        actor, events.Action.PHOTO_DELETE_CANCEL, "photo", photo_id, details={"requested_by": request.requested_by_id}
    )
    db.session.commit()
