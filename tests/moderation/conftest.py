import pytest

from tests.web import new_client


@pytest.fixture(autouse=True)
def photo_storage(app, tmp_path):
    """Photos of these tests go to a temporary directory."""
    original = app.config["PHOTO_STORAGE_DIR"]
    app.config["PHOTO_STORAGE_DIR"] = str(tmp_path / "photos")
    yield tmp_path / "photos"
    app.config["PHOTO_STORAGE_DIR"] = original


@pytest.fixture
def client(app):
    """A test client with a fresh `g` per request (see tests/web.py)."""
    return new_client(app)
