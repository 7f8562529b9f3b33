"""gunicorn's access log, minus the requests that belong to a citizen's report.

Log collectors timestamp every line, so a line for `POST /report` or `/report/thanks/<reference>` would tie a
report's reference (and through it, its place) to the exact time it was sent. Those requests are not logged.
"""

from gunicorn.glogging import Logger

UNLOGGED_PREFIXES = ("/report", "/api/v1/sightings", "/api/v1/nearby", "/photos/", "/sw.js", "/manifest.webmanifest")


def is_logged(path: str) -> bool:
    return not path.startswith(UNLOGGED_PREFIXES)


class AccessLogger(Logger):
    def access(self, resp, req, environ, request_time) -> None:
        if is_logged(environ.get("PATH_INFO", "")):
            super().access(resp, req, environ, request_time)
