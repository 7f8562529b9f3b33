"""Column builders shared by the models."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from geoalchemy2 import Geometry

from app.vocabulary import Vocabulary

SRID = 4326


def vocabulary(enum_cls: type[Vocabulary], name: str) -> sa.Enum:
    """A VARCHAR + CHECK column storing the enum's OSM-aligned value (extensible without ALTER TYPE)."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


def point() -> Geometry:
    return Geometry("POINT", srid=SRID, spatial_index=True)


def multipolygon(spatial_index: bool = True) -> Geometry:
    return Geometry("MULTIPOLYGON", srid=SRID, spatial_index=spatial_index)


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """The current day in UTC: submissions are dated to the day, never timed."""
    return utcnow().date()
