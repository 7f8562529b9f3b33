"""What to cite: the latest signed snapshot (its id, day and the SHA-256 of its checksum list), the licence, a URL."""

from dataclasses import dataclass
from datetime import date

from app.opendata import snapshots

LICENCE = "ODbL 1.0"
CREDIT = "Hiljade kamera contributors"


@dataclass(frozen=True)
class Citation:
    snapshot: str  # the snapshot's id: its directory name, 2026-12-01 or 2026-12-01.2 for a second one that day
    day: date
    checksum: str  # SHA-256 of the snapshot's SHA256SUMS, which lists the SHA-256 of every file in it
    licence: str = LICENCE
    credit: str = CREDIT


def latest_citation() -> Citation | None:
    """The newest published snapshot as a citation, or None before the first snapshot."""
    snapshot = snapshots.latest_snapshot()
    if snapshot is None:
        return None
    manifest = next(f for f in snapshot.files if f.name == snapshots.MANIFEST)
    return Citation(snapshot.name, date.fromisoformat(snapshot.name.partition(".")[0]), manifest.sha256)
