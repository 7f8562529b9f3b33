"""Per-user API tokens: created once (shown once), stored as SHA-256, revocable, useless once the user is disabled."""

import hashlib
import hmac
import secrets

from sqlalchemy import func, select, update

from app.database import MISSING
from app.errors import NotFound
from app.extensions import db
from app.models import ApiToken, User
from app.models.columns import TOKEN_NAME_MAX, today, utcnow

PREFIX = "hk_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the secret, which is never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip()[:TOKEN_NAME_MAX] or "api", token_hash=_digest(secret))
    db.session.add(token)
    db.session.commit()
    return token, secret


def create_token_for_email(email: str, name: str) -> tuple[ApiToken, str]:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise NotFound(str(MISSING[User]))
    return create_token(user, name)


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def revoke_token(token_id: int, owner: User | None = None) -> ApiToken:
    """Revoke a token (only the owner's own when `owner` is given)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (owner is not None and token.user_id != owner.id):
        raise NotFound(str(MISSING[ApiToken]))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def revoke_all_of(user: User) -> None:
    """Revoke every live token of `user`; the caller commits (with the change that makes them untrustworthy)."""
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )


def user_for_bearer(header: str | None) -> User | None:
    """The active user owning the unrevoked token in an `Authorization: Bearer` header, else None."""
    scheme, _sep, secret = (header or "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    digest = _digest(secret)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.revoked_at is not None or not hmac.compare_digest(token.token_hash, digest):
        return None
    user = token.user
    if user is None or not user.active:
        return None
    if token.last_used_on != today():
        token.last_used_on = today()
        db.session.commit()
    return user
