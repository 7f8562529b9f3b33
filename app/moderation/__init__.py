"""Moderation: the queue of pending sightings, decisions, photo fixes and the append-only moderation log.

The blueprint is made here; its route modules, one per thing moderators act on, register on it.
"""

from flask import Blueprint

from app.moderation.events import action_label

bp = Blueprint("moderation", __name__)
bp.add_app_template_global(action_label, "action_label")

from app.moderation import audit_routes, camera_routes, photo_routes, sighting_routes  # noqa: E402,F401
