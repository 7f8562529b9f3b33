"""`flask backup create` and `flask backup restore`, for real: a scratch database with committed cameras, sightings,
photos and a moderation log is backed up, then restored into a fresh database whose photos live in an object store
(SeaweedFS); everything is there, photos by checksum, the log's chain verifies, and a wrong passphrase changes
nothing."""

import hashlib
import uuid

import flask_migrate
import pytest
from sqlalchemy import func, select

from app.database_roles import apply_roles
from app.extensions import db
from app.models import Camera, ModerationEvent, Photo, Sighting
from app.moderation.events import verify_chain
from app.moderation.services import approve
from app.photos import storage
from tests.cluster import postgis, scratch_app
from tests.factories import jpeg_bytes, make_moderator, make_photo, make_sighting

SOURCE, TARGET = "hiljade_test_backup_source", "hiljade_test_backup_target"
PASSPHRASE = "correct horse battery staple"


def _keys(app, directory) -> None:
    app.config["RATE_LIMIT_KEY_FILE"] = str(directory / "rate_limit_key")
    app.config["SNAPSHOT_KEY_FILE"] = str(directory / "snapshot_signing_key")
    app.config["TOTP_KEY_FILE"] = str(directory / "totp.key")


def _counts() -> dict:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Camera, Sighting, Photo, ModerationEvent)}  # fmt: skip


@pytest.fixture
def backup(tmp_path, monkeypatch):
    """A backup of a scratch site: two approved sightings with photos, one pending; returns what it held."""
    monkeypatch.setenv("BACKUP_PASSPHRASE", PASSPHRASE)
    postgis("recreatedb", SOURCE)
    with scratch_app(SOURCE) as app:
        app.config["PHOTO_STORAGE_DIR"] = str(tmp_path / "source-photos")
        _keys(app, tmp_path / "source-keys")
        (tmp_path / "source-keys").mkdir()
        (tmp_path / "source-keys" / "rate_limit_key").write_bytes(b"r" * 32)
        flask_migrate.upgrade()
        apply_roles(app)
        moderator = make_moderator()
        for n, colour in enumerate(((200, 30, 30), (30, 200, 30), (30, 30, 200))):
            sighting = make_sighting(20.45 + n * 0.01, 44.81)
            db.session.flush()
            make_photo(sighting, data=jpeg_bytes(color=colour))
            db.session.commit()
            if n < 2:
                approve(sighting.id, moderator)
        db.session.commit()
        held = {
            "counts": _counts(),
            "photos": {key: hashlib.sha256(storage.storage().open(key)).hexdigest()
                       for row in db.session.scalars(select(Photo)) for key in (row.display_key, row.thumb_key)},
        }  # fmt: skip
        result = app.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "backup")])
        assert result.exit_code == 0, result.output
    held["directory"] = tmp_path / "backup"
    return held


def test_a_backup_restores_into_a_fresh_database_and_object_store(backup, tmp_path, object_store, monkeypatch):
    assert backup["counts"]["ModerationEvent"] >= 2 and len(backup["photos"]) == 6
    dump = (backup["directory"] / "database.dump").read_bytes()
    assert PASSPHRASE.encode() not in (backup["directory"] / "keys.sealed").read_bytes()
    assert b"r" * 32 not in (backup["directory"] / "keys.sealed").read_bytes() and dump
    for name, value in object_store.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(storage, "_clients", {})
    postgis("recreatedb", TARGET)
    with scratch_app(TARGET) as app:
        prefix = f"restored-{uuid.uuid4().hex[:8]}"
        app.config["PHOTO_STORAGE_URL"] = f"s3://{object_store.bucket}/{prefix}"
        _keys(app, tmp_path / "target-keys")

        result = app.test_cli_runner().invoke(args=["backup", "restore", str(backup["directory"])])

        assert result.exit_code == 0, result.output
        assert _counts() == backup["counts"]
        restored = storage.storage()
        assert {key: hashlib.sha256(restored.open(key)).hexdigest() for key in backup["photos"]} == backup["photos"]
        assert object_store.keys(prefix + "/") == {f"{prefix}/{key}" for key in backup["photos"]}
        assert verify_chain() is None
        assert (tmp_path / "target-keys" / "rate_limit_key").read_bytes() == b"r" * 32
        assert (tmp_path / "target-keys" / "rate_limit_key").stat().st_mode & 0o777 == 0o600
        # The second-factor key ring made when the moderator enrolled: their TOTP still opens after the restore.
        assert (tmp_path / "target-keys" / "totp.key").read_bytes() == (
            tmp_path / "source-keys" / "totp.key"
        ).read_bytes()


def test_a_wrong_passphrase_or_a_used_database_restores_nothing(backup, tmp_path, monkeypatch):
    postgis("recreatedb", TARGET)
    with scratch_app(TARGET) as app:
        app.config["PHOTO_STORAGE_DIR"] = str(tmp_path / "target-photos")
        _keys(app, tmp_path / "target-keys")
        monkeypatch.setenv("BACKUP_PASSPHRASE", "not the passphrase at all")
        result = app.test_cli_runner().invoke(args=["backup", "restore", str(backup["directory"])])
        assert result.exit_code != 0 and "passphrase" in result.output
        tables = db.session.scalar(select(func.count()).select_from(db.text("pg_tables")).where(
            db.text("schemaname = 'public' AND tablename <> 'spatial_ref_sys'")))  # fmt: skip
        assert tables == 0 and not (tmp_path / "target-keys").exists()

        monkeypatch.setenv("BACKUP_PASSPHRASE", PASSPHRASE)
        flask_migrate.upgrade()  # now the database is in use
        result = app.test_cli_runner().invoke(args=["backup", "restore", str(backup["directory"])])
        assert result.exit_code != 0 and "not empty" in result.output
