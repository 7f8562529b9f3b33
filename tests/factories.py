"""Builders for test objects, stored through the real models and database."""

from datetime import date

from app import geo
from app.extensions import db
from app.models import Camera, CameraCapability, ModerationEvent, User
from app.vocabulary import CameraType, Capability, Evidence, Manufacturer, Role

STARI_GRAD = (20.4569, 44.8176)  # lon, lat
BECEJ = (20.0333, 45.6163)
BUDAPEST = (19.0402, 47.4979)


def make_camera(lon: float = STARI_GRAD[0], lat: float = STARI_GRAD[1], **fields) -> Camera:
    capabilities = fields.pop("capabilities", {Capability.FACIAL_RECOGNITION: Evidence.MODEL_IDENTIFIED})
    camera = Camera(
        location=geo.point(lon, lat),
        camera_type=fields.pop("camera_type", CameraType.DOME),
        manufacturer=fields.pop("manufacturer", Manufacturer.HUAWEI),
        first_confirmed_on=fields.pop("first_confirmed_on", date(2026, 11, 1)),
        last_confirmed_on=fields.pop("last_confirmed_on", date(2026, 11, 1)),
        **fields,
    )
    camera.capabilities = [CameraCapability(capability=c, evidence=e) for c, e in capabilities.items()]
    db.session.add(camera)
    db.session.flush()
    db.session.refresh(camera)
    return camera


def make_user(email: str = "mod@example.org", role: Role = Role.MODERATOR, **fields) -> User:
    from app.auth.services import hash_password

    user = User(email=email, password_hash=hash_password(fields.pop("password", "correct horse battery")), role=role)
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.add(user)
    db.session.flush()
    return user


def make_event(**fields) -> ModerationEvent:
    event = ModerationEvent(
        action=fields.pop("action", "approve"),
        target_type=fields.pop("target_type", "sighting"),
        target_id=fields.pop("target_id", 1),
        content_hash=fields.pop("content_hash", "0" * 64),
        **fields,
    )
    db.session.add(event)
    db.session.flush()
    return event


def make_sighting(lon: float = STARI_GRAD[0], lat: float = STARI_GRAD[1], **fields):
    """A pending sighting (capability claims as {Capability: Evidence}, `photos` = how many small JPEGs)."""
    import secrets
    import uuid

    from app.models import Sighting, SightingCapability

    capabilities = fields.pop("capabilities", {Capability.FACIAL_RECOGNITION: Evidence.SUSPECTED})
    photos = fields.pop("photos", 0)
    sighting = Sighting(
        reference=fields.pop("reference", secrets.token_hex(4).upper()),
        idempotency_key_sha256=fields.pop("idempotency_key_sha256", uuid.uuid4().bytes * 2),
        payload_hash=fields.pop("payload_hash", "a" * 64),
        location=geo.point(lon, lat),
        camera_type=fields.pop("camera_type", CameraType.DOME),
        manufacturer=fields.pop("manufacturer", Manufacturer.HUAWEI),
        submitted_on=fields.pop("submitted_on", date(2026, 11, 20)),
        **fields,
    )
    sighting.capabilities = [SightingCapability(capability=c, evidence=e) for c, e in capabilities.items()]
    db.session.add(sighting)
    db.session.flush()
    for position in range(photos):
        make_photo(sighting, position=position)
    db.session.refresh(sighting)
    return sighting


def jpeg_bytes(width: int = 64, height: int = 48, color=(200, 30, 30)) -> bytes:
    """A small JPEG: left half `color`, right half white (so rotation and blurring are visible in pixels)."""
    import io

    from PIL import Image

    image = Image.new("RGB", (width, height), (255, 255, 255))
    image.paste(Image.new("RGB", (width // 2, height), color), (0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def make_photo(sighting, position: int = 0, data: bytes | None = None):
    """A photo row with its files written through the real storage."""
    import hashlib
    import io

    from PIL import Image

    from app.models import Photo
    from app.photos.storage import storage

    data = data or jpeg_bytes()
    width, height = Image.open(io.BytesIO(data)).size
    files = storage()
    photo = Photo(
        sighting_id=sighting.id,
        position=position,
        content_type="image/jpeg",
        display_key=files.put(data, ".jpg"),
        thumb_key=files.put(data, ".jpg"),
        display_bytes=len(data),
        thumb_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        width=width,
        height=height,
    )
    db.session.add(photo)
    db.session.flush()
    return photo


def totp_now(secret: str, offset_steps: int = 0) -> str:
    """The TOTP code an authenticator app would show now (or `offset_steps` periods later)."""
    import time

    import pyotp

    return pyotp.TOTP(secret).at(int(time.time()) + 30 * offset_steps)


def make_moderator(email: str = "mod@example.org", role: Role = Role.MODERATOR, **fields) -> User:
    """An account with TOTP enrolled, its secret sealed as enrolment seals it.

    `user.totp_secret` is the plain secret the test's authenticator app knows: an attribute of this Python object
    only, never a column.
    """
    import pyotp

    from app.auth import second_factor

    secret = fields.pop("totp_secret", None) or pyotp.random_base32()
    user = make_user(email, role, **fields)
    second_factor.store_totp_secret(user, secret)
    db.session.flush()
    user.totp_secret = secret
    return user


# Official figures from public reporting (../shared/DOMAIN.md), for tests and demo data only.
BECEJ_CODE = "80110"
GNJILANE_CODE = "46174442B68038755437200"
STARI_GRAD_CODE = "70246"
SAVSKI_VENAC = (20.4534, 44.7990)


def make_official_figure(municipality_code: str = BECEJ_CODE, **fields):
    from app.municipalities.figures import record_official_figure

    values = {
        "kind": "procured",
        "cameras": 130,
        "source_url": "https://example.org/becej-procurement",  # a placeholder: test data only
        "document_date": date(2021, 3, 1),
        "supplier": None,
        "amount": "800000",
        "currency": "EUR",
        "description": "130 cameras at 20 locations, paid from traffic fines (almost €800,000)",
    }
    values.update(fields)
    return record_official_figure(municipality_code=municipality_code, **values)


def make_gnjilane_schools_figure():
    return make_official_figure(
        GNJILANE_CODE,
        cameras=196,
        document_date=date(2021, 12, 16),
        supplier="Neva Company 2020 DOO",
        amount="39000",
        description="196 Dahua 5 MP bullet cameras and 30 DVRs with face recognition for about 30 schools",
    )


def point_from(lon: float, lat: float, metres: float, bearing: float) -> tuple[float, float]:
    """(lon, lat) of the point `metres` away along `bearing` (degrees from north), on the ellipsoid (PostGIS)."""
    from sqlalchemy import text

    return tuple(
        db.session.execute(
            text(
                "SELECT ST_X(p::geometry), ST_Y(p::geometry) FROM ST_Project("
                "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography, :metres, radians(:bearing)) AS p"
            ),
            {"lon": lon, "lat": lat, "metres": metres, "bearing": bearing},
        ).one()
    )
