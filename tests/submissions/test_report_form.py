"""The report form without JavaScript: plain fields and file inputs, CSRF, the server does the rest."""

import io

from sqlalchemy import func, select

from app.extensions import db
from app.models import Sighting
from tests.factories import STARI_GRAD
from tests.submissions.conftest import stored_files
from tests.submissions.images import phone_photo
from tests.web import post_report, where


def test_the_page_offers_every_step(client):
    html = client.get("/report?lang=en").get_data(as_text=True)

    for text in (
        "Where is the camera?",
        "Photos (up to 5, optional)",
        "What do you see?",
        "Send the report",
        "Stay safe:",
        "IPC6625-Z30",
        "Don't know",
    ):
        assert text in html
    assert 'accept="image/*"' in html and "capture=" in html
    assert 'rel="manifest"' in html


def test_a_report_sent_without_javascript_lands_on_a_receipt(client, photo_dir):
    response = post_report(
        client,
        {
            "lat": f"{STARI_GRAD[1]}",
            "lon": f"{STARI_GRAD[0]}".replace(".", ","),  # a decimal comma, as a Serbian keyboard types it
            "camera_type": "panning",
            "manufacturer": "Hikvision",
            "photos": [(io.BytesIO(phone_photo()), "IMG_0001.JPG"), (io.BytesIO(b""), "")],
        },
        content_type="multipart/form-data",
    )

    assert response.status_code == 303
    receipt = client.get(where(response)).get_data(as_text=True)
    sighting = db.session.scalar(select(Sighting))
    assert sighting.reference in receipt
    assert len(sighting.photos) == 1 and len(stored_files(photo_dir)) == 2


def test_without_a_csrf_token_nothing_is_stored(client, photo_dir):
    response = client.post("/report", data={"lat": "44.8", "lon": "20.4"})

    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Sighting)) == 0


def test_mistakes_come_back_on_the_form_with_what_was_typed(client):
    response = post_report(
        client,
        {
            "lat": "44.8176",
            "lon": "200",
            "note": "under the bridge",
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Longitude must be a number between -180 and 180." in html
    assert "under the bridge" in html
    assert db.session.scalar(select(func.count()).select_from(Sighting)) == 0


def test_the_page_is_installable(client):
    manifest = client.get("/manifest.webmanifest")
    worker = client.get("/sw.js")

    assert manifest.mimetype == "application/manifest+json"
    assert manifest.json["start_url"] == "/report"
    assert worker.status_code == 200 and "javascript" in worker.mimetype
    assert b"/report" in worker.data
