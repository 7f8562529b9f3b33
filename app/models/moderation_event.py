"""The moderation log: append-only, enforced by PostgreSQL (see the migration's `forbid_change` trigger)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class ModerationEvent(db.Model):
    __tablename__ = "moderation_events"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40))
    target_type: Mapped[str] = mapped_column(sa.String(20))
    target_id: Mapped[int] = mapped_column()
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # SHA-256 of the target's content before and after the action.
    before_hash: Mapped[str | None] = mapped_column(sa.String(64))
    after_hash: Mapped[str | None] = mapped_column(sa.String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # SHA-256 over this event's fields and the previous event's hash: a chain that shows any gap or edit.
    content_hash: Mapped[str] = mapped_column(sa.String(64))

    actor = relationship("User")

    __table_args__ = (sa.Index("ix_moderation_events_target", "target_type", "target_id"),)
