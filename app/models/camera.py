"""Cameras: the verified objects on the public map, and the descriptive fields sightings share with them."""

from datetime import date

import sqlalchemy as sa
from geoalchemy2 import WKBElement
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.columns import MODEL_MAX, OPERATOR_NAME_MAX, described, point, today, vocabulary
from app.vocabulary import (
    MAPPED_CAMERA_STATUSES,
    CameraMount,
    CameraStatus,
    CameraType,
    Capability,
    Evidence,
    Manufacturer,
    Operator,
    Setting,
    SurveillanceType,
    Zone,
)


class CameraDescription:
    """What can be seen of a camera; the attribute names map 1:1 to OSM keys (app.vocabulary.OSM_KEYS)."""

    surveillance_type: Mapped[SurveillanceType] = described("surveillance_type", default=SurveillanceType.CAMERA)
    camera_type: Mapped[CameraType | None] = described("camera_type")
    mount: Mapped[CameraMount | None] = described("mount")
    # Degrees clockwise from north; NULL when unknown.
    direction: Mapped[int | None] = mapped_column(sa.SmallInteger)
    setting: Mapped[Setting | None] = described("setting")
    zone: Mapped[Zone | None] = described("zone")
    operator: Mapped[Operator | None] = described("operator")
    operator_name: Mapped[str | None] = mapped_column(sa.String(OPERATOR_NAME_MAX))
    manufacturer: Mapped[Manufacturer | None] = described("manufacturer")
    model: Mapped[str | None] = mapped_column(sa.String(MODEL_MAX))


def direction_check() -> sa.CheckConstraint:
    return sa.CheckConstraint("direction BETWEEN 0 AND 359", name="direction_range")


class Camera(CameraDescription, db.Model):
    __tablename__ = "cameras"

    id: Mapped[int] = mapped_column(primary_key=True)
    location: Mapped[WKBElement] = mapped_column(point())
    # Set by the database trigger `assign_municipality` whenever the location is written.
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    status: Mapped[CameraStatus] = mapped_column(
        vocabulary(CameraStatus, "status"), default=CameraStatus.ACTIVE, index=True
    )
    first_confirmed_on: Mapped[date] = mapped_column(default=today)
    last_confirmed_on: Mapped[date] = mapped_column(default=today)
    confirmation_count: Mapped[int] = mapped_column(default=1)
    version: Mapped[int] = mapped_column(default=1)

    municipality = relationship("Municipality")
    capabilities: Mapped[list["CameraCapability"]] = relationship(
        back_populates="camera", cascade="all, delete-orphan", order_by="CameraCapability.capability"
    )
    sightings: Mapped[list["Sighting"]] = relationship(  # noqa: F821
        back_populates="camera", foreign_keys="Sighting.camera_id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        direction_check(),
        sa.CheckConstraint("confirmation_count >= 1", name="confirmation_count_positive"),
        sa.CheckConstraint("first_confirmed_on <= last_confirmed_on", name="confirmed_dates_ordered"),
    )

    @hybrid_property
    def on_map(self) -> bool:
        """On the public map and in the counts: not removed (app.vocabulary.MAPPED_CAMERA_STATUSES)."""
        return self.status in MAPPED_CAMERA_STATUSES

    @on_map.inplace.expression
    @classmethod
    def _on_map_expression(cls) -> sa.ColumnElement[bool]:
        return cls.status.in_(MAPPED_CAMERA_STATUSES)

    def __repr__(self) -> str:
        return f"<Camera {self.id}>"


class CapabilityClaim:
    """What a camera can do, and how we know it (a camera's and a sighting's claims share these columns)."""

    capability: Mapped[Capability] = mapped_column(vocabulary(Capability, "capability"), primary_key=True)
    evidence: Mapped[Evidence] = mapped_column(vocabulary(Evidence, "evidence"), default=Evidence.SUSPECTED)


class CameraCapability(CapabilityClaim, db.Model):
    """A capability claimed for a camera, with the strongest evidence we have for it."""

    __tablename__ = "camera_capabilities"

    camera_id: Mapped[int] = mapped_column(sa.ForeignKey("cameras.id", ondelete="CASCADE"), primary_key=True)

    camera: Mapped[Camera] = relationship(back_populates="capabilities")

    __table_args__ = (sa.Index("ix_camera_capabilities_capability", "capability", "camera_id"),)
