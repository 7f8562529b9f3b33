"""Reporters leave no address, user agent or time of day behind: not in the database, not in logs, not in the
rate limiter."""

import io
import logging
import re
import urllib.request
import uuid

from sqlalchemy import text

from app.extensions import db, limiter
from tests.factories import STARI_GRAD
from tests.submissions.images import phone_photo

ADDRESS = "203.0.113.77"
AGENT = "Mozilla/5.0 (Linux; Android 14; UniqueAgent-4711)"


def all_rows_as_text() -> str:
    tables = db.session.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).all()
    dump = []
    for table in tables:
        dump += db.session.scalars(text(f'SELECT t::text FROM "{table}" t')).all()  # noqa: S608  (catalog names)
    return "\n".join(dump)


def test_nothing_about_the_reporter_is_kept(app, client, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    environ = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT, "HTTP_X_FORWARDED_FOR": ADDRESS}
    for note in ("first", "second"):
        response = client.post(
            "/api/v1/sightings",
            data={
                "lat": str(STARI_GRAD[1]),
                "lon": str(STARI_GRAD[0]),
                "note": note,
                "photos": [(io.BytesIO(phone_photo()), "a.jpg")],
            },
            headers={"Idempotency-Key": str(uuid.uuid4())},
            environ_base=environ,
        )
        assert response.status_code == 201
    # A refused request and a rate-limit breach log too; neither may name the address.
    client.post("/api/v1/sightings", data={}, headers={"Idempotency-Key": "x"}, environ_base=environ)
    monkeypatch.setitem(app.config, "SUBMISSION_RATE_LIMIT", "1 per minute")
    for _ in range(2):
        client.post("/api/v1/sightings", data={}, headers={"Idempotency-Key": "x"}, environ_base=environ)

    dump = all_rows_as_text()
    assert "first" in dump and "second" in dump  # the dump does see the reports
    assert ADDRESS not in dump and "UniqueAgent" not in dump
    assert ADDRESS not in caplog.text and "UniqueAgent" not in caplog.text
    assert not any(ADDRESS in str(key) for key in limiter.storage.storage)
    timed = db.session.scalars(
        text(
            "SELECT table_name || '.' || column_name FROM information_schema.columns "
            "WHERE table_name IN ('sightings', 'photos', 'sighting_capabilities') "
            "AND (data_type LIKE 'time%' OR data_type LIKE 'interval%')"
        )
    ).all()
    assert timed == []  # the day of submission only


def test_the_development_server_log_has_no_client_address(live_server, caplog):
    caplog.set_level(logging.INFO)
    with urllib.request.urlopen(live_server + "/report") as response:  # noqa: S310  (our own test server)
        assert response.status == 200

    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("GET /report" in line for line in lines)
    assert not any(re.search(r"\b127\.0\.0\.1\b", line) for line in lines)
