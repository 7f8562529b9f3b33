"""Atom feeds of newly verified cameras, for the whole site and for each municipality.

The blueprint is made here; routes.py registers on it. Entries are dated to the day of verification, never a time,
and carry nothing about the people who reported a camera.
"""

from flask import Blueprint

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

from app.feeds import routes  # noqa: E402,F401
