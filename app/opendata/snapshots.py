"""Dated, signed snapshots of the open data that a mirror can verify with a public key.

A snapshot is a directory named by its day holding cameras.geojson, cameras.csv, municipalities.csv and
changelog.json, moderation_log.json (the ids and hashes of the moderation events since the previous snapshot, see
log_anchor), a manifest SHA256SUMS (the format `sha256sum -c` reads) and SHA256SUMS.sig, the base64 Ed25519
signature of the manifest. The signing key is generated once into the instance directory and never leaves it.
"""

import base64
import csv
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from app.models.columns import today
from app.opendata import exports, log_anchor

MANIFEST = "SHA256SUMS"
SIGNATURE = "SHA256SUMS.sig"
CHANGELOG = "changelog.json"
DATA_FILES = {
    "cameras.geojson": exports.cameras_geojson,
    "cameras.csv": exports.cameras_csv,
    "municipalities.csv": exports.municipalities_csv,
}
SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}(\.\d+)?$")
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class SnapshotError(Exception):
    """A snapshot cannot be written or does not verify."""


def snapshot_dir() -> Path:
    return Path(current_app.config["SNAPSHOT_DIR"])


def _key_path() -> Path:
    return Path(current_app.config["SNAPSHOT_KEY_FILE"])


def signing_key() -> SigningKey:
    """The Ed25519 signing key, generated on first use into the instance directory (mode 600)."""
    path = _key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(bytes(SigningKey.generate())).decode() + "\n")
    return SigningKey(base64.b64decode(path.read_text().strip()))


def public_key() -> str | None:
    """The base64 Ed25519 public key that verifies our snapshots, or None before the first snapshot."""
    if not _key_path().exists():
        return None
    return base64.b64encode(bytes(signing_key().verify_key)).decode()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _snapshots(base: Path) -> list[Path]:
    if not base.is_dir():
        return []
    return sorted((p for p in base.iterdir() if p.is_dir() and SNAPSHOT_NAME.match(p.name)), key=_sort_key)


def _sort_key(path: Path) -> tuple[str, int]:
    day, _, serial = path.name.partition(".")
    return day, int(serial or 0)


def _camera_table(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def changelog(previous: Path | None, current_csv: Path) -> dict[str, Any]:
    """Cameras added, removed (gone or marked removed) and changed since the previous snapshot."""
    now = _camera_table(current_csv)
    before = _camera_table(previous / "cameras.csv") if previous else {}
    added = [i for i in now if i not in before]
    removed = [i for i in before if i not in now]
    removed += [i for i in now if i in before and now[i]["status"] == "removed" and before[i]["status"] != "removed"]
    changed = [i for i in now if i in before and now[i] != before[i] and i not in removed]
    return {
        "previous": previous.name if previous else None,
        "added": sorted(map(int, added)),
        "removed": sorted(map(int, removed)),
        "changed": sorted(map(int, changed)),
    }


def create_snapshot(day: date | None = None) -> Path:
    """Write and sign a new snapshot directory; returns its path. Written aside, then renamed into place."""
    base = snapshot_dir()
    base.mkdir(parents=True, exist_ok=True)
    existing = _snapshots(base)
    previous = existing[-1] if existing else None
    day = day or today()  # UTC, like every day the site records
    name = day.isoformat()
    serial = 1
    while (base / name).exists():
        serial += 1
        name = f"{day.isoformat()}.{serial}"
    partial = base / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        for filename, chunks in DATA_FILES.items():
            with (partial / filename).open("w", encoding="utf-8", newline="") as handle:
                for chunk in chunks():
                    handle.write(chunk)
        changes = changelog(previous, partial / "cameras.csv")
        (partial / CHANGELOG).write_text(json.dumps(changes, indent=1) + "\n", encoding="utf-8")
        log_anchor.write_section(partial, log_anchor.read_section(previous) if previous else None)
        listed = sorted([*DATA_FILES, CHANGELOG, log_anchor.LOG_FILE])
        manifest = "".join(f"{_sha256(partial / f)}  {f}\n" for f in listed).encode()
        (partial / MANIFEST).write_bytes(manifest)
        signature = signing_key().sign(manifest).signature
        (partial / SIGNATURE).write_text(base64.b64encode(signature).decode() + "\n")
        partial.rename(base / name)
    except log_anchor.MalformedLog as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise SnapshotError(f"{previous.name}: {error}") from error
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return base / name


def _read_manifest(text: str) -> dict[str, str]:
    entries = {}
    for line in text.splitlines():
        digest, _, filename = line.partition("  ")
        if not re.fullmatch(r"[0-9a-f]{64}", digest) or not FILE_NAME.match(filename) or filename in entries:
            raise SnapshotError(f"{MANIFEST}: malformed line {line[:100]!r}")
        entries[filename] = digest
    return entries


def verify_snapshot(directory: str | Path, key: str | None = None) -> list[str]:
    """Problems found in a snapshot directory (empty when the signature and every checksum hold)."""
    directory = Path(directory)
    key = key or public_key()
    if not key:
        return ["no public key: pass one (it is shown on the /data page)"]
    try:
        verify_key = VerifyKey(base64.b64decode(key, validate=True))
    except (ValueError, TypeError) as error:
        return [f"the public key is not a base64 Ed25519 key ({error})"]
    try:
        manifest = (directory / MANIFEST).read_bytes()
        signature = base64.b64decode((directory / SIGNATURE).read_text().strip(), validate=True)
        verify_key.verify(manifest, signature)
    except OSError as error:
        return [f"missing file: {error.filename}"]
    except (ValueError, BadSignatureError):
        return [f"{SIGNATURE} does not match {MANIFEST}: the manifest was altered or signed by another key"]
    try:
        entries = _read_manifest(manifest.decode("utf-8"))
    except (UnicodeDecodeError, SnapshotError) as error:
        return [str(error)]
    problems = []
    for filename, digest in entries.items():
        path = directory / filename
        if not path.is_file():
            problems.append(f"{filename}: missing")
        elif _sha256(path) != digest:
            problems.append(f"{filename}: checksum does not match (the file was altered)")
    for path in sorted(directory.iterdir()):
        if path.name not in entries and path.name not in (MANIFEST, SIGNATURE):
            problems.append(f"{path.name}: not listed in {MANIFEST}")
    return problems


def snapshots_in(directory: str | Path) -> list[Path]:
    """The snapshots a path holds, oldest first: itself if it is one, else the snapshot directories inside it."""
    directory = Path(directory)
    return [directory] if (directory / MANIFEST).exists() else _snapshots(directory)


def verify_snapshots(directory: str | Path, key: str | None = None, against_database: bool = False) -> list[str]:
    """Problems in one snapshot or a directory of them: signatures, checksums and the continuity of the moderation
    log from one snapshot to the next; with `against_database`, also this database's log against the published one."""
    found = snapshots_in(directory)
    if not found:
        return [f"{directory}: no snapshot (a directory with {MANIFEST}, or directories named by day)"]
    problems = []
    for snapshot in found:
        problems.extend(f"{snapshot.name}: {problem}" for problem in verify_snapshot(snapshot, key))
    problems.extend(log_anchor.continuity_problems(found))
    if against_database:
        problems.extend(log_anchor.database_problems(found))
    return problems


def published_log_head() -> log_anchor.Head | None:
    """The moderation log's head in the newest published snapshot that carries it."""
    return log_anchor.published_head(_snapshots(snapshot_dir()))


@dataclass
class SnapshotFile:
    name: str
    size: int
    sha256: str


@dataclass
class Snapshot:
    name: str
    files: list[SnapshotFile]


def _describe(path: Path) -> Snapshot | None:
    """A snapshot with each file's size and checksum from its manifest; None if the manifest is unreadable."""
    try:
        entries = _read_manifest((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SnapshotError):
        return None
    files = [
        SnapshotFile(name, (path / name).stat().st_size, digest)
        for name, digest in entries.items()
        if (path / name).is_file()
    ]
    for extra in (MANIFEST, SIGNATURE):
        files.append(SnapshotFile(extra, (path / extra).stat().st_size, _sha256(path / extra)))
    return Snapshot(path.name, files)


def list_snapshots() -> list[Snapshot]:
    """Published snapshots, newest first, with each file's size and checksum from the manifest."""
    described = (_describe(path) for path in reversed(_snapshots(snapshot_dir())))
    return [snapshot for snapshot in described if snapshot is not None]


def latest_snapshot() -> Snapshot | None:
    """The newest published snapshot whose manifest reads, or None."""
    for path in reversed(_snapshots(snapshot_dir())):
        if (snapshot := _describe(path)) is not None:
            return snapshot
    return None


def snapshot_file(name: str, filename: str) -> Path | None:
    """The path of a published snapshot file, or None (names are checked, never joined blindly)."""
    if not SNAPSHOT_NAME.match(name) or not FILE_NAME.match(filename):
        return None
    path = snapshot_dir() / name / filename
    return path if path.is_file() else None
