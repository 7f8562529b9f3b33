"""Withdrawing a pending report with the secret its receipt shows: nothing is left but a content-free log event."""

import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ModerationEvent, Photo, Sighting, SightingCapability
from app.moderation import services as moderation
from tests.dump import database_text
from tests.factories import STARI_GRAD, make_user
from tests.submissions.conftest import stored_files
from tests.submissions.images import phone_photo, plain_jpeg
from tests.web import post_form, post_report, where

NOTE = "Kod pekare Zlatni klas, okrenuta ka ulazu."
REPORT = {
    "lat": "44.8179123",
    "lon": "20.4571234",
    "capabilities": ["facial_recognition"],
    "note": NOTE,
    "model": "IPC6625-Z30",
}


def _send(post_sighting):
    response = post_sighting(REPORT, photos=[("a.jpg", phone_photo()), ("b.jpg", plain_jpeg())])
    assert response.status_code == 201, response.json
    return response.json


def _withdraw(client, reference: str, secret: str):
    return post_form(client, "/report?lang=en", f"/report/thanks/{reference}/withdraw?lang=en", {"secret": secret})


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_api_answers_a_withdrawal_secret_and_stores_only_a_keyed_hash_of_it(post_sighting):
    receipt = _send(post_sighting)

    secret = receipt["withdrawal_secret"]
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){5}", secret)
    sighting = db.session.get(Sighting, receipt["id"])
    assert sighting.withdrawal_hmac is not None and len(sighting.withdrawal_hmac) == 32
    dump = database_text()
    assert secret not in dump and secret.replace("-", "") not in dump


def test_a_replay_gets_the_same_secret(post_sighting):
    import uuid

    key = uuid.uuid4()
    first = post_sighting(REPORT, key=key).json
    again = post_sighting(REPORT, key=key).json

    assert first == again and first["withdrawal_secret"]


def test_a_wrong_secret_withdraws_nothing(client, post_sighting, photo_dir):
    receipt = _send(post_sighting)
    files = stored_files(photo_dir)
    events = _count(ModerationEvent)
    secret = receipt["withdrawal_secret"]
    wrong = ("A" if secret[0] != "A" else "B") + secret[1:]

    for attempt in (wrong, "", receipt["reference"], "' OR 1=1 --", secret[:-1]):
        response = _withdraw(client, receipt["reference"], attempt)
        assert response.status_code == 403, attempt
        assert "This is not the withdrawal secret of this report" in response.get_data(as_text=True)

    db.session.expire_all()
    assert db.session.get(Sighting, receipt["id"]) is not None
    assert _count(Photo) == 2 and stored_files(photo_dir) == files
    assert _count(ModerationEvent) == events


def test_another_reports_secret_withdraws_nothing(client, post_sighting):
    mine, theirs = _send(post_sighting), _send(post_sighting)

    response = _withdraw(client, mine["reference"], theirs["withdrawal_secret"])

    assert response.status_code == 403
    assert _count(Sighting) == 2


@pytest.mark.parametrize("typed", [str.lower, lambda s: s.replace("-", " "), lambda s: s.replace("-", "")])
def test_the_right_secret_leaves_no_row_no_file_and_a_log_event_without_content(
    client, post_sighting, photo_dir, typed
):
    receipt = _send(post_sighting)
    assert len(stored_files(photo_dir)) == 4

    response = _withdraw(client, receipt["reference"], typed(receipt["withdrawal_secret"]))

    assert response.status_code == 200
    assert "Your report was withdrawn" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _count(Sighting) == _count(Photo) == _count(SightingCapability) == 0
    assert stored_files(photo_dir) == []
    event = db.session.scalar(select(ModerationEvent).order_by(ModerationEvent.id.desc()))
    assert (event.action, event.target_type, event.target_id) == ("withdraw", "sighting", receipt["id"])
    assert event.actor_id is None and event.reason is None and event.details == {}
    assert event.before_hash is None and event.after_hash is None
    dump = database_text()
    for trace in (NOTE, "44.8179123", "20.4571234", "IPC6625-Z30", receipt["reference"]):
        assert trace not in dump
    assert client.get(f"/report/thanks/{receipt['reference']}").status_code == 404


def test_a_checked_report_can_no_longer_be_withdrawn(client, post_sighting):
    receipt = _send(post_sighting)
    moderation.reject(receipt["id"], "spam", make_user())

    response = _withdraw(client, receipt["reference"], receipt["withdrawal_secret"])

    assert response.status_code == 409
    assert db.session.get(Sighting, receipt["id"]).withdrawal_hmac is None
    assert "Withdraw this report" not in client.get(f"/report/thanks/{receipt['reference']}?lang=en").get_data(
        as_text=True
    )


def test_without_javascript_the_receipt_shows_the_secret_once_and_it_withdraws(client, photo_dir):
    response = post_report(
        client,
        {"lat": f"{STARI_GRAD[1]}", "lon": f"{STARI_GRAD[0]}", "photos": [(io.BytesIO(phone_photo()), "x.jpg")]},
        content_type="multipart/form-data",
    )
    receipt_url = where(response)
    first = client.get(receipt_url + "?lang=en").get_data(as_text=True)
    secret = re.search(r'id="withdrawal-secret-shown" translate="no">([A-Z2-7-]+)<', first).group(1)
    again = client.get(receipt_url + "?lang=en").get_data(as_text=True)

    assert secret not in again  # shown once, only on the receipt
    reference = db.session.scalar(select(Sighting.reference))
    assert _withdraw(client, reference, secret).status_code == 200
    assert _count(Sighting) == 0 and stored_files(photo_dir) == []


def test_the_withdrawal_is_offered_in_every_language(client, post_sighting):
    receipt = _send(post_sighting)

    for language, words in (("sr-Latn", "Povuci"), ("sr-Cyrl", "Повуци"), ("sq", "Tërhiq")):
        html = client.get(f"/report/thanks/{receipt['reference']}?lang={language}").get_data(as_text=True)
        assert words in html, language
