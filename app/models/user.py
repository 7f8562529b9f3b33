"""Accounts of moderators and admins. Citizens never need one."""

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.columns import utcnow, vocabulary
from app.vocabulary import Role


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(vocabulary(Role, "role"), default=Role.MODERATOR)
    active: Mapped[bool] = mapped_column(default=True)
    # The TOTP secret sealed under the key outside the database (app/auth/sealing.py), set once the user has proved
    # their authenticator works; NULL means enrolment is still due.
    totp_secret_sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    # The last TOTP time step accepted: a code is good once, even within its 30 seconds.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # Per-account throttling of failed logins (password or second factor).
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # A generated one-time password (invite, `flask users create`/`ensure-admin`) must be replaced right after the
    # first sign-in and stops working at password_expires_at. Rows the application creates say False unless a service
    # sets it; the database default is True, so an account inserted any other way is treated as one-time too.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.true())
    password_expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Rotated on logout, password change and disabling: every session cookie carries it, so all end together.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.Index("uq_users_email_lower", sa.func.lower(email), unique=True),)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret_sealed is not None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"
