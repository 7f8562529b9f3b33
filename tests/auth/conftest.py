import pytest

from tests.web import new_client


@pytest.fixture
def client(app):
    """A test client with a fresh `g` per request (see tests/web.py)."""
    return new_client(app)
