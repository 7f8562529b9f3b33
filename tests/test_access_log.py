"""The access log of `make run` (gunicorn with gunicorn.conf.py), driven for real on a loopback port."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from app.access_log import is_logged

PROJECT = Path(__file__).resolve().parent.parent


def test_report_requests_are_never_logged():
    for path in ("/report", "/report/thanks/HK-ABCD1234", "/api/v1/sightings", "/api/v1/nearby", "/photos/ab/c.jpg"):
        assert not is_logged(path), path
    for path in ("/", "/api/v1/cameras", "/municipalities/", "/healthz"):
        assert is_logged(path), path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_logs_no_client_address_and_no_report(app):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "APP_CONFIG": "production",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.1)
        for path in ("/report", "/api/v1/nearby?lat=44.8176&lon=20.4569", "/about"):
            urllib.request.urlopen(base + path, timeout=10)  # noqa: S310 (loopback)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)

    access = [line for line in output.splitlines() if line.startswith('"')]
    assert '"GET /about" 200' in " ".join(access)
    assert not any("/report" in line or "/nearby" in line for line in access)
    assert "127.0.0.1" not in "\n".join(access)
