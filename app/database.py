"""Reading one row or refusing with a 404 in the reader's language: the lookup every service uses."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection, select
from sqlalchemy.orm.exc import StaleDataError

from app.errors import Conflict, NotFound
from app.extensions import db
from app.models import ApiToken, Camera, Municipality, Photo, Sighting, User

Row = TypeVar("Row")
P = ParamSpec("P")
R = TypeVar("R")

# What a visitor reads when a row does not exist, per model.
MISSING = {
    ApiToken: _l("There is no such token."),
    Camera: _l("There is no camera with this number."),
    Municipality: _l("There is no municipality with this code."),
    Photo: _l("There is no such photo."),
    Sighting: _l("There is no such sighting."),
    User: _l("There is no such account."),
}


def get_or_404(
    model: type[Row], ident: int | None = None, *, lock: bool = False, fresh: bool = False, **by: Any
) -> Row:
    """The row with this primary key (or these column values, `code="70017"`), else NotFound.

    `lock` takes a row lock until the commit (SELECT ... FOR UPDATE); `fresh` re-reads a row this session already
    holds, so a decision checks what the database has now, not what the session read earlier.
    """
    if ident is not None:
        row = db.session.get(model, ident, with_for_update=lock or None, populate_existing=fresh or lock)
    else:
        query = select(model).filter_by(**by)
        if lock:
            query = query.with_for_update()
        row = db.session.scalar(query.execution_options(populate_existing=fresh or lock))
    if row is None:
        raise NotFound(str(MISSING.get(model, _l("This does not exist."))))
    return row


def stale_is_conflict(conflict: Callable[[], Conflict]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A service whose UPDATE matched no row of the version it read (another user changed it meanwhile, the
    optimistic lock of `version_id_col`) rolls back and raises `conflict()`, in the reader's language."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @wraps(service)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return service(*args, **kwargs)
            except StaleDataError as error:
                db.session.rollback()
                raise conflict() from error

        return wrapped

    return decorate


@contextmanager
def autocommit_connection() -> Iterator[Connection]:
    """A connection of the primary outside any transaction, for a statement that only reads and is complete on its
    own: no BEGIN and no ROLLBACK, two of the four round trips a session's first read costs (the camera tiles).

    A bind that is already a connection (a caller's open transaction, as the test suite's) is used as it is.
    """
    bind = db.engines[None]
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection
