"""Declared lists: official lists of camera locations, imported by admins and compared point by point with the map.

The blueprint (the admin page, `routes.py`) is made here; the map layers' GeoJSON is served by app/api/declared.py.
"""

from flask import Blueprint

bp = Blueprint("declared", __name__)

from app.declared import routes  # noqa: E402,F401
