"""A soft claim: a moderator has a pending sighting open. It expires unless the open page renews it, it never
blocks a decision, and it is not a moderation event: it is not in the log and never shown to the public."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.columns import utcnow


class ModeratorClaim(db.Model):
    __tablename__ = "moderator_claims"

    sighting_id: Mapped[int] = mapped_column(sa.ForeignKey("sightings.id", ondelete="CASCADE"), primary_key=True)
    moderator_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # When this look at the item began (kept while it is renewed), and when it lapses unless renewed.
    claimed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))

    moderator = relationship("User")
