"""Reading multipart bodies: full-size phone photos fit, an over-size photo never costs the typed fields."""

import io
import uuid

from sqlalchemy import func, select

from app.extensions import db
from app.models import Photo, Sighting
from tests.factories import STARI_GRAD
from tests.photocorpus import photo
from tests.submissions.conftest import stored_files
from tests.web import post_report

HERE = {"lat": f"{STARI_GRAD[1]}", "lon": f"{STARI_GRAD[0]}"}


def sightings() -> int:
    return db.session.scalar(select(func.count()).select_from(Sighting))


def test_a_full_size_phone_photo_is_accepted_through_the_api(post_sighting, photo_dir):
    body = photo("jpeg-12mp-portrait").read_bytes()
    assert len(body) > 4_000_000

    response = post_sighting(HERE, photos=[("IMG_0001.JPG", body)])

    assert response.status_code == 201, response.get_json()
    stored = db.session.scalars(select(Photo)).all()
    assert len(stored) == 1 and stored[0].height > stored[0].width  # orientation 6: portrait
    assert len(stored_files(photo_dir)) == 2


def test_an_over_size_photo_is_refused_by_number_and_costs_no_field(client, app, monkeypatch, photo_dir):
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 1024 * 1024)
    small = photo("jpeg-orientation-1").read_bytes()
    big = photo("jpeg-12mp-portrait").read_bytes()

    response = post_report(
        client,
        {
            **HERE,
            "note": "Dome on the corner of Knez Mihailova, above the pharmacy",
            "photos": [(io.BytesIO(small), "a.jpg"), (io.BytesIO(big), "IMG_0001.JPG")],
            "model": "IPC6625-Z30",  # a field after the photos: the parser must still read it
        },
        action="/report?lang=en",
        content_type="multipart/form-data",
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Photo 2 is larger than 1 MB." in html
    assert "Dome on the corner of Knez Mihailova, above the pharmacy" in html
    assert 'value="IPC6625-Z30"' in html
    assert sightings() == 0 and stored_files(photo_dir) == []


def test_the_api_names_the_photo_that_is_too_large(post_sighting, app, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", 1024 * 1024)

    response = post_sighting(HERE, photos=[("IMG_0001.JPG", photo("jpeg-12mp-portrait").read_bytes())])

    error = response.get_json()["error"]
    assert response.status_code == 413 and error["code"] == "photo_too_large"
    assert error["details"]["photo"] == 1 and "1 MB" in error["message"]


def test_a_huge_note_is_refused_as_a_field_with_the_rest_kept(client):

    response = post_report(
        client,
        {
            **HERE,
            "model": "DH-IPC-HFW",
            "note": "x" * (10 * 1024 * 1024),
        },
        action="/report?lang=en",
        content_type="multipart/form-data",
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This is far too long." in html and 'value="DH-IPC-HFW"' in html
    assert sightings() == 0


def test_a_body_over_the_whole_limit_says_that_nothing_was_read(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024)

    response = client.post(
        "/report",
        data={**HERE, "photos": [(io.BytesIO(photo("jpeg-12mp-portrait").read_bytes()), "IMG_0001.JPG")]},
        content_type="multipart/form-data",
        headers={"Accept-Language": "sr-Latn"},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "2 MB" in html and "nijedno polje" in html  # in Serbian: "no field ... could be read"


def test_an_overflowing_photo_is_not_held_in_memory():
    from app.photos.upload import CappedUpload

    upload = CappedUpload(limit=10)
    for _ in range(100):
        upload.write(b"0123456789ab")

    assert upload.overflowed and upload.getbuffer().nbytes == 0 and upload.received == 1200


def test_replaying_with_a_uuid_of_another_version_is_refused(post_sighting):
    response = post_sighting(HERE, key=uuid.uuid1())

    assert response.status_code == 400
    assert "random" in response.get_json()["error"]["message"]
