"""Photos of a sighting. Only re-encoded images are stored; the uploaded bytes never are."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Photo(db.Model):
    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    sighting_id: Mapped[int] = mapped_column(sa.ForeignKey("sightings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    content_type: Mapped[str] = mapped_column(sa.String(20))
    # Keys in the photo storage (random names, no relation to the upload).
    display_key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    thumb_key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display_bytes: Mapped[int] = mapped_column()
    thumb_bytes: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))  # of the stored display image
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()

    sighting = relationship("Sighting", back_populates="photos")

    __table_args__ = (
        sa.CheckConstraint("width > 0 AND height > 0", name="dimensions_positive"),
        sa.UniqueConstraint("sighting_id", "position", name="uq_photos_sighting_position"),
    )
