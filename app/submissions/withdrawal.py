"""Withdrawing a pending report: a secret shown only on the receipt deletes it with its photos.

The secret is derived from the report's Idempotency-Key under the site's secret key, so a phone retrying a report
whose answer was lost gets the same secret again; the database keeps only a keyed hash of it (`withdrawal_hmac`),
and a decision drops even that. What remains of a withdrawn report is one log event without content.
"""

import base64
import hashlib
import hmac
import uuid

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.errors import Conflict, WithdrawalRefused
from app.extensions import db
from app.models import Sighting
from app.moderation import events
from app.photos.services import photo_transaction
from app.vocabulary import SightingState

SECRET_BYTES = 15  # 120 bits, 24 characters of base32
SECRET_GROUP = 4


def _mac(label: bytes, message: str) -> bytes:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, label + b"\0" + message.encode(), hashlib.sha256).digest()


def normalise(secret: str | None) -> str:
    """The secret as typed, without spaces, hyphens or case."""
    return "".join(ch for ch in (secret or "").upper() if ch.isalnum())


def secret_for(key: uuid.UUID) -> str:
    """The withdrawal secret of the report sent with this Idempotency-Key, in groups of four for reading."""
    plain = base64.b32encode(_mac(b"withdrawal-secret", str(key))[:SECRET_BYTES]).decode()
    return "-".join(plain[i : i + SECRET_GROUP] for i in range(0, len(plain), SECRET_GROUP))


def secret_digest(secret: str) -> bytes:
    """What is stored of a withdrawal secret: an HMAC under the site's key (never the secret)."""
    return _mac(b"withdrawal-check", normalise(secret))


def withdraw(reference: str, secret: str | None) -> None:
    """Delete a pending report and its photos if `secret` is its withdrawal secret; else change nothing."""
    sighting = db.session.scalar(
        select(Sighting).where(Sighting.reference == (reference or "")[:16].upper()).with_for_update()
    )
    given = normalise(secret)
    stored = sighting.withdrawal_hmac if sighting is not None else None
    if sighting is None or not given or stored is None or not hmac.compare_digest(stored, secret_digest(given)):
        db.session.rollback()
        if sighting is not None and sighting.state is not SightingState.PENDING:
            raise Conflict(_("A moderator has already checked this report: it can no longer be withdrawn."))
        raise WithdrawalRefused(_("This is not the withdrawal secret of this report. Nothing was withdrawn."))
    with photo_transaction() as change:
        for photo in sighting.photos:
            change.delete_after_commit(photo.display_key, photo.thumb_key)
        sighting_id = sighting.id
        db.session.delete(sighting)
        db.session.flush()
        # Content-free: no reason, no hashes, no details; only that a report with this id was withdrawn.
        events.record(None, events.Action.WITHDRAW, "sighting", sighting_id)
