"""Test harness: a real PostGIS database built by the migrations as its owner, the app connected as the site's role
(app/database_roles.py), one rolled-back transaction per test, the app on a loopback port. The browser's fixtures
are in tests/browser/conftest.py."""

import io
import os
import re
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import text
from werkzeug.serving import make_server

from app import create_app
from app.basemap.services import build_outline
from app.database_roles import apply_roles, as_owner, owner_engine, site_role
from app.extensions import db
from app.municipalities.services import load_geodata
from tests.web import new_client


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Iterator[Flask]:
    if not (os.environ.get("TEST_DATABASE_URL") and os.environ.get("TEST_DATABASE_OWNER_URL")):
        pytest.exit("TEST_DATABASE_URL or TEST_DATABASE_OWNER_URL is not set: run the tests with `make test`", 2)
    app = create_app("testing")
    with app.app_context():
        # As `make run` sets up the site: the owner builds and loads the schema, the app connects as the site's role.
        flask_migrate.upgrade()
        with as_owner():
            load_geodata(app.config["GEODATA_DIR"], app.config["GEODATA_MANIFEST"])
        apply_roles(app)
        # The base map every map draws by default, the municipalities', drawn as `flask geodata load` draws it.
        app.config["BASEMAP_FILE"] = str(tmp_path_factory.mktemp("basemap") / "basemap.mbtiles")
        build_outline()
        # Sessions joined to a test's outer transaction turn the services' commits into savepoints (SQLAlchemy's
        # recipe for test suites); a session bound to an engine, as outside a test, is not affected.
        db.session.remove()  # configure() only reaches sessions made after it
        db.session.configure(join_transaction_mode="create_savepoint")
    return app


@pytest.fixture(autouse=True)
def transaction(app: Flask, request: pytest.FixtureRequest) -> Iterator[None]:
    """Run each test inside a transaction that is rolled back; services' commits become savepoints.

    Flask-SQLAlchemy's engine mapping (`db.engines`) points at one connection for the test, as in
    pallets-eco/flask-sqlalchemy#1171: every session, the test's and the live server's, is bound to it. It logs in
    as the site's role; a test that asks for `owner_statement` or `as_database_owner` gets one that logs in as the
    owner and switches to the site's role for everything but what it runs as the owner.
    """
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        wants_owner = {"owner_statement", "as_database_owner"} & set(request.fixturenames)
        owner = owner_engine(app) if wants_owner else None
        connection = (owner or engine).connect()
        outer = connection.begin()
        if owner is not None:
            connection.execute(text("SELECT set_config('role', :role, true)"), {"role": site_role(app)})
        engines[None] = connection
        try:
            yield
        finally:
            # Restore the engine first: a failed teardown must not leave every later test on a dead connection.
            engines[None] = engine
            try:
                db.session.remove()
                outer.rollback()
            finally:
                connection.close()
                if owner is not None:
                    owner.dispose()


@pytest.fixture
def as_database_owner(transaction) -> Callable[[], AbstractContextManager[None]]:
    """`with as_database_owner():` runs what the test does inside as the database's owner (ANALYZE, an edit of
    the log as an insider with the owner's password would make), in the test's transaction."""

    @contextmanager
    def switch() -> Iterator[None]:
        db.session.flush()
        connection = db.session.connection()
        role = connection.scalar(text("SELECT current_user"))
        connection.execute(text("RESET ROLE"))
        try:
            yield
            db.session.flush()
        finally:
            connection.execute(text("SELECT set_config('role', :role, true)"), {"role": role})

    return switch


@pytest.fixture
def owner_statement(as_database_owner) -> Callable[..., None]:
    """Run one statement as the owner inside the test's transaction."""

    def run(statement: str, **parameters) -> None:
        with as_database_owner():
            db.session.connection().execute(text(statement), parameters)

    return run


@pytest.fixture(autouse=True)
def photo_dir(app: Flask, tmp_path, monkeypatch) -> Path:
    """Each test stores photos in its own empty directory."""
    directory = tmp_path / "photos"
    monkeypatch.setitem(app.config, "PHOTO_STORAGE_DIR", str(directory))
    return directory


@pytest.fixture(autouse=True)
def totp_key_file(app: Flask, tmp_path, monkeypatch) -> Path:
    """Each test seals TOTP secrets under a key ring of its own, made on first use."""
    path = tmp_path / "totp.key"
    monkeypatch.setitem(app.config, "TOTP_KEY_FILE", str(path))
    return path


@pytest.fixture
def client(app: Flask):
    """A test client with a fresh `g` per request, as in production (see tests/web.py)."""
    return new_client(app)


@pytest.fixture
def post_sighting(client):
    """POST /api/v1/sightings as a phone app would."""

    def post(fields=None, photos=(), key=None, headers=None, **options):
        data = dict(fields or {})
        if photos:
            data["photos"] = [(io.BytesIO(body), name) for name, body in photos]
        sent_headers = {"Idempotency-Key": str(key or uuid.uuid4()), "Accept-Language": "en"}
        sent_headers.update(headers or {})
        return client.post(
            "/api/v1/sightings", data=data, headers=sent_headers, content_type="multipart/form-data", **options
        )

    return post


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def live_server(app: Flask, transaction) -> Iterator[str]:
    """The app on a loopback port, sharing the test's transaction.

    Single-threaded on purpose: requests are served one at a time on the test's one connection,
    so what a test seeds is visible to the browser and everything is rolled back afterwards.
    """
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    public_origin = app.config["PUBLIC_ORIGIN"]
    app.config["PUBLIC_ORIGIN"] = f"{public_origin} {url}"  # the browser's form posts come from here
    try:
        yield url
    finally:
        app.config["PUBLIC_ORIGIN"] = public_origin
        server.shutdown()
        thread.join(timeout=5)


# After the whole suite (the hostile corpus, the failures provoked on purpose, the end-to-end runs through
# gunicorn) no log may hold a client address or anything submitted. Each log test checks its own sentinels; this
# checks the shapes a leak takes, over everything the embedded PostgreSQL and the test gunicorns wrote.
LEAK_SHAPES = re.compile(r"DETAIL:|STATEMENT:|Failing row contains|Key \(|\[parameters:|from ip=|127\.0\.0\.23")
SERVER_LOGS: list[Path] = []  # gunicorn logs of tests/e2e, registered by the `served` fixture


def _postgres_log() -> Path | None:
    script = Path(__file__).resolve().parent.parent / "scripts" / "postgis.sh"
    result = subprocess.run([str(script), "logfile"], capture_output=True, text=True)
    path = Path(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None
    return path if path is not None and path.is_file() else None


def pytest_sessionstart(session) -> None:
    log = _postgres_log()
    session.config.stash[_LOG_START] = (log, log.stat().st_size if log else 0)


def pytest_sessionfinish(session, exitstatus) -> None:
    log, start = session.config.stash.get(_LOG_START, (None, 0))
    texts = {}
    if log is not None:
        with open(log, "rb") as handle:
            handle.seek(start)
            texts[str(log)] = handle.read().decode(errors="replace")
    for path in SERVER_LOGS:
        if path.is_file():
            texts[str(path)] = path.read_text(errors="replace")
    leaks = [(name, line) for name, text in texts.items() for line in text.splitlines() if LEAK_SHAPES.search(line)]
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for name, line in leaks[:20]:
            reporter.write_line(f"LOG LEAK in {name}: {line[:300]}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_LOG_START = pytest.StashKey[tuple]()


@pytest.fixture(scope="session")
def object_store(tmp_path_factory):
    """SeaweedFS, started by scripts/seaweedfs.sh once for the tests that ask for it."""
    from tests.stores import start_seaweedfs, stop_seaweedfs

    store = start_seaweedfs(tmp_path_factory.mktemp("seaweedfs"))
    yield store
    stop_seaweedfs(store)


@pytest.fixture
def photos_in_object_store(app, object_store, monkeypatch) -> str:
    """PHOTO_STORAGE_URL on the object store, under a prefix of this test's own; returns the prefix."""
    from app.photos import storage

    prefix = f"test-{uuid.uuid4().hex}"
    for name, value in object_store.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(storage, "_clients", {})  # the client reads the settings when it is made
    monkeypatch.setitem(app.config, "PHOTO_STORAGE_URL", f"s3://{object_store.bucket}/{prefix}")
    return prefix
