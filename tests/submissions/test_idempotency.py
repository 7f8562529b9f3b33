"""Five copies of one report arriving at once (a phone retrying on a bad connection) make one sighting.

This test needs real concurrency, so it cannot use the per-test transaction (one shared connection): it
points the app at its own engine, lets five threads post through separate connections, and deletes what
it committed afterwards. What it checks is the service's INSERT ... ON CONFLICT DO NOTHING, decided by the
unique index on idempotency_key, under concurrent transactions.
"""

import io
import threading
import uuid

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from app.extensions import db
from app.submissions.services import key_digest
from tests.factories import STARI_GRAD
from tests.submissions.conftest import stored_files
from tests.submissions.images import phone_photo

COPIES = 5


def test_the_same_key_sent_five_times_at_once_creates_one_sighting(app, photo_dir):
    engines = db.engines
    shared_connection = engines[None]
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    db.session.remove()  # the test's session is bound to the shared connection; the next one binds to the engine
    engines[None] = engine
    key = uuid.uuid4()
    photo = phone_photo(1200, 900)
    start = threading.Barrier(COPIES)
    answers: list = [None] * COPIES

    def send(index: int) -> None:
        client = app.test_client()
        start.wait()
        response = client.post(
            "/api/v1/sightings",
            data={"lat": str(STARI_GRAD[1]), "lon": str(STARI_GRAD[0]), "photos": [(io.BytesIO(photo), "a.jpg")]},
            headers={"Idempotency-Key": str(key)},
        )
        answers[index] = (response.status_code, response.get_json())

    try:
        threads = [threading.Thread(target=send, args=(index,)) for index in range(COPIES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT id, reference FROM sightings WHERE idempotency_key_sha256 = :key"),
                {"key": key_digest(key)},
            ).all()
            photos = connection.execute(
                sa.text("SELECT count(*) FROM photos WHERE sighting_id = ANY(:ids)"), {"ids": [r.id for r in rows]}
            ).scalar()

        assert len(rows) == 1
        assert photos == 1
        assert {status for status, _body in answers} == {201}
        receipt = {"id": rows[0].id, "reference": rows[0].reference, "status": "pending"}
        assert all({k: v for k, v in body.items() if k != "withdrawal_secret"} == receipt for _s, body in answers)
        assert len({body["withdrawal_secret"] for _s, body in answers}) == 1  # every copy gets the same secret
        assert len(stored_files(photo_dir)) == 2  # the four late copies removed the files they had written
    finally:
        with engine.begin() as connection:
            connection.execute(
                sa.text("DELETE FROM sightings WHERE idempotency_key_sha256 = :key"), {"key": key_digest(key)}
            )
        db.session.remove()
        engines[None] = shared_connection
        engine.dispose()
