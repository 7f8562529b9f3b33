import pytest
from flask_babel import force_locale


@pytest.fixture(autouse=True)
def in_english(app):
    """The reasons and messages these tests read, in English (the pages' own tests ask for ?lang=en)."""
    with force_locale("en"):
        yield
