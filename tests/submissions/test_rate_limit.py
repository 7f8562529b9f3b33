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
