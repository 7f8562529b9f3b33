"""After real reports, retries, failures and hostile requests from 127.0.0.23, no log holds the address or
anything the reporter sent: gunicorn's access and error log, the app's log, and the embedded PostgreSQL's."""

import contextlib
import random
import socket
import subprocess
import uuid
from pathlib import Path

import sqlalchemy as sa

from tests.e2e.server import PROJECT
from tests.photocorpus import photo
from tests.web import hidden, where

CLIENT = "127.0.0.23"


def postgres_log() -> Path | None:
    """The embedded cluster's log file (None when the tests run against another PostGIS)."""
    result = subprocess.run([str(PROJECT / "scripts" / "postgis.sh"), "logfile"], capture_output=True, text=True)
    path = Path(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None
    return path if path and path.exists() else None


def raw(site, data: bytes) -> None:
    """Send bytes that are not valid HTTP, from the test client's address."""
    host, port = site.url.removeprefix("http://").split(":")
    with socket.socket() as sock:
        sock.bind((CLIENT, 0))
        sock.settimeout(5)
        sock.connect((host, int(port)))
        sock.sendall(data)
        with contextlib.suppress(OSError):
            sock.recv(4096)


def test_no_log_keeps_the_address_or_anything_sent(app, site):
    marker = uuid.uuid4().hex[:10]
    lat, lon = f"44.81{random.randint(1000, 9999)}", f"20.45{random.randint(1000, 9999)}"  # Stari Grad, 6 decimals
    note = f"NOTE-SENTINEL-{marker}"
    model = f"MODEL-SENTINEL-{marker}"
    keys = [str(uuid.uuid4()) for _ in range(3)]
    sentinels = [note, model, lat, lon, *keys]
    fields = {"lat": lat, "lon": lon, "note": note}
    engine = sa.create_engine(app.config["DATABASE_OWNER_URL"], poolclass=sa.pool.NullPool)  # it alters a table
    log = postgres_log()
    log_before = log.stat().st_size if log else 0
    try:
        with site.session(CLIENT) as http:
            api = site.url + "/api/v1/sightings"
            image = ("IMG_0001.JPG", photo("jpeg-12mp-portrait").read_bytes())
            first = http.post(api, data=fields, files={"photos": image}, headers={"Idempotency-Key": keys[0]})
            again = http.post(api, data=fields, files={"photos": image}, headers={"Idempotency-Key": keys[0]})
            assert first.status_code == again.status_code == 201
            site.remember(first.json()["reference"])

            page = http.get(site.url + "/report").text
            form = http.post(
                site.url + "/report",
                data={**fields, "csrf_token": hidden(page, "csrf_token"), "idempotency_key": keys[1]},
                allow_redirects=False,
            )
            assert form.status_code == 303
            site.remember(where(form).rsplit("/", 1)[1])
            assert http.get(site.url + where(form)).status_code == 200
            assert http.get(site.url + f"/api/v1/nearby?lat={lat}&lon={lon}").status_code == 200
            assert http.get(site.url + f"/report?confirms={marker}").status_code == 200

            # The database refuses a report: a check constraint fails, so PostgreSQL answers with a DETAIL that
            # quotes the whole row ("Failing row contains (...)"), and the app logs a 500.
            with engine.begin() as connection:
                connection.execute(
                    sa.text(
                        f"ALTER TABLE sightings ADD CONSTRAINT e2e_{marker} "
                        f"CHECK (model IS DISTINCT FROM '{model}') NOT VALID"
                    )
                )
            refused = http.post(api, data={**fields, "model": model}, headers={"Idempotency-Key": keys[2]})
            assert refused.status_code == 500 and refused.json()["error"]["code"] == "internal_error"

        raw(site, f"GET /report?note={note} HTTP/1.1\r\nHost: x\r\nBad Header {lat}\r\n\r\n".encode())
        raw(site, f"GARBAGE {note} {lon}\r\n\r\n".encode())
        raw(site, f"POST /api/v1/sightings?lat={lat} HTTP/1.1\r\nContent-Length: -5\r\n\r\n".encode())
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f"ALTER TABLE sightings DROP CONSTRAINT IF EXISTS e2e_{marker}"))
        engine.dispose()

    logs = {"gunicorn (access, error, app)": site.log()}
    if log:
        with open(log, "rb") as handle:
            handle.seek(log_before)
            logs["postgresql"] = handle.read().decode(errors="replace")
    assert "unhandled error on POST /api/v1/sightings" in logs["gunicorn (access, error, app)"]  # it was logged
    assert "Invalid request" in logs["gunicorn (access, error, app)"]
    for name, text in logs.items():
        assert CLIENT not in text, name
        for sentinel in sentinels:
            assert sentinel not in text, (name, sentinel)
        assert marker not in text, name
