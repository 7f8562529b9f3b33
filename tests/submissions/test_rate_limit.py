import uuid

from tests.factories import STARI_GRAD


def test_anonymous_submissions_are_rate_limited_per_client(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMISSION_RATE_LIMIT", "2 per minute")
    fields = {"lat": str(STARI_GRAD[1]), "lon": str(STARI_GRAD[0])}

    def send(address):
        return client.post(
            "/api/v1/sightings",
            data=fields,
            headers={"Idempotency-Key": str(uuid.uuid4()), "Accept-Language": "en"},
            environ_base={"REMOTE_ADDR": address},
        )

    assert [send("198.51.100.1").status_code for _ in range(3)] == [201, 201, 429]
    refused = send("198.51.100.1")
    assert refused.json["error"]["message"] == "Too many requests. Please wait a little and try again."
    assert send("198.51.100.2").status_code == 201  # another client is not affected


def test_a_retry_of_a_stored_report_gets_its_receipt_not_a_429(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMISSION_RATE_LIMIT", "2 per minute")
    fields = {"lat": str(STARI_GRAD[1]), "lon": str(STARI_GRAD[0])}
    key = str(uuid.uuid4())

    def send(idempotency_key):
        return client.post(
            "/api/v1/sightings",
            data=fields,
            headers={"Idempotency-Key": idempotency_key, "Accept-Language": "en"},
            environ_base={"REMOTE_ADDR": "198.51.100.7"},
        )

    first = send(key)
    retries = [send(key) for _ in range(4)]

    assert first.status_code == 201
    assert [r.status_code for r in retries] == [201] * 4
    assert all(r.get_json() == first.get_json() for r in retries)
    # The retries did not use up the limit: one more new report still fits, the one after does not.
    assert [send(str(uuid.uuid4())).status_code for _ in range(2)] == [201, 429]
