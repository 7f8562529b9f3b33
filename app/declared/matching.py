"""Matching declared locations with mapped cameras: PostGIS finds the pairs within the tolerance, the nearest pair
is taken first.

The rule: within each current list, every mapped camera goes to at most one declared location, and a location
declared with n cameras takes at most n mapped cameras; pairs are taken nearest first (ties by the lower ids), so a
camera between two declared places goes to the nearer one. Lists are matched independently: a camera on two lists
is matched on each. A declared location is "found" when at least one camera is matched to it; a mapped camera is
"declared" when any current list's location took it. Locations are counted in their own municipality and cameras in
theirs: near a border the two can differ, which is why the two "matched" figures are kept apart.
"""

import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from app import geo
from app.extensions import db
from app.models import Camera, DeclaredList, DeclaredLocation


@dataclass(frozen=True)
class Comparison:
    """The matching of every current list against the cameras on the map, and its figures per municipality."""

    key: tuple
    matched_locations: frozenset[int] = frozenset()
    matched_cameras: frozenset[int] = frozenset()
    pairs: int = 0
    # municipality id -> the figures of the comparison (see FIGURES), as JSON for the density SQL.
    by_municipality: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def figures_json(self) -> str:
        return json.dumps({str(key): value for key, value in self.by_municipality.items()})


# The comparison's figures per municipality, under the names the API, municipalities.csv and the pages use.
FIGURES = ("declared_locations", "declared_list_cameras", "matched_locations", "matched_cameras")


def tolerance_metres() -> float:
    return float(current_app.config["DECLARED_MATCH_METRES"])


def candidate_pairs(metres: float):
    """Every (list, location, its cameras, camera, its municipality, distance) of a current list's location and a
    camera on the map within `metres` of it, nearest first: the GiST index on cameras answers the search."""
    distance = geo.distance_metres(Camera.location, DeclaredLocation.location)
    return (
        select(
            DeclaredLocation.list_id,
            DeclaredLocation.id,
            DeclaredLocation.cameras,
            Camera.id,
            Camera.municipality_id,
            distance.label("distance"),
        )
        .join(DeclaredList, DeclaredList.id == DeclaredLocation.list_id)
        .join(Camera, geo.within_metres(Camera.location, DeclaredLocation.location, metres))
        .where(DeclaredList.is_current, Camera.on_map)
        .order_by(distance, DeclaredLocation.id, Camera.id)
    )


def greedy_assignment(pairs) -> list[tuple[int, int]]:
    """(location, camera) pairs taken nearest first: a camera once per list, a location up to its camera count."""
    room: dict[int, int] = {}
    taken: set[tuple[int, int]] = set()
    matches = []
    for list_id, location_id, cameras, camera_id, _municipality, _distance in pairs:
        left = room.setdefault(location_id, cameras)
        if left == 0 or (list_id, camera_id) in taken:
            continue
        room[location_id] = left - 1
        taken.add((list_id, camera_id))
        matches.append((location_id, camera_id))
    return matches


def _compute(key: tuple, metres: float) -> Comparison:
    pairs = db.session.execute(candidate_pairs(metres)).all()
    matches = greedy_assignment(pairs)
    matched_locations = frozenset(location for location, _ in matches)
    matched_cameras = frozenset(camera for _, camera in matches)
    figures: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    locations = db.session.execute(
        select(DeclaredLocation.id, DeclaredLocation.municipality_id, DeclaredLocation.cameras)
        .join(DeclaredList, DeclaredList.id == DeclaredLocation.list_id)
        .where(DeclaredList.is_current, DeclaredLocation.municipality_id.is_not(None))
    ).all()
    for location_id, municipality_id, cameras in locations:
        row = figures[municipality_id]
        row["declared_locations"] += 1
        row["declared_list_cameras"] += cameras
        row["matched_locations"] += location_id in matched_locations
    camera_municipality = {pair[3]: pair[4] for pair in pairs}
    for camera_id in matched_cameras:
        if (municipality_id := camera_municipality[camera_id]) is not None:
            figures[municipality_id]["matched_cameras"] += 1
    return Comparison(key, matched_locations, matched_cameras, len(pairs), dict(figures))


_lock = threading.Lock()
_cached: Comparison | None = None


def comparison(data_version: tuple) -> Comparison:
    """The comparison for the caller's snapshot (`data_version`: app.municipalities.density.data_version()),
    computed once per version of the map's data and tolerance."""
    global _cached
    metres = tolerance_metres()
    key = (data_version, metres)
    cached = _cached
    if cached is not None and cached.key == key:
        return cached
    result = _compute(key, metres)
    with _lock:
        _cached = result
    return result
