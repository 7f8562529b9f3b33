import io
import uuid

from app.extensions import db
from app.models import Sighting
from app.photos import services
from app.photos.pipeline import clean_photo
from app.photos.storage import LocalStorage
from app.vocabulary import SightingState
from tests.factories import STARI_GRAD, make_camera
from tests.submissions.images import plain_jpeg


class DiskFullAfter(LocalStorage):
    """A local directory that runs out of space after `allowed` writes."""

    def __init__(self, root, allowed: int) -> None:
        super().__init__(root)
        self.allowed = allowed

    def put(self, data: bytes, suffix: str) -> str:
        if self.allowed == 0:
            raise OSError(28, "No space left on device")
        self.allowed -= 1
        return super().put(data, suffix)


def test_a_failed_write_removes_the_files_already_written(app, tmp_path):
    store = DiskFullAfter(tmp_path, allowed=3)
    photos = [clean_photo(plain_jpeg()) for _ in range(3)]

    try:
        with services.photo_transaction(store) as change:
            services.write_photos(photos, change)
    except OSError:
        pass
    else:
        raise AssertionError("the full disk was not noticed")
    assert list(store.keys()) == []


def submit_one(client, photo_dir):
    response = client.post(
        "/api/v1/sightings",
        data={
            "lat": str(STARI_GRAD[1]),
            "lon": str(STARI_GRAD[0]),
            "photos": [(io.BytesIO(plain_jpeg()), "a.jpg")],
        },
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201
    return db.session.get(Sighting, response.json["id"])


def test_sweep_removes_only_files_no_row_names(app, client, runner, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_STORAGE_DIR", str(tmp_path))
    sighting = submit_one(client, tmp_path)
    kept = {sighting.photos[0].display_key, sighting.photos[0].thumb_key}
    store = LocalStorage(tmp_path)
    orphan = store.put(b"left by a crash", ".jpg")

    dry = runner.invoke(args=["photos", "sweep", "--dry-run"])
    assert "1 files" in dry.output and orphan in set(store.keys())
    result = runner.invoke(args=["photos", "sweep"])

    assert result.exit_code == 0 and "1 files with no row deleted" in result.output
    assert set(store.keys()) == kept


def test_photos_are_served_from_our_origin_with_a_strict_type(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_STORAGE_DIR", str(tmp_path))
    sighting = submit_one(client, tmp_path)
    key = sighting.photos[0].display_key

    assert client.get(f"/photos/{key}").status_code == 404  # pending: not public yet
    assert client.get("/photos/").status_code == 404  # no listing
    assert client.get(f"/photos/{key.split('/')[0]}/").status_code == 404
    assert client.get("/photos/../instance/secret_key").status_code == 404

    sighting.camera_id = make_camera().id
    sighting.state = SightingState.APPROVED
    db.session.flush()
    response = client.get(f"/photos/{key}")

    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data[:3] == b"\xff\xd8\xff"
