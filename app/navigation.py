"""The site's main navigation, in one place."""

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

NAV = [
    ("submissions.report", _l("Report a camera")),
    ("maps.index", _l("Map")),
    ("camera_list.index", _l("Camera list")),
    ("municipalities.index", _l("Municipalities")),
    ("pages.data", _l("Data")),
    ("pages.about", _l("About")),
]


def nav_items() -> list[tuple[str, str]]:
    """The navigation entries whose pages this app serves."""
    return [(endpoint, str(label)) for endpoint, label in NAV if endpoint in current_app.view_functions]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["nav_items"] = nav_items
