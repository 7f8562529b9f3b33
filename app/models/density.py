"""Camera counts per municipality, kept current by database triggers, and officially declared figures."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.columns import today, vocabulary
from app.vocabulary import Vocabulary


class MunicipalityCameraCount(db.Model):
    """How many mapped cameras (active or awaiting re-survey) a municipality has, per measure.

    `measure` is `total`, `capability:<value>` or `manufacturer:<value>`. Rows are written only by the
    triggers of migration 0004 (whoever writes cameras), never by the application.
    """

    __tablename__ = "municipality_camera_counts"

    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipalities.id", ondelete="CASCADE"), primary_key=True
    )
    measure: Mapped[str] = mapped_column(sa.String(48), primary_key=True)
    cameras: Mapped[int] = mapped_column(default=0)

    __table_args__ = (sa.CheckConstraint("cameras >= 0", name="cameras_not_negative"),)


class MapDataVersion(db.Model):
    """One row whose counter the triggers bump on every change to cameras, counts, figures or boundaries.

    Read in the same snapshot as the data, it keys the caches of the density GeoJSON and choropleth.
    """

    __tablename__ = "map_data_version"

    id: Mapped[bool] = mapped_column(primary_key=True, default=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    __table_args__ = (sa.CheckConstraint("id", name="single_row"),)


class FigureKind(Vocabulary):
    DECLARED = "declared"  # an official statement of how many cameras there are
    PROCURED = "procured"  # a tender, contract or invoice


class OfficialFigure(db.Model):
    """A number of cameras a municipality or the state declared or bought, with its source."""

    __tablename__ = "official_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FigureKind] = mapped_column(vocabulary(FigureKind, "figure_kind"), default=FigureKind.PROCURED)
    cameras: Mapped[int] = mapped_column()
    source_url: Mapped[str] = mapped_column(sa.String(500))
    document_date: Mapped[date] = mapped_column()
    supplier: Mapped[str | None] = mapped_column(sa.String(200))
    amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    description: Mapped[str] = mapped_column(sa.Text)
    recorded_on: Mapped[date] = mapped_column(default=today)
    # Moderators are accountable for what they record; the public pages never show who it was.
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    municipality = relationship("Municipality")

    __table_args__ = (
        sa.CheckConstraint("cameras > 0", name="cameras_positive"),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
        sa.CheckConstraint("(amount IS NULL) = (currency IS NULL)", name="amount_has_currency"),
        sa.CheckConstraint("source_url ~ '^https?://'", name="source_is_web_address"),
        sa.CheckConstraint("char_length(description) BETWEEN 1 AND 2000", name="description_length"),
    )
