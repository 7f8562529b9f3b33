"""GET /healthz."""

import logging

from flask import Blueprint, jsonify
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from app.auth.sessions import is_admin
from app.errors import DatabaseUnavailable
from app.health import services

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    try:
        return jsonify(services.health(details=is_admin()))
    except SQLAlchemyError:
        log.exception("health check failed")
        raise DatabaseUnavailable(_("The database is not reachable.")) from None
