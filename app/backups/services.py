"""Writing a backup and restoring it into a fresh installation.

A backup directory holds:
- `database.dump`: `pg_dump --format=custom` of the whole database, taken in one exported snapshot;
- `photos/` and `photos.sha256`: every photo file the dumped rows name (read from the configured store, local or
  S3), with its SHA-256;
- `keys.sealed`: the instance's keys (session secret, rate-limit key, snapshot signing key, second-factor key ring)
  sealed with a passphrase (app/backups/sealing.py);
- `MANIFEST.json`: the day, the counts of what it holds, the checksums of the other files.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.backups.sealing import seal, unseal
from app.config import INSTANCE_DIR
from app.database_roles import apply_roles, owner_engine
from app.extensions import db
from app.moderation.events import verify_chain
from app.photos.storage import LocalStorage, storage

COUNTED = ("municipalities", "cameras", "sightings", "photos", "moderation_events", "users")
_COUNTS = text(" UNION ALL ".join(f"SELECT '{name}', count(*) FROM {name}" for name in COUNTED))  # noqa: S608
_PHOTO_KEYS = text("SELECT display_key, thumb_key FROM photos ORDER BY id")


class BackupError(Exception):
    """The backup cannot be written or restored as asked; the message says why."""


@dataclass
class Report:
    counts: dict[str, int]
    photos: int
    keys: list[str]
    missing_photos: list[str] = field(default_factory=list)


def key_files() -> dict[str, Path]:
    """The instance's keys, by the name they have in a backup."""
    config = current_app.config
    files = {
        "rate_limit_key": Path(config["RATE_LIMIT_KEY_FILE"]),
        "snapshot_signing_key": Path(config["SNAPSHOT_KEY_FILE"]),
        "totp.key": Path(config["TOTP_KEY_FILE"]),
    }
    if not os.environ.get("SECRET_KEY"):  # a SECRET_KEY from the environment is the operator's to keep
        files["secret_key"] = INSTANCE_DIR / "secret_key"
    return files


def _libpq_url() -> str:
    """The owner's database URL as pg_dump and pg_restore read it."""
    url = make_url(current_app.config["DATABASE_OWNER_URL"] or current_app.config["SQLALCHEMY_DATABASE_URI"])
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    """PostgreSQL's client programs (Debian's postgresql-client-common picks the cluster's version)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is missing (apt-get install postgresql-client)")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def create_backup(directory: Path, passphrase: str) -> Report:
    """Write a backup into `directory` (new or empty)."""
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty")
    directory.mkdir(parents=True, exist_ok=True)
    engine = owner_engine(current_app)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, connection.begin():
            # One snapshot for the dump and for the list of photos, so the files match the rows.
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            subprocess.run(  # noqa: S603  (our own arguments; the URL is the configured one)
                [_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}",
                 "--file", str(directory / "database.dump"), "--dbname", _libpq_url()],
                check=True, capture_output=True,
            )  # fmt: skip
            counts = {name: int(count) for name, count in connection.execute(_COUNTS)}
            keys = [key for row in connection.execute(_PHOTO_KEYS) for key in row]
    except subprocess.CalledProcessError as error:
        raise BackupError(f"pg_dump failed: {error.stderr.decode(errors='replace').strip()}") from error
    finally:
        engine.dispose()
    source, copy = storage(), LocalStorage(directory / "photos")
    sums, missing = [], []
    for key in keys:
        try:
            data = source.open(key)
        except KeyError:
            missing.append(key)  # deleted (retention) after the snapshot was taken
            continue
        copy.write(key, data)
        sums.append(f"{hashlib.sha256(data).hexdigest()}  {key}")
    (directory / "photos.sha256").write_text("\n".join(sums) + "\n")
    present = {name: path.read_bytes() for name, path in key_files().items() if path.exists()}
    sealed = directory / "keys.sealed"
    sealed.write_bytes(seal(present, passphrase))
    manifest = {
        "format": 1,
        "day": datetime.now(UTC).date().isoformat(),
        "counts": counts,
        "photos": len(sums),
        "missing_photos": missing,
        "keys": sorted(present),
        "sha256": {name: _sha256(directory / name) for name in ("database.dump", "photos.sha256", "keys.sealed")},
    }
    (directory / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return Report(counts, len(sums), sorted(present), missing)


def _check(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / "MANIFEST.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{directory} holds no readable MANIFEST.json") from error
    for name, expected in manifest["sha256"].items():
        if _sha256(directory / name) != expected:
            raise BackupError(f"{name} does not match its checksum in MANIFEST.json")
    return manifest


def restore_backup(directory: Path, passphrase: str, replace_keys: bool = False) -> Report:
    """Restore a backup into this installation: an empty database, its photo store, its key files."""
    manifest = _check(directory)
    keys = unseal((directory / "keys.sealed").read_bytes(), passphrase)  # before anything is changed
    targets = key_files()
    clashes = [name for name, data in keys.items()
               if name in targets and targets[name].exists() and targets[name].read_bytes() != data]  # fmt: skip
    if clashes and not replace_keys:
        raise BackupError(f"this installation has other keys ({', '.join(clashes)}): --replace-keys replaces them")
    tables = db.session.scalar(
        text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'")
    )
    db.session.rollback()
    if tables:
        raise BackupError("the database is not empty: restore into a fresh one (README, 'Backups')")
    dump = str(directory / "database.dump")
    # The fresh installation made its extensions (PostGIS) itself, as their owner; the dump's own CREATE and
    # COMMENT of them, and PostGIS's own table of reference systems, would fail for the schema's owner, so they
    # are left out of the restore's table of contents.
    listing = subprocess.run([_tool("pg_restore"), "--list", dump], capture_output=True, text=True, check=True)  # noqa: S603
    kept = [line for line in listing.stdout.splitlines() if " EXTENSION " not in line and "spatial_ref_sys" not in line]
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as handle:
        handle.write("\n".join(kept) + "\n")
    contents = Path(handle.name)
    result = subprocess.run(  # noqa: S603  (our own arguments; the URL is the configured one)
        [_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
         f"--use-list={contents}", "--dbname", _libpq_url(), dump],
        capture_output=True,
    )  # fmt: skip
    contents.unlink()
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.decode(errors='replace').strip()}")
    apply_roles(current_app)  # the site's role gets its grants again (they are not in the dump)
    target = storage()
    copies = LocalStorage(directory / "photos")
    for line in (directory / "photos.sha256").read_text().splitlines():
        if not line.strip():
            continue
        expected, key = line.split("  ", 1)
        data = copies.open(key)
        if hashlib.sha256(data).hexdigest() != expected:
            raise BackupError(f"photo {key} does not match its checksum")
        target.write(key, data)
    for name, data in keys.items():
        if name in targets:
            targets[name].parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(targets[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
    counts = {name: int(count) for name, count in db.session.execute(_COUNTS)}
    if counts != manifest["counts"]:
        raise BackupError(f"restored counts {counts} differ from the backup's {manifest['counts']}")
    if (broken := verify_chain()) is not None:
        raise BackupError(f"the restored moderation log breaks at event {broken}")
    db.session.rollback()
    return Report(counts, manifest["photos"], sorted(keys), manifest["missing_photos"])
