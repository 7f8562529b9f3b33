"""gunicorn's logs without anything of a reporter: no report requests, no client address, no query string.

Log collectors timestamp every line, so a line for `POST /report` or `/report/thanks/<reference>` would tie a
report's reference (and through it, its place) to the exact time it was sent. Those requests are not logged.
gunicorn's error log names the peer of every malformed request ("Invalid request from ip=...") and quotes what it
sent; the address goes, and so does everything after the kind of error. Query strings (`/api/v1/nearby?lat=...`
is where a reporter stands) are cut from every line.
"""

import re

from gunicorn.glogging import Logger

# /basemap/ tiles name the area a visitor looks at, on /report the place a reporter stands.
UNLOGGED_PREFIXES = (
    "/report",
    "/basemap/",
    "/api/v1/sightings",
    "/api/v1/nearby",
    "/photos/",
    "/sw.js",
    "/manifest.webmanifest",
)

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_PEER = re.compile(r"\s*from ip=\S*")
_QUERY = re.compile(r"(/[^\s?'\"]*)\?[^\s'\"]*")


def is_logged(path: str) -> bool:
    return not path.startswith(UNLOGGED_PREFIXES)


def redact(message: str) -> str:
    """A log message with client addresses, query strings and quoted request data removed."""
    if message.startswith("Listening at"):
        return message  # the server's own address
    if message.startswith("Invalid request"):
        # "Invalid request from ip=1.2.3.4: Invalid HTTP request line: 'GET /report?...'" -> the kind only.
        kind = message.split(": ", 2)[1] if message.count(": ") >= 1 else ""
        message = "Invalid request" + (f": {kind.split(':')[0]}" if kind else "")
    message = _PEER.sub("", message)
    message = _QUERY.sub(r"\1?[query withheld]", message)
    message = _IPV4.sub("[address]", message)
    return _IPV6.sub("[address]", message)


class AccessLogger(Logger):
    def access(self, resp, req, environ, request_time) -> None:
        if is_logged(environ.get("PATH_INFO", "")):
            super().access(resp, req, environ, request_time)

    def _private(self, level: str, msg, *args, **kwargs) -> None:
        text = str(msg) % args if args else str(msg)
        # Tracebacks from gunicorn itself quote the failing request; our app handles its own errors (app/errors.py).
        kwargs.pop("exc_info", None)
        getattr(super(), level)(redact(text), **kwargs)

    def critical(self, msg, *args, **kwargs) -> None:
        self._private("critical", msg, *args, **kwargs)

    def error(self, msg, *args, **kwargs) -> None:
        self._private("error", msg, *args, **kwargs)

    def warning(self, msg, *args, **kwargs) -> None:
        self._private("warning", msg, *args, **kwargs)

    def info(self, msg, *args, **kwargs) -> None:
        self._private("info", msg, *args, **kwargs)

    def debug(self, msg, *args, **kwargs) -> None:
        self._private("debug", msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs) -> None:
        self._private("error", msg, *args, **kwargs)
