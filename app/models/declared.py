"""Declared lists: where an authority says its cameras are (a police list, a procurement annex), point by point.

A list is known by its source; each import of it is a version (a row of `declared_lists`). The newest version by
document date is the current one, which the comparison with the mapped cameras reads; the older ones are kept.
"""

from datetime import date, datetime

import sqlalchemy as sa
from geoalchemy2 import WKBElement
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.columns import point, utcnow

DECLARED_SOURCE_MAX = 300  # the name of the list's source (its identity across versions)
DECLARED_LICENCE_MAX = 200
DECLARED_TEXT_MAX = 300  # a location's label or address


class DeclaredList(db.Model):
    """One version of a declared list, with where it comes from, its date, its licence and its content's hash."""

    __tablename__ = "declared_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(DECLARED_SOURCE_MAX))
    source_url: Mapped[str | None] = mapped_column(sa.String(500))
    document_date: Mapped[date] = mapped_column()
    licence: Mapped[str] = mapped_column(sa.String(DECLARED_LICENCE_MAX))
    # SHA-256 of the rows as stored (coordinates, cameras, texts): the same content imported again changes nothing.
    content_sha256: Mapped[str] = mapped_column(sa.String(64))
    file_name: Mapped[str | None] = mapped_column(sa.String(200))
    is_current: Mapped[bool] = mapped_column(default=True)
    imported_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    locations: Mapped[list["DeclaredLocation"]] = relationship(
        back_populates="declared_list", cascade="all, delete-orphan", order_by="DeclaredLocation.line"
    )

    __table_args__ = (
        sa.UniqueConstraint("source", "content_sha256", name="one_version_per_content"),
        sa.Index("ix_declared_lists_one_current", "source", unique=True, postgresql_where=sa.text("is_current")),
        sa.CheckConstraint("char_length(source) BETWEEN 1 AND 300", name="source_length"),
        sa.CheckConstraint("char_length(licence) BETWEEN 1 AND 200", name="licence_length"),
        sa.CheckConstraint("source_url IS NULL OR source_url ~ '^https?://'", name="source_url_is_web_address"),
    )


class DeclaredLocation(db.Model):
    """A place on a declared list and how many cameras the list says are there."""

    __tablename__ = "declared_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(sa.ForeignKey("declared_lists.id", ondelete="CASCADE"), index=True)
    # The row's line in the CSV file (the header is line 1) or the feature's number in the GeoJSON (from 1).
    line: Mapped[int] = mapped_column()
    location: Mapped[WKBElement] = mapped_column(point())
    # Set by the database trigger `assign_municipality` whenever the location is written, as for cameras.
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    cameras: Mapped[int] = mapped_column(default=1)
    label: Mapped[str | None] = mapped_column(sa.String(DECLARED_TEXT_MAX))
    address: Mapped[str | None] = mapped_column(sa.String(DECLARED_TEXT_MAX))

    declared_list: Mapped[DeclaredList] = relationship(back_populates="locations")
    municipality = relationship("Municipality")

    __table_args__ = (sa.CheckConstraint("cameras BETWEEN 1 AND 10000", name="cameras_range"),)
