"""Where photo files live, behind a small interface (local directory by default).

Keys are random and carry no information about the upload. Writes are durable (fsync of the file and its
directory) before they return, so a database row that names a key never points at a file that a crash lost.
"""

import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from flask import current_app


class PhotoStorage(Protocol):
    def put(self, data: bytes, suffix: str) -> str:
        """Store bytes durably under a new random key and return the key."""

    def open(self, key: str) -> bytes:
        """The stored bytes; raises KeyError when there is no such key."""

    def delete(self, key: str) -> None:
        """Remove a key; removing a missing key is not an error."""

    def keys(self) -> Iterator[str]:
        """Every stored key (for sweeping files that no row names)."""

    def remove_stale_temporaries(self, older_than_seconds: float) -> int:
        """Remove half-written files a killed process left behind; returns how many."""


def _to_the_day(path: str | Path) -> None:
    """Set access and modification times to midnight UTC: a file's times must not tell when a report was sent.

    The inode change time (ctime) cannot be set from user space; see README ("Reporting a camera").
    """
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    os.utime(path, (midnight, midnight))


TMP_PREFIX = ".tmp-"


def new_key(suffix: str) -> str:
    # 128 random bits, fanned out over 256 directories.
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}{suffix}"


class LocalStorage:
    """Photos as files below one directory."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise KeyError(key)
        return path

    def put(self, data: bytes, suffix: str) -> str:
        key = new_key(suffix)
        path = self._path(key)
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Creating a fan-out folder changes the root's times too.
            self._day_only(path.parent.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            _to_the_day(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _to_the_day(path.parent)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return key

    def open(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError) as error:
            raise KeyError(key) from error

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        # An unlink stamps its folder with the exact time; a folder's times must say the day only.
        self._day_only(path.parent)

    def _day_only(self, folder: Path) -> None:
        if folder.is_dir():
            _to_the_day(folder)

    def keys(self) -> Iterator[str]:
        if not self.root.exists():
            return
        for path in self.root.rglob("*"):
            if path.is_file() and not path.name.startswith(TMP_PREFIX):
                yield path.relative_to(self.root).as_posix()

    def remove_stale_temporaries(self, older_than_seconds: float) -> int:
        """Temporary files (written before their atomic rename) that a killed worker left behind.

        Only ones older than `older_than_seconds`: a younger one may be a write in progress in another process.
        Age is read from the inode change time, which no utime() call can set back to midnight.
        """
        if not self.root.exists():
            return 0
        cutoff = time.time() - older_than_seconds
        removed = 0
        for path in self.root.rglob(f"{TMP_PREFIX}*"):
            try:
                if path.is_file() and path.lstat().st_ctime < cutoff:
                    path.unlink()
                    self._day_only(path.parent)
                    removed += 1
            except FileNotFoundError:
                continue
        return removed


def storage() -> PhotoStorage:
    """The configured storage (PHOTO_STORAGE_DIR, default instance/photos)."""
    return LocalStorage(current_app.config["PHOTO_STORAGE_DIR"])
