import pytest
import sqlalchemy as sa

from tests.conftest import SERVER_LOGS
from tests.e2e import server


@pytest.fixture(scope="session")
def served(app, tmp_path_factory):
    """gunicorn with gunicorn.conf.py, serving the test database (migrated and loaded by the `app` fixture)."""
    running = server.start(
        app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path_factory.mktemp("gunicorn"),
        {"BASEMAP_FILE": app.config["BASEMAP_FILE"]},
    )
    SERVER_LOGS.append(running.log_path)
    yield running
    server.stop(running)


@pytest.fixture
def site(served, app):
    """The served site for one test; whatever it stored is deleted afterwards."""
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
    try:
        yield served
    finally:
        served.forget(engine)
        engine.dispose()
