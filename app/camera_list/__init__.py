"""The list of verified cameras: paged and filtered on the server, so it works without JavaScript.

The blueprint is made here; routes.py registers on it. The filters are the map's (app/cameras/filters.py).
"""

from flask import Blueprint

bp = Blueprint("camera_list", __name__, url_prefix="/cameras")

from app.camera_list import routes  # noqa: E402,F401
