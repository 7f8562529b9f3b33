"""Photos in an S3-compatible object store (a real SeaweedFS, started by scripts/seaweedfs.sh): written before the
row commits, never on disk, served from our own origin, swept, and migrated into from local disk with checksums."""

import hashlib
import socket

from sqlalchemy import func, select

from app.extensions import db
from app.models import Photo, Sighting
from app.moderation.services import approve
from app.photos import storage
from tests.factories import STARI_GRAD, make_moderator
from tests.photocorpus import photo
from tests.submissions.conftest import stored_files

HERE = {"lat": f"{STARI_GRAD[1]}", "lon": f"{STARI_GRAD[0]}"}


def test_a_reported_photo_lives_in_the_object_store_and_is_served_by_us(
    app, post_sighting, client, object_store, photos_in_object_store, photo_dir
):
    response = post_sighting(HERE, photos=[("IMG_0001.JPG", photo("jpeg-12mp-portrait").read_bytes())])
    assert response.status_code == 201, response.get_json()

    row = db.session.scalar(select(Photo))
    stored = object_store.keys(photos_in_object_store + "/")
    assert stored == {f"{photos_in_object_store}/{row.display_key}", f"{photos_in_object_store}/{row.thumb_key}"}
    assert stored_files(photo_dir) == []  # nothing on the app server's disk
    approve(row.sighting_id, make_moderator())  # public now
    served = client.get(f"/photos/{row.display_key}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    body = object_store.client().get_object(
        Bucket=object_store.bucket, Key=f"{photos_in_object_store}/{row.display_key}"
    )
    assert served.data == body["Body"].read()


def test_a_store_that_cannot_be_reached_stores_nothing(app, post_sighting, photos_in_object_store, monkeypatch):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setattr(storage, "_clients", {})

    response = post_sighting(HERE, photos=[("IMG_0001.JPG", photo("jpeg-orientation-1").read_bytes())])

    assert response.status_code == 503 and response.headers["Retry-After"]  # the phone's outbox sends it again
    assert response.get_json()["error"]["code"] == "photo_store_unavailable"
    assert db.session.scalar(select(func.count()).select_from(Sighting)) == 0


def test_the_sweep_deletes_objects_no_row_names(app, runner, post_sighting, object_store, photos_in_object_store):
    assert post_sighting(HERE, photos=[("a.jpg", photo("jpeg-orientation-1").read_bytes())]).status_code == 201
    store = storage.storage()
    orphan = store.put(b"left by a crash between the PUT and the commit", ".jpg")
    named = {key for row in db.session.scalars(select(Photo)) for key in (row.display_key, row.thumb_key)}

    result = runner.invoke(args=["photos", "sweep"])

    assert result.exit_code == 0 and "1 files with no row deleted" in result.output
    assert set(store.keys()) == named and orphan not in set(store.keys())


def test_photos_on_disk_migrate_into_the_store_with_checksums(app, runner, post_sighting, photo_dir, object_store,
                                                             monkeypatch):  # fmt: skip
    for name in ("jpeg-orientation-1", "jpeg-orientation-6"):
        assert post_sighting(HERE, photos=[(f"{name}.jpg", photo(name).read_bytes())]).status_code == 201
    on_disk = {path.relative_to(photo_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
               for path in stored_files(photo_dir)}  # fmt: skip
    assert len(on_disk) == 4
    for name, value in object_store.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(storage, "_clients", {})
    target = f"s3://{object_store.bucket}/migrated-{hashlib.sha256(str(photo_dir).encode()).hexdigest()[:8]}"

    result = runner.invoke(args=["photos", "migrate", "--to", target])

    assert result.exit_code == 0, result.output
    assert "4 files" in result.output and "checked by SHA-256" in result.output
    moved = storage.storage_at(target)
    assert {key: hashlib.sha256(moved.open(key)).hexdigest() for key in moved.keys()} == on_disk  # noqa: SIM118
    monkeypatch.setitem(app.config, "PHOTO_STORAGE_URL", target)  # the site now reads them from the store
    key = next(iter(on_disk))
    assert hashlib.sha256(storage.storage().open(key)).hexdigest() == on_disk[key]
