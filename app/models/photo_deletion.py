"""A request to delete a photo for real: it happens only when a second, different moderator confirms."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.columns import utcnow


class PhotoDeletionRequest(db.Model):
    __tablename__ = "photo_deletion_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(sa.ForeignKey("photos.id", ondelete="CASCADE"), unique=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    requested_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    photo = relationship("Photo")
    requested_by = relationship("User")
