import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.models import ModerationEvent
from tests.factories import make_event


def test_events_can_be_appended():
    event = make_event(reason="duplicate of camera 7")

    assert db.session.get(ModerationEvent, event.id).reason == "duplicate of camera 7"
    assert event.occurred_at is not None


@pytest.mark.parametrize(
    "statement",
    [
        update(ModerationEvent).values(reason="rewritten"),
        delete(ModerationEvent),
        text("TRUNCATE moderation_events"),
    ],
    ids=["update", "delete", "truncate"],
)
def test_the_application_cannot_change_or_remove_events(statement):
    make_event(reason="original")

    # The app's role may not even try (tests/test_database_roles.py); the trigger stops the owner too.
    with pytest.raises(DBAPIError, match="permission denied for table moderation_events"), db.session.begin_nested():
        db.session.execute(statement)

    assert (
        db.session.scalar(select(func.count()).select_from(ModerationEvent).where(ModerationEvent.reason == "original"))
        == 1
    )
