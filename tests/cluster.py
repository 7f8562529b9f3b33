"""Scratch databases in the embedded cluster of scripts/postgis.sh, for tests that must not touch the suite's."""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from app import create_app
from app.config import CONFIGS
from app.extensions import db

POSTGIS = Path(__file__).resolve().parent.parent / "scripts" / "postgis.sh"


def postgis(*args: str, log: bool = False) -> str:
    """Run scripts/postgis.sh; its output without the trailing newline (what it logged, with `log`)."""
    done = subprocess.run([str(POSTGIS), *args], capture_output=True, text=True, check=True)
    return (done.stderr if log else done.stdout).strip()


@contextmanager
def scratch_app(name: str, *, site: str = "url", owner: str = "owner-url") -> Iterator[Flask]:
    """An app on database NAME (made by the caller), connecting as the roles of `postgis.sh site|owner NAME`;
    the database is dropped at the end whatever happens."""
    config = CONFIGS["testing"]()
    config.SQLALCHEMY_DATABASE_URI = postgis(site, name)
    config.DATABASE_OWNER_URL = postgis(owner, name)
    app = create_app(config)
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        postgis("psql", "postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
