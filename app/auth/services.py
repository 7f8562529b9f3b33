"""Account services: creating users and checking passwords (Argon2id)."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.models import User
from app.vocabulary import Role

# argon2-cffi's defaults follow RFC 9106's second recommended option (Argon2id, 64 MiB, t=3).
_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(18)


def create_user(email: str, password: str, role: Role = Role.MODERATOR) -> User:
    """Create an account; raises Conflict when the e-mail is taken."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise ValidationFailed(_("Enter a valid e-mail address."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise Conflict(_("An account with this e-mail already exists."))
    user = User(email=email, password_hash=hash_password(password), role=role)
    db.session.add(user)
    db.session.commit()
    return user


def ensure_admin(email: str) -> str | None:
    """Create the first admin when there is none; returns its one-time password, or None if one exists."""
    if db.session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)):
        return None
    password = generate_password()
    create_user(email, password, Role.ADMIN)
    return password
