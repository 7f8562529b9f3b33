"""TOTP secrets in the database, sealed (app/auth/sealing.py): storing, opening, checking and rotating their key.

A rotation is online. It first writes the ring with the new key in front (new secrets are sealed under it, both keys
open), then re-seals every secret in one transaction, then writes the ring with only the new key. An enrolment holds
a shared advisory lock from before it reads the ring until it commits, and the rotation takes that lock exclusively
before re-sealing: a secret sealed under the old key by an enrolment that started before the rotation is committed
before the rotation reads it, so no secret is left under a deleted key.
"""

import base64
import logging

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth import sealing
from app.auth.sealing import SealingError
from app.errors import SecondFactorUnavailable
from app.extensions import db
from app.models import User

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key of the TOTP key ring ("totp" in ASCII).
KEY_RING_LOCK = 0x746F7470


def _unavailable(error: SealingError) -> SecondFactorUnavailable:
    log.error("TOTP sign-in refused: %s", error)  # the operator's detail; the moderator gets the plain message
    return SecondFactorUnavailable(
        _(
            "Sign-in codes cannot be checked at the moment: the server's key for them is missing or wrong. "
            "Nothing is wrong with your code or your app. Tell the site's administrator."
        )
    )


def totp_secret_of(user: User) -> str:
    """The user's plain TOTP secret; SecondFactorUnavailable (logged for the operator) when the key cannot open it."""
    try:
        return sealing.open_sealed(user.totp_secret_sealed, user.id, sealing.read_ring())
    except SealingError:
        # A rotation may have re-sealed the row, and deleted the old key, since this request loaded it.
        db.session.refresh(user, ["totp_secret_sealed"])
    try:
        return sealing.open_sealed(user.totp_secret_sealed, user.id, sealing.read_ring())
    except SealingError as error:
        raise _unavailable(error) from error


def sealed_for_session(user: User, secret: str) -> str:
    """A secret being enrolled, sealed for the session cookie (which is signed, not encrypted: readable)."""
    try:
        return base64.b64encode(sealing.seal(secret, user.id, sealing.ring_for_sealing())).decode()
    except SealingError as error:
        raise _unavailable(error) from error


def opened_from_session(user: User, kept: object) -> str | None:
    """The secret sealed_for_session kept for this user, or None (none yet, another user's, or a rotated key)."""
    if not isinstance(kept, str):
        return None
    try:
        return sealing.open_sealed(base64.b64decode(kept, validate=True), user.id, sealing.read_ring())
    except (SealingError, ValueError):
        return None


def hold_key_ring() -> None:
    """Keep a rotation from re-sealing until this transaction ends (take it before reading the row or the ring)."""
    db.session.execute(select(func.pg_advisory_xact_lock_shared(KEY_RING_LOCK)))


def store_totp_secret(user: User, secret: str) -> None:
    """Seal the secret under the current key (made on first use) into the user's row; the caller commits.

    The caller holds hold_key_ring() from the start of its transaction.
    """
    try:
        user.totp_secret_sealed = sealing.seal(secret, user.id, sealing.ring_for_sealing())
    except SealingError as error:
        raise _unavailable(error) from error


def _sealed_users(lock: bool = False) -> list[User]:
    query = select(User).where(User.totp_secret_sealed.is_not(None)).order_by(User.id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return list(db.session.scalars(query))


def unreadable_accounts(ring: sealing.KeyRing) -> list[User]:
    """The accounts whose TOTP secret does not open with this ring."""
    unreadable = []
    for user in _sealed_users():
        try:
            sealing.open_sealed(user.totp_secret_sealed, user.id, ring)
        except SealingError:
            unreadable.append(user)
    return unreadable


def check_totp_key() -> int:
    """How many TOTP secrets there are; SealingError naming the accounts whose secret does not open."""
    users = _sealed_users()
    if not users:
        return 0
    unreadable = unreadable_accounts(sealing.read_ring())
    if unreadable:
        raise SealingError(
            f"{len(unreadable)} of {len(users)} TOTP secrets do not open with {sealing.key_file()}: "
            + ", ".join(user.email for user in unreadable)
            + ". Restore the key file that goes with this database, or reset those accounts' second factor."
        )
    return len(users)


def rotate_totp_key() -> tuple[int, int]:
    """Re-seal every TOTP secret under a new key and delete the old one; returns (secrets re-sealed, new key id).

    Nothing changes when a secret does not open with the current ring. Interrupted, it leaves both keys in the
    ring and every secret under one of them: sign-in works, and running it again finishes the job.
    """
    check_totp_key()
    new = sealing.ring_for_sealing().with_new_key()
    sealing.write_ring(new)
    db.session.execute(select(func.pg_advisory_xact_lock(KEY_RING_LOCK)))
    users = _sealed_users(lock=True)
    for user in users:
        secret = sealing.open_sealed(user.totp_secret_sealed, user.id, new)
        user.totp_secret_sealed = sealing.seal(secret, user.id, new)
    db.session.commit()
    sealing.write_ring(new.only_current())
    return len(users), new.current
