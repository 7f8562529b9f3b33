"""Flask-Login glue: the session cookie carries `id:session_token`, checked against the database on every request."""

import hmac

from sqlalchemy import select

from app.extensions import db
from app.models import User


def load_user_from_cookie(user_key: str) -> User | None:
    """Return the active user whose current session token matches; rotated tokens end old sessions."""
    user_id, _, token = user_key.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.scalar(select(User).where(User.id == int(user_id)))
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user
