"""Column builders shared by the models."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.orm import MappedColumn, mapped_column

from app.vocabulary import FIELD_VOCABULARIES, Vocabulary

SRID = 4326

# Lengths of free text, in characters: the columns, the forms that fill them (their `maxlength`) and the services
# that check them all read these.
MODEL_MAX = 80  # a camera's model code
OPERATOR_NAME_MAX = 120
NOTE_MAX = 2000  # a reporter's note
REASON_MAX = 1000  # a moderator's reason or note
FIGURE_DESCRIPTION_MAX = 2000  # what an official figure says was declared or bought
TOKEN_NAME_MAX = 80  # what an API token is for


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


def described(field: str, **options) -> MappedColumn:
    """The column of a descriptive field whose values come from its vocabulary (app.vocabulary.FIELD_VOCABULARIES)."""
    return mapped_column(vocabulary(FIELD_VOCABULARIES[field], field), **options)


def point() -> Geometry:
    return Geometry("POINT", srid=SRID, spatial_index=True)


def multipolygon(spatial_index: bool = True) -> Geometry:
    return Geometry("MULTIPOLYGON", srid=SRID, spatial_index=spatial_index)


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """The current day in UTC: submissions are dated to the day, never timed."""
    return utcnow().date()
