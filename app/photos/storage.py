"""Where photo files live, behind a small interface: a local directory by default, or an S3-compatible object
store (PHOTO_STORAGE_URL=s3://bucket/prefix; boto3 reads the standard AWS_* endpoint and credential settings).

Keys are random and carry no information about the upload. Writes are durable before they return (fsync of the
file and its directory; on S3 the store's acknowledgement of a PUT whose MD5 it checked), so a database row that
names a key never points at a file that a crash lost. Browsers never fetch from the store: photos are served
through our own routes (app/photos/serving.py).
"""

import base64
import hashlib
import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from app.errors import PhotoStoreUnavailable


class PhotoStorage(Protocol):
    def put(self, data: bytes, suffix: str) -> str:
        """Store bytes durably under a new random key and return the key."""

    def write(self, key: str, data: bytes) -> None:
        """Store bytes durably under a key another store gave them (`flask photos migrate`)."""

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
        self.write(key, data)
        return key

    def write(self, key: str, data: bytes) -> None:
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


class S3Storage:
    """Photos as objects below a prefix of one bucket of an S3-compatible store."""

    def __init__(self, bucket: str, prefix: str, client) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client

    def put(self, data: bytes, suffix: str) -> str:
        key = new_key(suffix)
        self.write(key, data)
        return key

    def write(self, key: str, data: bytes) -> None:
        digest = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
        # The store refuses the body if it does not match the MD5; success means the object is written.
        with _unavailable_as_503():
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data, ContentMD5=digest)

    def open(self, key: str) -> bytes:
        with _unavailable_as_503():
            try:
                return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"].read()
            except self.client.exceptions.NoSuchKey as error:
                raise KeyError(key) from error

    def delete(self, key: str) -> None:
        with _unavailable_as_503():
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)

    def keys(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix) :]

    def remove_stale_temporaries(self, older_than_seconds: float) -> int:
        """A PUT is all or nothing: an object store holds no half-written photo."""
        return 0


@contextmanager
def _unavailable_as_503() -> Iterator[None]:
    """A store that does not answer, or answers with its own failure, is a 503 with Retry-After for the caller
    (the report form keeps the report and sends it again); a refusal (4xx other than a missing key) stays an error."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as error:
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500) >= 500:
            raise PhotoStoreUnavailable(_("The photo store is not reachable. Try again in a minute.")) from error
        raise
    except BotoCoreError as error:
        raise PhotoStoreUnavailable(_("The photo store is not reachable. Try again in a minute.")) from error


def storage_at(url: str) -> PhotoStorage:
    """The storage an address names: s3://bucket/prefix, or a local directory (a path or file:// URL)."""
    parts = urlsplit(url)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise ValueError(f"{url}: an s3:// address names a bucket (s3://bucket/prefix)")
        return S3Storage(parts.netloc, parts.path, _s3_client())
    if parts.scheme in ("", "file"):
        return LocalStorage(parts.path if parts.scheme == "file" else url)
    raise ValueError(f"{url}: photo storage is s3://bucket/prefix or a local directory")


_clients: dict[int, object] = {}


def _s3_client():
    """One boto3 client per process (they are thread-safe); endpoint and keys from the standard AWS_* settings."""
    import boto3
    from botocore.config import Config as BotoConfig

    pid = os.getpid()  # a client made before gunicorn forks must not be shared across workers
    if pid not in _clients:
        _clients[pid] = boto3.client(
            "s3", config=BotoConfig(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=5, read_timeout=30)
        )
    return _clients[pid]


def storage() -> PhotoStorage:
    """The configured storage: PHOTO_STORAGE_URL when set, else the directory PHOTO_STORAGE_DIR."""
    url = current_app.config.get("PHOTO_STORAGE_URL")
    return storage_at(url) if url else LocalStorage(current_app.config["PHOTO_STORAGE_DIR"])
