"""The site as `make run` serves it: gunicorn started with gunicorn.conf.py on a free loopback port.

Requests go over real sockets (optionally from another loopback address, such as 127.0.0.23, so a test can look
for that address in the logs afterwards). Rows the server commits are not inside the test's transaction: the
`Served.forget` cleanup deletes every sighting it created.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

PROJECT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SourceAddressAdapter(HTTPAdapter):
    """requests from a chosen local address (all of 127.0.0.0/8 is loopback)."""

    def __init__(self, source: str, **kwargs) -> None:
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        return super().init_poolmanager(*args, **kwargs)


@dataclass
class Served:
    url: str
    log_path: Path
    photo_dir: Path
    process: subprocess.Popen
    references: list[str] = field(default_factory=list)

    def session(self, source: str = "127.0.0.1") -> requests.Session:
        session = requests.Session()
        session.mount("http://", SourceAddressAdapter(source))
        return session

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def remember(self, reference: str) -> None:
        self.references.append(reference)

    def forget(self, engine) -> None:
        """Delete the sightings this server stored for the tests (their photos' rows go with them)."""
        import sqlalchemy as sa

        if not self.references:
            return
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM sightings WHERE reference = ANY(:refs)"), {"refs": self.references})
        self.references.clear()


def start(database_url: str, workdir: Path, extra_env: dict[str, str] | None = None) -> Served:
    port = free_port()
    log_path = workdir / "gunicorn.log"
    photo_dir = workdir / "photos"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "APP_CONFIG": "production",
        "SECRET_KEY": "e2e-test-secret",
        "SESSION_COOKIE_SECURE": "false",
        "PUBLIC_ORIGIN": f"http://127.0.0.1:{port}",
        "PHOTO_STORAGE_DIR": str(photo_dir),
        "INSTANCE_DIR": str(workdir / "instance"),
        "SUBMISSION_RATE_LIMIT": "10000 per hour",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "MALLOC_ARENA_MAX": "2",  # as `make run` starts it
        **(extra_env or {}),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310 (loopback)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log_path.read_text()}") from None
            time.sleep(0.2)
    return Served(url, log_path, photo_dir, process)


def stop(served: Served) -> None:
    if served.process.poll() is None:
        os.killpg(served.process.pid, signal.SIGTERM)
        try:
            served.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(served.process.pid, signal.SIGKILL)
            served.process.wait()
