"""Checks every request passes before any view sees it: hostile input ends in a 4xx, never a 500."""

import unicodedata

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

INT4_MAX = 2**31 - 1


def whole_number(raw: object, low: int = 0, high: int = INT4_MAX) -> int | None:
    """The number a string of ASCII digits spells (or a JSON integer is), if it lies in [low, high]; else None.

    str.isdigit() alone is no guard: it is True for "²" (which int() refuses: a 500) and for other scripts'
    digits (which int() reads), and int() refuses strings of more than 4300 digits. A bool is not a number
    (True == 1 in Python) and neither is a float (1.9 is not version 1).
    """
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= len(str(high)):
        value = int(raw)
    else:
        return None
    return value if low <= value <= high else None


def database_id(raw: object) -> int | None:
    """A row id as text (a positive PostgreSQL integer), or None."""
    return whole_number(raw, low=1)


def has_control_characters(text: str, *, free_text: bool = False) -> bool:
    """True for characters no one means to type: controls (NUL among them, which PostgreSQL cannot store),
    and, unless `free_text`, also format (zero-width, bidi overrides), private-use and unassigned characters.

    Free text (a note, a reason) keeps line breaks and tabs, and the format characters that emoji and
    right-to-left names are made of; a name or an e-mail address needs none of them.
    """
    if free_text:
        return any(unicodedata.category(char) == "Cc" and char not in "\n\r\t" for char in text)
    return any(unicodedata.category(char).startswith("C") for char in text)


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
