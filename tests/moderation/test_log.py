"""The moderation log's vocabulary: every action recorded has a label, and nothing else can be recorded."""

import pytest

from app.moderation import events


def test_every_action_has_a_label_and_the_public_history_names_only_real_actions(app):
    with app.test_request_context("/?lang=en"):
        assert all(action.label and action.label != action.value for action in events.Action)
    assert set(events.PUBLIC_ACTIONS) < set(events.Action)


def test_an_action_the_log_does_not_know_is_refused(app):
    with pytest.raises(ValueError):
        events.record(None, "edit_camera", "camera", 1)
