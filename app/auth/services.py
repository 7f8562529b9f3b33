"""Account services: creating users, one-time passwords, login with throttling, TOTP (hashing: passwords.py;
sealing the TOTP secrets and rotating their key: second_factor.py)."""

import secrets
from datetime import timedelta

import pyotp
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.auth import second_factor, tokens
from app.auth.passwords import (
    check_password_strength,
    dummy_hash,
    generate_password,
    hash_password,
    password_matches,
    verify,
)
from app.database import get_or_404
from app.errors import Conflict, LoginFailed, TooManyAttempts, ValidationFailed
from app.extensions import db
from app.models import User
from app.models.columns import utcnow
from app.models.user import new_session_token
from app.vocabulary import Role

# Failed attempts (password or second factor) allowed before the account is locked for a while;
# each further failure doubles the lock, up to a day.
FREE_ATTEMPTS = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=24)
TOTP_ISSUER = "Hiljade kamera"
# A generated one-time password works this long, and only to sign in once and choose a new password.
ONE_TIME_PASSWORD_LIFETIME = timedelta(hours=72)


def create_user(email: str, password: str, role: Role = Role.MODERATOR, one_time: bool = False) -> User:
    """Create an account; raises Conflict when the e-mail is taken.

    With `one_time` the password expires after ONE_TIME_PASSWORD_LIFETIME and must be replaced at the first sign-in.
    """
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise ValidationFailed(_("Enter a valid e-mail address."))
    check_password_strength(password, email)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise Conflict(_("An account with this e-mail already exists."))
    user = User(email=email, password_hash=hash_password(password), role=role)
    if one_time:
        _mark_one_time(user)
    db.session.add(user)
    db.session.commit()
    return user


def _mark_one_time(user: User) -> None:
    user.must_change_password = True
    user.password_expires_at = utcnow() + ONE_TIME_PASSWORD_LIFETIME


def one_time_password_expired(user: User) -> bool:
    return user.password_expires_at is not None and user.password_expires_at <= utcnow()


def create_with_one_time_password(email: str, role: Role = Role.MODERATOR) -> tuple[User, str]:
    """Create an account with a generated password that must be changed at the first sign-in and expires."""
    password = generate_password()
    return create_user(email, password, role, one_time=True), password


def ensure_admin(email: str) -> str | None:
    """Create the first admin when there is none; returns its one-time password, or None if one exists."""
    if db.session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)):
        return None
    _user, password = create_with_one_time_password(email, Role.ADMIN)
    return password


def reset_password(user_id: int) -> tuple[User, str]:
    """Replace the password with a new one-time password; ends every session and revokes every API token."""
    user = find_user(user_id)
    password = generate_password()
    user.password_hash = hash_password(password)
    _mark_one_time(user)
    user.failed_logins = 0
    user.locked_until = None
    user.session_token = new_session_token()
    tokens.revoke_all_of(user)
    db.session.commit()
    return user, password


def find_user(user_id: int) -> User:
    return get_or_404(User, user_id)


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.email)))


def _lock_remaining(user: User) -> timedelta | None:
    if user.locked_until is None:
        return None
    remaining = user.locked_until - utcnow()
    return remaining if remaining > timedelta(0) else None


def _refuse_if_locked(user: User) -> None:
    remaining = _lock_remaining(user)
    if remaining is not None:
        minutes = max(1, int(remaining.total_seconds() + 59) // 60)
        raise TooManyAttempts(
            ngettext(
                "Too many failed attempts. Try again in %(num)d minute.",
                "Too many failed attempts. Try again in %(num)d minutes.",
                minutes,
            ),
            {"retry_after_minutes": minutes},
        )


def _record_failure(user: User) -> None:
    """Count a failure in SQL (concurrent failures all count) and lock the account once there were too many."""
    failures = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(user, "failed_logins", failures)
    extra = failures - FREE_ATTEMPTS
    if extra >= 0:
        user.locked_until = utcnow() + min(FIRST_LOCK * (2**extra), LONGEST_LOCK)
    db.session.commit()


def _login_failed() -> LoginFailed:
    # One answer for an unknown e-mail, a wrong password and a locked account: none tells which e-mails have accounts.
    return LoginFailed(_("The e-mail or password is wrong. After several failed attempts, sign-in pauses for a while."))


def authenticate(email: str, password: str) -> User:
    """The active user with this e-mail and password; counts failures per account and locks after too many.

    Unknown e-mails, wrong passwords and locked accounts get the same answer after the same Argon2 work.
    """
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        verify(dummy_hash(), password)  # spend the same time as for a real account
        raise _login_failed()
    matches = password_matches(user, password)
    if _lock_remaining(user) is not None:
        raise _login_failed()  # refused even with the right password, without extending the lock
    if not matches:
        _record_failure(user)
        raise _login_failed()
    if one_time_password_expired(user):
        raise _login_failed()  # an unused one-time password: the same answer as a wrong one
    if not user.active:
        raise LoginFailed(_("This account is disabled."))
    return user


def confirm_password(user: User, password: str) -> None:
    """The signed-in user's password again before a sensitive change; failures count as failed sign-ins."""
    _refuse_if_locked(user)
    if not password_matches(user, password):
        _record_failure(user)
        raise ValidationFailed(_("The current password is wrong."))


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def _accept_code(user: User, secret: str, code: str) -> None:
    """Check a TOTP code (one step of clock drift allowed, each step usable once) or count a failure."""
    _refuse_if_locked(user)
    totp = pyotp.TOTP(secret)
    code = "".join(code.split())
    now = int(utcnow().timestamp())
    # ASCII digits only: compare_digest refuses non-ASCII strings, and str.isdigit() alone takes any script's digits.
    if code.isascii() and code.isdigit():
        for drift in (0, -1, 1):
            at = now + drift * totp.interval
            if secrets.compare_digest(totp.at(at), code):
                if _claim_step(user, at // totp.interval):
                    return
                break  # replayed code
    _record_failure(user)
    raise LoginFailed(_("The code is wrong or was already used. Enter the current code from your app."))


def _claim_step(user: User, step: int) -> bool:
    """Mark the TOTP step used, in one conditional UPDATE: of two requests with the same code only one gets the row."""
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step, failed_logins=0, locked_until=None)
        .returning(User.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    db.session.expire(user, ["totp_last_step", "failed_logins", "locked_until"])
    return claimed is not None


def verify_second_factor(user: User, code: str) -> None:
    """Complete a login with the current TOTP code."""
    if not user.active or not user.has_second_factor:
        raise LoginFailed(_("This account cannot sign in."))
    _accept_code(user, second_factor.totp_secret_of(user), code)
    db.session.commit()


def enrol_second_factor(user: User, secret: str, code: str) -> None:
    """Store the TOTP secret once the user proved their app produces its codes."""
    if not user.active:
        raise LoginFailed(_("This account cannot sign in."))
    if user.has_second_factor:
        raise Conflict(_("Two-factor authentication is already set up for this account."))
    second_factor.hold_key_ring()  # before any row lock: a rotation takes the lock first, then the rows
    _accept_code(user, secret, code)
    second_factor.store_totp_secret(user, secret)
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Rotate the session token: every existing session cookie of this user stops working."""
    user.session_token = new_session_token()
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password; ends every session and revokes every API token of the user.

    Also ends the one-time state: the flag and the expiry are cleared.
    """
    confirm_password(user, current)
    check_password_strength(new, user.email)
    if new == current:
        raise ValidationFailed(_("Choose a password different from the current one."))
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_expires_at = None
    user.session_token = new_session_token()
    tokens.revoke_all_of(user)
    db.session.commit()


def set_active(user_id: int, active: bool, by: User | None = None) -> User:
    """Disable (ends all sessions and tokens) or re-enable an account; admins cannot disable themselves."""
    user = find_user(user_id)
    if by is not None and user.id == by.id and not active:
        raise Conflict(_("You cannot disable your own account."))
    user.active = active
    user.session_token = new_session_token()
    if not active:
        tokens.revoke_all_of(user)  # re-enabling does not bring them back
    db.session.commit()
    return user


def reset_second_factor(user_id: int) -> User:
    """Forget the user's TOTP secret, end their sessions and revoke their API tokens: they enrol again at next login."""
    user = find_user(user_id)
    user.totp_secret_sealed = None
    user.totp_last_step = None
    user.session_token = new_session_token()
    tokens.revoke_all_of(user)
    db.session.commit()
    return user


def invite(email: str, role: Role) -> tuple[User, str]:
    """Create an account with a one-time password to hand over; the user enrols TOTP and replaces it at first login."""
    return create_with_one_time_password(email, role)
