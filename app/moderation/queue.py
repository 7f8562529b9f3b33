"""Reading the queue: pending sightings oldest first, counts per municipality, and what lies near a pin."""

from typing import Any

from sqlalchemy import func, select

from app import geo
from app.extensions import db
from app.models import Camera, Municipality, Sighting
from app.moderation.content import coordinates
from app.vocabulary import SightingState

NEARBY_METRES = 50
PAGE_SIZE = 100


def _pending(municipality_id: int | None):
    query = select(Sighting).where(Sighting.state == SightingState.PENDING)
    if municipality_id is not None:
        query = query.where(Sighting.municipality_id == municipality_id)
    return query


def pending_sightings(municipality_id: int | None = None, limit: int = PAGE_SIZE) -> list[Sighting]:
    """Pending sightings, oldest first (by day, then arrival)."""
    query = _pending(municipality_id).order_by(Sighting.submitted_on, Sighting.id).limit(limit)
    return list(db.session.scalars(query))


def pending_counts() -> tuple[int, list[dict[str, Any]]]:
    """The total pending and a count per municipality (largest first)."""
    rows = db.session.execute(
        select(Municipality, func.count(Sighting.id))
        .join(Municipality, Municipality.id == Sighting.municipality_id)
        .where(Sighting.state == SightingState.PENDING)
        .group_by(Municipality.id)
        .order_by(func.count(Sighting.id).desc(), Municipality.name)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(_pending(None).subquery())) or 0
    return total, [
        {
            "id": m.id,
            "name": m.name,
            "name_cyrillic": m.name_cyrillic,
            "name_sq": m.name_sq,
            "name_en": m.name_en,
            "count": count,
        }
        for m, count in rows
    ]


def next_pending(after: Sighting, municipality_id: int | None = None) -> Sighting | None:
    """The pending sighting after `after` in queue order (wrapping to the oldest)."""
    order = (Sighting.submitted_on, Sighting.id)
    query = _pending(municipality_id).where(Sighting.id != after.id)
    later = query.where(func.row(*order) > func.row(after.submitted_on, after.id)).order_by(*order).limit(1)
    return db.session.scalar(later) or db.session.scalar(query.order_by(*order).limit(1))


def _near(model, point, exclude_id: int | None):
    distance = geo.distance_metres(model.location, point)
    query = (
        select(model, func.ST_X(model.location), func.ST_Y(model.location), distance)
        .where(geo.within_metres(model.location, point, NEARBY_METRES))
        .order_by(distance)
    )
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return query


def nearby(sighting: Sighting) -> dict[str, Any]:
    """The sighting's pin, and verified cameras and other pending sightings within 50 m (PostGIS, metres)."""
    lon, lat = coordinates(Sighting, sighting.id)
    point = select(Sighting.location).where(Sighting.id == sighting.id).scalar_subquery()
    cameras = [
        {
            "id": c.id,
            "lon": x,
            "lat": y,
            "distance": round(d, 1),
            "status": c.status.value,
            "confirmations": c.confirmation_count,
            "label": f"#{c.id}",
        }
        for c, x, y, d in db.session.execute(_near(Camera, point, None)).all()
    ]
    others = [
        {"id": s.id, "lon": x, "lat": y, "distance": round(d, 1), "label": s.reference}
        for s, x, y, d in db.session.execute(
            _near(Sighting, point, sighting.id).where(Sighting.state == SightingState.PENDING)
        ).all()
    ]
    return {"lon": lon, "lat": lat, "cameras": cameras, "pending": others}


def municipalities_with_pending() -> list[tuple[int, str]]:
    _total, rows = pending_counts()
    return [(row["id"], row["name"]) for row in rows]
