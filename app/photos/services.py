"""Photo files: write the clean images durably, remove them again, sweep files no row names."""

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Photo
from app.photos.pipeline import CleanPhoto
from app.photos.storage import PhotoStorage, storage
from app.vocabulary import SightingState


@dataclass(frozen=True)
class StoredPhoto:
    display_key: str
    thumb_key: str
    photo: CleanPhoto


def write_photos(photos: list[CleanPhoto], store: PhotoStorage | None = None) -> list[StoredPhoto]:
    """Write every photo's display and thumbnail files; on any failure remove what was written and re-raise."""
    store = store or storage()
    written: list[str] = []
    stored: list[StoredPhoto] = []
    try:
        for photo in photos:
            display_key = store.put(photo.display, photo.suffix)
            written.append(display_key)
            thumb_key = store.put(photo.thumb, photo.suffix)
            written.append(thumb_key)
            stored.append(StoredPhoto(display_key, thumb_key, photo))
    except BaseException:
        delete_files(written, store)
        raise
    return stored


def stored_keys(stored: list[StoredPhoto]) -> list[str]:
    return [key for item in stored for key in (item.display_key, item.thumb_key)]


def delete_files(keys: list[str], store: PhotoStorage | None = None) -> None:
    """Remove files (used when the row that would have named them was not stored)."""
    store = store or storage()
    for key in keys:
        store.delete(key)


# A temporary file this old cannot be a write in progress (a write takes milliseconds).
STALE_TEMPORARY_SECONDS = 3600


def sweep_orphans(dry_run: bool = False, store: PhotoStorage | None = None) -> list[str]:
    """Delete every stored file that no photo row names, and stale temporary files; returns the orphans' keys."""
    store = store or storage()
    if not dry_run:
        store.remove_stale_temporaries(STALE_TEMPORARY_SECONDS)
    known: set[str] = set()
    for display_key, thumb_key in db.session.execute(select(Photo.display_key, Photo.thumb_key)):
        known.update((display_key, thumb_key))
    orphans = [key for key in store.keys() if key not in known]  # noqa: SIM118  (a storage, not a dict)
    if not dry_run:
        delete_files(orphans, store)
    return orphans


def find_servable(key: str, moderator: bool) -> Photo | None:
    """The photo a storage key belongs to, if this visitor may see it (pending photos: moderators only)."""
    photo = db.session.scalar(select(Photo).where((Photo.display_key == key) | (Photo.thumb_key == key)))
    if photo is None:
        return None
    public = photo.sighting.state in (SightingState.APPROVED, SightingState.MERGED)
    return photo if (public or moderator) else None


__all__ = ["StoredPhoto", "delete_files", "find_servable", "stored_keys", "sweep_orphans", "write_photos"]
