"""Every error the site answers with (the catalogue of codes and statuses) and its faces: HTML page, JSON envelope."""

import logging
import re
import traceback
from typing import Any

from flask import Flask, Request, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


class DomainError(Exception):
    """An error a service raises for the caller to show; `message` is already translated.

    Its HTTP status and JSON `code` come from CATALOGUE below: one table for every error the site answers with.
    """

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}

    @property
    def code(self) -> str:
        return error_code(type(self))

    @property
    def status(self) -> int:
        return next(CATALOGUE[kind] for kind in type(self).__mro__ if kind in CATALOGUE)


# Every domain error, by what went wrong. A feature raises these; it never defines its own.
class ValidationFailed(DomainError):
    """A field or parameter is wrong; `details.fields` maps each field to its messages."""


class NotFound(DomainError):
    """No such row (a camera, sighting, photo, account, tile)."""


class Conflict(DomainError):
    """The thing changed meanwhile or is in a state that forbids the action (another moderator, a decided report)."""


class Refused(DomainError):
    """A request we cannot accept as sent (a bad Idempotency-Key, a form that did not come from the page)."""


class InvalidViewport(DomainError):
    """The map's bounding box or zoom is absurd."""


class InvalidFilter(DomainError):
    """A map filter names a value the vocabulary does not have."""


class IdempotencyKeyReused(DomainError):
    """The Idempotency-Key already names a different report."""


class PhotoRejected(DomainError):
    """A photo we do not store; the subclasses say why."""


class PhotoTooLarge(PhotoRejected):
    """The file, its pixels or its decoding cost are over the caps (app/photos/limits.py)."""


class PhotoUnsupported(PhotoRejected):
    """Not a format we take, or built in a way we refuse (RAW, animated, interlaced, unusual structure)."""


class WithdrawalRefused(DomainError):
    """The secret does not withdraw this report (wrong, or for another report)."""


class LoginFailed(DomainError):
    """A wrong password or code, or an account that cannot sign in (one answer for all: no hint which)."""


class TooManyAttempts(DomainError):
    """Sign-in paused after repeated failures."""


class Unauthorized(DomainError):
    """The moderation API needs a valid Bearer token."""

    headers = {"WWW-Authenticate": 'Bearer realm="moderation"'}


class SecondFactorUnavailable(DomainError):
    """TOTP secrets cannot be opened: the key file outside the database is missing or is not the one they need."""


class DatabaseUnavailable(DomainError):
    """/healthz: the database does not answer."""


class PhotoStoreUnavailable(DomainError):
    """The object store that keeps the photos did not confirm a write or a read; nothing was stored, try again."""

    headers = {"Retry-After": "30"}


# Each domain error's HTTP status (a subclass not listed answers with its parent's); its code is its name in snake case.
CATALOGUE: dict[type[DomainError], int] = {
    DomainError: 400,
    ValidationFailed: 422,
    NotFound: 404,
    Conflict: 409,
    Refused: 400,
    InvalidViewport: 400,
    InvalidFilter: 400,
    IdempotencyKeyReused: 422,
    PhotoRejected: 422,
    PhotoTooLarge: 413,
    PhotoUnsupported: 422,
    WithdrawalRefused: 403,
    LoginFailed: 401,
    TooManyAttempts: 429,
    Unauthorized: 401,
    SecondFactorUnavailable: 503,
    DatabaseUnavailable: 503,
    PhotoStoreUnavailable: 503,
}
# Answers that are not domain errors: a form whose CSRF token failed, and a bug of ours.
CSRF_FAILED = "csrf_failed"
INTERNAL_ERROR = "internal_error"


def error_code(kind: type[DomainError]) -> str:
    """`PhotoTooLarge` -> `photo_too_large`; DomainError itself is `bad_request`."""
    if kind is DomainError:
        return "bad_request"
    return re.sub(r"(?<!^)(?=[A-Z])", "_", kind.__name__).lower()


def http_error_code(error: HTTPException) -> str:
    """The JSON code of an HTTP error Werkzeug raised (`Not Found` -> `not_found`)."""
    return (error.name or "error").lower().replace(" ", "_")


def wants_json(req: Request) -> bool:
    return req.path.startswith(("/api/", "/tiles/")) or req.path == "/healthz"


def envelope(status: int, code: str, message: str, details: dict[str, Any] | None = None):
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    return response


def _too_large_message() -> str:
    """A body over MAX_CONTENT_LENGTH is refused before any of it is read: the reader must know it is all lost."""
    config = current_app.config
    return _(
        "What you sent is larger than %(limit)s MB in all, so none of it could be read: no field and no photo. "
        "Go back, choose fewer or smaller photos (at most %(count)s, each up to %(each)s MB) and send again.",
        limit=(config["MAX_CONTENT_LENGTH"] or 0) // (1024 * 1024),
        count=config["PHOTO_MAX_COUNT"],
        each=config["PHOTO_MAX_BYTES"] // (1024 * 1024),
    )


def _http_messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in first."),
        403: _("You are not allowed to do this."),
        404: _("This page does not exist."),
        405: _("This method is not allowed here."),
        413: _too_large_message(),
        429: _("Too many requests. Please wait a little and try again."),
        500: _("Something went wrong on our side. Nothing you did caused it."),
    }


def _render(status: int, code: str, message: str, details: dict[str, Any] | None = None):
    if wants_json(request):
        return envelope(status, code, message, details)
    return render_template("errors/error.html", status=status, message=message, details=details), status


def _route() -> str:
    """The matched rule (`/report/thanks/<reference>`), never the path: a path can hold a report's reference."""
    return request.url_rule.rule if request.url_rule is not None else "(no route)"


def describe_without_values(error: BaseException) -> str:
    """Where an error happened and what kind it was, without its message.

    Exception messages carry values: a database error quotes the statement's parameters and PostgreSQL's
    `DETAIL: Key (...)=(...)`, which would put a reporter's coordinates and note in the log. The frames (file, line,
    function) are enough to find the bug.
    """
    chain, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(f"{type(current).__module__}.{type(current).__qualname__}")
        current = current.__cause__ or current.__context__
    frames = traceback.extract_tb(error.__traceback__)
    where = "".join(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n' for frame in frames)
    return f"{where}{' <- '.join(chain)} (message withheld: it may hold submitted values)"


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        response = current_app.make_response(_render(error.status, error.code, error.message, error.details))
        response.headers.update(getattr(error, "headers", {}))
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("The form has expired or did not come from this site. Reload the page and try again.")
        return _render(400, CSRF_FAILED, message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        message = _http_messages().get(status, error.description or "")
        response = _render(status, http_error_code(error), message)
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response = app.make_response(response)
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.error("unhandled error on %s %s\n%s", request.method, _route(), describe_without_values(error))
        return _render(500, INTERNAL_ERROR, _http_messages()[500])

    # Keep InternalServerError on the same path as other exceptions.
    app.register_error_handler(InternalServerError, http_error)
