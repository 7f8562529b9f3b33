"""The moderation log: every action appends one event, chained by SHA-256 so a gap or an edit shows.

Reading it: the admin audit view (with moderators) and `public_history` (without them).
"""

import enum
from datetime import UTC, date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, func, or_, select, text

from app.extensions import db
from app.models import ModerationEvent, User
from app.models.columns import utcnow
from app.moderation.content import sha256


class Action(enum.StrEnum):
    """What a moderation event records (the `action` column); each has a label in ACTION_LABELS."""

    APPROVE = "approve"
    MERGE = "merge"
    REJECT = "reject"
    EDIT = "edit"
    CAMERA_STATUS = "camera_status"
    CAMERA_EDIT = "camera_edit"
    ACCEPT_CORRECTION = "accept_correction"
    PHOTO_BLUR = "photo_blur"
    PHOTO_ROTATE = "photo_rotate"
    PHOTO_DELETE_REQUEST = "photo_delete_request"
    PHOTO_DELETE_CANCEL = "photo_delete_cancel"
    PHOTO_DELETE = "photo_delete"
    RETENTION_PURGE_PHOTOS = "retention_purge_photos"
    WITHDRAW = "withdraw"
    RETENTION_PURGE = "retention_purge"
    FIGURE_ADD = "figure_add"
    DECLARED_IMPORT = "declared_import"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


# Serialises appends, so two moderators acting at once cannot both chain onto the same predecessor.
CHAIN_LOCK = 7_460_001
GENESIS = "0" * 64


def _event_fields(event: ModerationEvent, previous_hash: str) -> dict[str, Any]:
    return {
        "previous": previous_hash,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "reason": event.reason,
        "before_hash": event.before_hash,
        "after_hash": event.after_hash,
        "details": event.details or {},
    }


def record(
    actor: User | None,
    action: Action,
    target_type: str,
    target_id: int,
    *,
    reason: str | None = None,
    before: str | None = None,
    after: str | None = None,
    details: dict[str, Any] | None = None,
) -> ModerationEvent:
    """Append an event in the caller's transaction (the caller commits)."""
    action = Action(action)  # an unknown action is a bug: it would have no label and no place in the history
    db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    previous = head_hash()
    event = ModerationEvent(
        occurred_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        before_hash=before,
        after_hash=after,
        details=details or {},
    )
    event.content_hash = sha256(_event_fields(event, previous))
    db.session.add(event)
    db.session.flush()
    return event


def verify_chain() -> int | None:
    """The id of the first event whose hash does not match its content and predecessor, or None if intact."""
    previous = GENESIS
    for event in db.session.scalars(select(ModerationEvent).order_by(ModerationEvent.id)):
        if sha256(_event_fields(event, previous)) != event.content_hash:
            return event.id
        previous = event.content_hash
    return None


def head_hash(up_to: int | None = None) -> str:
    """The chain's hash after the newest event (with an id of at most `up_to`), GENESIS before the first."""
    query = select(ModerationEvent.content_hash).order_by(ModerationEvent.id.desc()).limit(1)
    if up_to is not None:
        query = query.where(ModerationEvent.id <= up_to)
    return db.session.scalar(query) or GENESIS


def latest_event() -> ModerationEvent | None:
    """The newest event, whose hash is the head of the chain."""
    return db.session.scalar(select(ModerationEvent).order_by(ModerationEvent.id.desc()).limit(1))


def chain_links(after_id: int | None = None) -> list[tuple[int, str]]:
    """(id, content_hash) of every event after `after_id`, oldest first: the chain without the events' contents."""
    query = select(ModerationEvent.id, ModerationEvent.content_hash).order_by(ModerationEvent.id)
    if after_id is not None:
        query = query.where(ModerationEvent.id > after_id)
    return [(row.id, row.content_hash) for row in db.session.execute(query)]


def _camera_filter(camera_id: int):
    return or_(
        (ModerationEvent.target_type == "camera") & (ModerationEvent.target_id == camera_id),
        ModerationEvent.details["camera_id"].astext.cast(Integer) == camera_id,
    )


def list_events(
    moderator_id: int | None = None, camera_id: int | None = None, before_id: int | None = None, limit: int = 200
):
    """Newest first (older than `before_id` for the next page), optionally one moderator's or one camera's."""
    query = select(ModerationEvent).order_by(ModerationEvent.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(ModerationEvent.id < before_id)
    if moderator_id is not None:
        query = query.where(ModerationEvent.actor_id == moderator_id)
    if camera_id is not None:
        query = query.where(_camera_filter(camera_id))
    return list(db.session.scalars(query))


def moderators_in_log() -> list[User]:
    ids = select(ModerationEvent.actor_id).where(ModerationEvent.actor_id.is_not(None)).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.email)))


ACTION_LABELS = {
    Action.APPROVE: _l("approved as a new camera"),
    Action.MERGE: _l("confirmed by another sighting"),
    Action.REJECT: _l("rejected"),
    Action.EDIT: _l("corrected before approval"),
    Action.CAMERA_STATUS: _l("status changed"),
    Action.CAMERA_EDIT: _l("corrected"),
    Action.ACCEPT_CORRECTION: _l("correction accepted"),
    Action.PHOTO_BLUR: _l("photo partly blurred"),
    Action.PHOTO_ROTATE: _l("photo rotated"),
    Action.PHOTO_DELETE_REQUEST: _l("photo deletion requested"),
    Action.PHOTO_DELETE_CANCEL: _l("photo deletion withdrawn"),
    Action.PHOTO_DELETE: _l("photo deleted"),
    Action.RETENTION_PURGE_PHOTOS: _l("photos purged (retention)"),
    Action.WITHDRAW: _l("withdrawn by the reporter"),
    Action.RETENTION_PURGE: _l("rejected report deleted (retention)"),
    Action.FIGURE_ADD: _l("official figure recorded"),
    Action.DECLARED_IMPORT: _l("declared list imported"),
}


def action_label(action: str) -> str:
    """The label of a stored action (the log may hold actions of older versions: shown as they are)."""
    try:
        return Action(action).label
    except ValueError:
        return action


# What the public may learn from the log: what happened to a camera and on which day, never who did it
# or the moderators' free-text reasons (they can name people).
PUBLIC_ACTIONS = (
    Action.APPROVE,
    Action.MERGE,
    Action.CAMERA_STATUS,
    Action.CAMERA_EDIT,
    Action.PHOTO_BLUR,
    Action.PHOTO_ROTATE,
    Action.PHOTO_DELETE,
)


def public_history(camera_id: int) -> list[dict[str, Any]]:
    """A camera's history for its public page, oldest first: [{"on": date, "action": code, "label": translated,
    "details": {"status"?, "confirmation_count"?}}]."""
    events = db.session.scalars(
        select(ModerationEvent)
        .where(_camera_filter(camera_id), ModerationEvent.action.in_(PUBLIC_ACTIONS))
        .order_by(ModerationEvent.id)
    )
    history = []
    for event in events:
        public = {key: event.details[key] for key in ("status", "confirmation_count") if key in event.details}
        occurred_on: date = event.occurred_at.astimezone(UTC).date()
        history.append(
            {"on": occurred_on, "action": event.action, "label": action_label(event.action), "details": public}
        )
    return history


def approvals():
    """Each camera's approval, as a subquery (camera_id, event_id, verified_on): `verified_on` is the day (UTC) a
    moderator made a sighting a new camera. The log keeps the moment; nothing public shows more than the day."""
    return (
        select(
            ModerationEvent.details["camera_id"].astext.cast(Integer).label("camera_id"),
            ModerationEvent.id.label("event_id"),
            func.date(func.timezone("UTC", ModerationEvent.occurred_at)).label("verified_on"),
        )
        .where(ModerationEvent.action == Action.APPROVE)
        .subquery("approvals")
    )


def count_events() -> int:
    return db.session.scalar(select(func.count()).select_from(ModerationEvent)) or 0
