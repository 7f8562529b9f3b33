"""Flask-Login glue: the session cookie carries `id:session_token`, checked against the database on every request.

Also the idle timeout, the forced change of a one-time password, the half-finished login between password and
second factor, and the role checks.
"""

import hmac
import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from app.auth.services import one_time_password_expired
from app.extensions import db
from app.input_guards import database_id
from app.models import User

IDLE_KEY = "_seen"
PENDING_KEY = "_pending_login"
PENDING_SECONDS = 300


def load_user_from_cookie(user_key: str) -> User | None:
    """Return the active user whose current session token matches; rotated tokens end old sessions."""
    raw_id, _, token = user_key.partition(":")
    user_id = database_id(raw_id)
    if user_id is None or not token:
        return None
    user = db.session.scalar(select(User).where(User.id == user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def _fresh_session() -> None:
    """Forget everything in the session, including the CSRF token (a new one is made for the next form)."""
    session.clear()
    g.pop("csrf_token", None)


def start_pending_login(user: User) -> None:
    """Remember that the password was right; the second factor must follow within five minutes."""
    _fresh_session()
    session[PENDING_KEY] = {"user": user.get_id(), "at": int(time.time())}


def pending_user() -> User | None:
    """The user whose password was accepted and who still owes the second factor, if any."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return load_user_from_cookie(str(pending.get("user", "")))


def finish_login(user: User) -> None:
    """A fresh session (nothing from before the login survives) for a fully authenticated user."""
    _fresh_session()
    login_user(user)
    session[IDLE_KEY] = int(time.time())


def end_session() -> None:
    logout_user()
    _fresh_session()


def _enforce_idle_timeout() -> None:
    if request.endpoint in (None, "static") or request.blueprint in ("assets", "basemap"):
        return
    if IDLE_KEY not in session and "_user_id" not in session:
        return
    now = int(time.time())
    seen = session.get(IDLE_KEY, 0)
    if now - seen > current_app.config["SESSION_IDLE_SECONDS"]:
        end_session()
        return
    session[IDLE_KEY] = now


# What a signed-in user who still has a one-time password may reach: the page to replace it and signing out.
# The API is not affected: it ignores session cookies (Bearer tokens only).
PASSWORD_CHANGE_ALLOWED = frozenset({None, "auth.change_password", "auth.logout", "static"})


def _enforce_password_change():
    if request.endpoint in PASSWORD_CHANGE_ALLOWED or request.blueprint in ("assets", "basemap", "api"):
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if one_time_password_expired(current_user):
        end_session()
        flash(_("Your one-time password has expired. Ask an admin for a new one."), "error")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.change_password", next=request.full_path if request.method == "GET" else None))


def init_app(app: Flask) -> None:
    app.before_request(_enforce_idle_timeout)
    app.before_request(_enforce_password_change)


def _require(check: Callable[[User], bool]) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def is_admin() -> bool:
    """Whether this visitor is signed in as an active admin."""
    return bool(is_moderator() and current_user.is_admin)


def is_moderator() -> bool:
    """Whether this visitor is signed in with an active account (every account moderates)."""
    return bool(current_user.is_authenticated and current_user.active)


# Every account is a moderator or an admin, and admins moderate too.
moderator_required = _require(lambda user: user.active)
admin_required = _require(lambda user: user.active and user.is_admin)
