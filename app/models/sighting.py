"""Sightings: one citizen's report of a camera, with its photos, waiting for or past moderation."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from geoalchemy2 import WKBElement
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.camera import Camera, CameraDescription, CapabilityClaim, direction_check
from app.models.columns import NOTE_MAX, point, today, vocabulary
from app.vocabulary import CorrectionSubject, SightingKind, SightingState


class Sighting(CameraDescription, db.Model):
    __tablename__ = "sightings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Shown to the reporter on the receipt; short, random, unguessable enough to not enumerate.
    reference: Mapped[str] = mapped_column(sa.String(16), unique=True)
    # SHA-256 of the client's random Idempotency-Key (never the key): recognises a retry. Dropped after
    # moderation (retention).
    idempotency_key_sha256: Mapped[bytes | None] = mapped_column(sa.LargeBinary(32), unique=True)
    payload_hash: Mapped[str | None] = mapped_column(sa.String(64))
    location: Mapped[WKBElement] = mapped_column(point())
    # Set by the database trigger `assign_municipality` whenever the location is written.
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    # The day only: exact submission times could help identify a reporter from camera footage.
    submitted_on: Mapped[date] = mapped_column(default=today)
    source: Mapped[str] = mapped_column(sa.String(20), default="web")
    source_ref: Mapped[str | None] = mapped_column(sa.String(40))
    state: Mapped[SightingState] = mapped_column(
        vocabulary(SightingState, "state"), default=SightingState.PENDING, index=True
    )
    # A camera seen (new, again, or gone) or a correction of a camera on the map (`confirms_camera_id`).
    kind: Mapped[SightingKind] = mapped_column(
        vocabulary(SightingKind, "kind"), default=SightingKind.REPORT, server_default=SightingKind.REPORT.value
    )
    # What a correction says is wrong (NULL for reports).
    correction_subject: Mapped[CorrectionSubject | None] = mapped_column(
        vocabulary(CorrectionSubject, "correction_subject")
    )
    # The reporter says the camera `confirms_camera_id` is no longer there: a state, never read from the note.
    reports_gone: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # HMAC of the withdrawal secret shown on the receipt (never the secret); NULL once decided.
    withdrawal_hmac: Mapped[bytes | None] = mapped_column(sa.LargeBinary(32))
    # The reporter says this is a camera already on the map: still there, gone, or to be corrected.
    confirms_camera_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cameras.id", ondelete="SET NULL"))
    # The camera this sighting became (approved) or was merged into.
    camera_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cameras.id", ondelete="SET NULL"), index=True)
    decided_on: Mapped[date | None] = mapped_column()
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)
    # What the reporter sent, kept when a moderator first edits the sighting (fields, capabilities, lon/lat).
    original_submission: Mapped[dict[str, Any] | None] = mapped_column(JSONB)

    camera: Mapped[Camera | None] = relationship(back_populates="sightings", foreign_keys=[camera_id])
    confirms_camera: Mapped[Camera | None] = relationship(foreign_keys=[confirms_camera_id])
    municipality = relationship("Municipality")
    photos: Mapped[list["Photo"]] = relationship(  # noqa: F821
        back_populates="sighting", cascade="all, delete-orphan", order_by="Photo.position"
    )
    capabilities: Mapped[list["SightingCapability"]] = relationship(
        back_populates="sighting", cascade="all, delete-orphan", order_by="SightingCapability.capability"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        direction_check(),
        sa.CheckConstraint(f"char_length(note) <= {NOTE_MAX}", name="note_length"),
        sa.CheckConstraint(
            "(state IN ('approved', 'merged')) = (camera_id IS NOT NULL) OR state = 'rejected'",
            name="decided_has_camera",
        ),
        sa.CheckConstraint("(kind = 'correction') = (correction_subject IS NOT NULL)", name="correction_has_subject"),
        sa.UniqueConstraint("source", "source_ref", name="uq_sightings_source_ref"),
    )

    def __repr__(self) -> str:
        return f"<Sighting {self.reference} {self.state.value}>"


class SightingCapability(CapabilityClaim, db.Model):
    """A capability the reporter claims, and how they know."""

    __tablename__ = "sighting_capabilities"

    sighting_id: Mapped[int] = mapped_column(sa.ForeignKey("sightings.id", ondelete="CASCADE"), primary_key=True)

    sighting: Mapped[Sighting] = relationship(back_populates="capabilities")
