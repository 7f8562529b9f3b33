"""Checks every request passes before any view sees it: hostile input ends in a 4xx, never a 500."""

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

INT4_MAX = 2**31 - 1


class Int4Converter(IntegerConverter):
    """`<int:...>` in our routes means a PostgreSQL integer: larger numbers do not match (404), not 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=INT4_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def refuse_nul_bytes() -> None:
    """PostgreSQL text cannot hold NUL; a NUL in the path or query string is refused up front."""
    query = request.query_string
    if "\x00" in request.path or b"%00" in query or b"\x00" in query:
        abort(400)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = Int4Converter
    app.before_request(refuse_nul_bytes)
