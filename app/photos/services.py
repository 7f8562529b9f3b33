"""Photo files: write the clean images durably, remove them again, sweep files no row names."""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Photo
from app.photos.renditions import Rendition
from app.photos.serving import is_public
from app.photos.storage import PhotoStorage, storage


@dataclass(frozen=True)
class StoredPhoto:
    display_key: str
    thumb_key: str
    photo: Rendition


class PhotoTransaction:
    """One database transaction and the photo files written for it: both are kept, or neither is.

    Files are written before the commit (a committed row never names a missing file); files the change makes
    obsolete are deleted only after it (a failure never leaves a row pointing at a deleted file).
    """

    def __init__(self, store: PhotoStorage) -> None:
        self.store = store
        self.written: list[str] = []
        self.obsolete: list[str] = []

    def put(self, data: bytes, suffix: str) -> str:
        key = self.store.put(data, suffix)
        self.written.append(key)
        return key

    def delete_after_commit(self, *keys: str) -> None:
        self.obsolete.extend(keys)


@contextmanager
def photo_transaction(store: PhotoStorage | None = None) -> Iterator[PhotoTransaction]:
    """Commit at the end of the block, then delete obsolete files; on any failure (an exception, a killed
    request) roll back and delete every file written in the block, then re-raise."""
    change = PhotoTransaction(store or storage())
    try:
        yield change
        db.session.commit()
    except BaseException:
        db.session.rollback()
        delete_files(change.written, change.store)
        raise
    delete_files(change.obsolete, change.store)


def write_photos(photos: list[Rendition], change: PhotoTransaction) -> list[StoredPhoto]:
    """Write every photo's display and thumbnail files as part of `change`."""
    stored = []
    for photo in photos:
        display_key = change.put(photo.display, photo.suffix)
        stored.append(StoredPhoto(display_key, change.put(photo.thumb, photo.suffix), photo))
    return stored


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


def migrate_photos(target: PhotoStorage, source: PhotoStorage | None = None) -> tuple[int, int]:
    """Copy every photo file a row names into another store, each read back and compared by SHA-256; returns
    (files, bytes). The source keeps its files; raises PhotoCopyFailed naming the first file that differs."""
    source = source or storage()
    files = size = 0
    for display_key, thumb_key in db.session.execute(select(Photo.display_key, Photo.thumb_key).order_by(Photo.id)):
        for key in (display_key, thumb_key):
            data = source.open(key)
            target.write(key, data)
            if hashlib.sha256(target.open(key)).digest() != hashlib.sha256(data).digest():
                raise PhotoCopyFailed(key)
            files += 1
            size += len(data)
    return files, size


class PhotoCopyFailed(Exception):
    """A copied photo did not read back as it was written."""


def find_servable(key: str, moderator: bool) -> Photo | None:
    """The photo a storage key belongs to, if this visitor may see it (pending photos: moderators only)."""
    photo = db.session.scalar(select(Photo).where((Photo.display_key == key) | (Photo.thumb_key == key)))
    if photo is None:
        return None
    return photo if (moderator or is_public(photo)) else None


__all__ = [
    "PhotoTransaction",
    "StoredPhoto",
    "delete_files",
    "find_servable",
    "migrate_photos",
    "photo_transaction",
    "sweep_orphans",
    "write_photos",
]
