"""Municipalities: the units camera density is computed over (Serbian municipalities and cities,
Belgrade's city municipalities, Kosovo municipalities)."""

import sqlalchemy as sa
from geoalchemy2 import WKBElement
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.columns import multipolygon, utcnow


class Municipality(db.Model):
    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Official register number for Serbia (RZS matični broj), geoBoundaries shapeID for Kosovo.
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    country: Mapped[str] = mapped_column(sa.String(2))  # ISO 3166-1 alpha-2; XK for Kosovo
    name: Mapped[str] = mapped_column(sa.String(120))  # Serbian, Latin script
    name_cyrillic: Mapped[str | None] = mapped_column(sa.String(120))
    name_sq: Mapped[str | None] = mapped_column(sa.String(120))  # Albanian, where present
    name_en: Mapped[str | None] = mapped_column(sa.String(120))
    unit_type: Mapped[str] = mapped_column(sa.String(40))
    parent_city: Mapped[str | None] = mapped_column(sa.String(80))
    district_code: Mapped[str | None] = mapped_column(sa.String(8))
    district_name: Mapped[str | None] = mapped_column(sa.String(120))
    population: Mapped[int] = mapped_column()
    population_year: Mapped[int] = mapped_column(sa.SmallInteger)
    population_source: Mapped[str | None] = mapped_column(sa.Text)
    # Census counts known to be far too low (e.g. the boycotted 2024 census in northern Kosovo).
    population_unreliable: Mapped[bool] = mapped_column(default=False)
    population_note: Mapped[str | None] = mapped_column(sa.Text)
    boundary: Mapped[WKBElement] = mapped_column(multipolygon())
    # For drawing only: simplified with the neighbours together, so shared edges stay shared.
    boundary_simplified: Mapped[WKBElement] = mapped_column(multipolygon(spatial_index=False))
    # Computed by PostGIS on the ellipsoid, always in step with the boundary.
    area_km2: Mapped[float] = mapped_column(
        sa.Double, sa.Computed("ST_Area(boundary::geography) / 1000000.0", persisted=True)
    )
    dataset: Mapped[str] = mapped_column(sa.String(80))
    updated_at: Mapped[sa.DateTime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.CheckConstraint("population >= 0", name="population_not_negative"),
        sa.CheckConstraint("ST_IsValid(boundary)", name="boundary_valid"),
    )

    def __repr__(self) -> str:
        return f"<Municipality {self.code} {self.name}>"
