"""The embedded PostgreSQL's log never holds a submitted value, a client address or the time of a request.

The settings come from scripts/postgis.sh (conf.d/hiljade.conf, rewritten on every start); these tests ask the
server which values it actually uses and read the log file it writes.
"""

import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent

# What the server must report for each setting (SHOW's spelling).
LOG_SETTINGS = {
    "log_min_messages": "log",  # error messages quote values: 'invalid input syntax for type integer: "..."'
    "log_error_verbosity": "terse",  # no DETAIL: Key (...)=(...) already exists
    "log_min_error_statement": "panic",  # no STATEMENT lines
    "log_parameter_max_length_on_error": "0",
    "log_parameter_max_length": "0",
    "log_statement": "none",
    "log_duration": "off",
    "log_min_duration_statement": "-1",
    "log_temp_files": "-1",
    "log_lock_waits": "off",
    "log_connections": "off",
    "log_disconnections": "off",
    "log_hostname": "off",
    "listen_addresses": "",  # Unix socket only: there is no client address to log
}

# log_line_prefix escapes that print a time (%t %m %n; %s is the session's start and %c is made from it)
# or the client (%r %h).
TIME_OR_CLIENT_ESCAPES = re.compile(r"%[tmnscrh]")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}")


@pytest.fixture(scope="module")
def engine() -> Iterator[sa.Engine]:
    """A connection to the test database of its own, outside the test's rolled-back transaction."""
    engine = sa.create_engine(os.environ["TEST_DATABASE_URL"], poolclass=NullPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def log_file(engine: sa.Engine) -> Path:
    """The embedded cluster's log file (scripts/postgis.sh logfile); skipped when the tests use another PostGIS."""
    script = subprocess.run([ROOT / "scripts" / "postgis.sh", "logfile"], capture_output=True, text=True, check=True)
    path = Path(script.stdout.strip())
    if engine.url.query.get("host") != str(path.parent / "run"):
        pytest.skip("TEST_DATABASE_URL is not the embedded cluster of scripts/postgis.sh")
    return path


def show(engine: sa.Engine, setting: str) -> str:
    with engine.connect() as connection:
        return connection.execute(sa.text(f"SHOW {setting}")).scalar_one()


# Every test asks for log_file: the settings are scripts/postgis.sh's, so another PostGIS is not checked.
@pytest.mark.parametrize("setting", LOG_SETTINGS)
def test_server_uses_the_log_setting(engine, log_file, setting):
    assert show(engine, setting) == LOG_SETTINGS[setting]


def test_the_embedded_cluster_runs_without_jit(engine, log_file):
    """scripts/postgis.sh applies `jit = off` on every start: JIT compilation made the map's queries slower."""
    assert show(engine, "jit") == "off"


def test_log_lines_carry_no_time_and_no_client(engine, log_file):
    prefix = show(engine, "log_line_prefix")
    assert not TIME_OR_CLIENT_ESCAPES.search(prefix), prefix


def provoke(engine: sa.Engine, statements: list[tuple[str, dict]]) -> None:
    """Run statements on a fresh connection; the last one must fail."""
    with engine.connect() as connection, pytest.raises(sa.exc.DBAPIError):
        for sql, params in statements:
            connection.execute(sa.text(sql), params)


def test_rejected_values_never_reach_the_log(engine, log_file):
    sentinel = f"sentinel-{uuid.uuid4().hex}"
    marker = f"marker-{uuid.uuid4().hex}"
    start = log_file.stat().st_size

    # A unique violation (DETAIL: Key (value)=(...) already exists), a check violation (DETAIL: Failing row
    # contains (...)) and a value the server cannot parse (the message itself quotes it).
    insert = ("INSERT INTO leak_probe (value) VALUES (:value)", {"value": sentinel})
    provoke(engine, [("CREATE TEMP TABLE leak_probe (value text UNIQUE)", {}), insert, insert])
    provoke(engine, [("CREATE TEMP TABLE leak_probe (value text CHECK (value NOT LIKE 'sentinel-%'))", {}), insert])
    provoke(engine, [("SELECT CAST(CAST(:value AS text) AS integer)", {"value": sentinel})])
    # A line the server does log, so the test knows it is reading the file the server writes to.
    with engine.connect() as connection:
        connection.execute(sa.text(f"DO $$ BEGIN RAISE LOG '{marker}'; END $$"))

    written = log_file.read_bytes()[start:].decode(errors="replace")
    assert marker in written
    assert sentinel not in written
    marker_lines = [line for line in written.splitlines() if marker in line]
    assert all(not TIMESTAMP.search(line) for line in marker_lines), marker_lines
