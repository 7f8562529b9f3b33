import pytest


@pytest.fixture(autouse=True)
def photo_storage(app, tmp_path):
    """Photos of these tests go to a temporary directory."""
    original = app.config["PHOTO_STORAGE_DIR"]
    app.config["PHOTO_STORAGE_DIR"] = str(tmp_path / "photos")
    yield tmp_path / "photos"
    app.config["PHOTO_STORAGE_DIR"] = original
