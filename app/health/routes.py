"""GET /healthz."""

import logging

from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from app.errors import envelope
from app.health import services

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    try:
        return jsonify(services.health())
    except SQLAlchemyError:
        log.exception("health check failed")
        return envelope(503, "database_unavailable", "The database is not reachable.")
