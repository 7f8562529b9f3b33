"""Passwords: Argon2id hashes, the strength rules and generated one-time passwords."""

import secrets
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask_babel import gettext as _

from app.errors import ValidationFailed
from app.models import User

# argon2-cffi's defaults follow RFC 9106's second recommended option (Argon2id, 64 MiB, t=3).
_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 12


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of the most common passwords, lower-cased."""
    path = Path(__file__).with_name("common_passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check_password_strength(password: str, email: str = "") -> None:
    """Raise ValidationFailed for short, common or e-mail-derived passwords."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    lowered = password.lower()
    local_part = email.split("@")[0].lower()
    if lowered in common_passwords() or len(set(lowered)) < 4 or (len(local_part) >= 4 and local_part in lowered):
        raise ValidationFailed(_("This password is too common or too easy to guess. Choose another one."))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def password_matches(user: User, password: str) -> bool:
    return verify(user.password_hash, password)


@cache
def dummy_hash() -> str:
    """A hash no password matches in practice: verified for unknown e-mails so they take as long as real ones."""
    return hash_password(secrets.token_urlsafe(32))


def generate_password() -> str:
    return secrets.token_urlsafe(18)
