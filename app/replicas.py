"""Public reads on a streaming replica (REPLICA_DATABASE_URL), everything else on the primary.

A statement goes to the replica only when all of these hold: the request is a GET or HEAD of a public reading
page or API (PUBLIC_READ_BLUEPRINTS: never the report flow, whose receipt is read right after the reporter's own
write, never moderation, sign-in or admin), nobody is signed in, the statement is a SELECT, the session is not
flushing, and the replica answered its health check within the last second with a replay lag of at most
REPLICA_MAX_LAG_S. Otherwise, and whenever the replica is down, the primary answers: a reader never waits for it.
"""

import threading
import time

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request, session
from flask_sqlalchemy.session import Session
from sqlalchemy.sql.selectable import CompoundSelect, Select

PUBLIC_READ_BLUEPRINTS = frozenset(
    {"maps", "tiles", "cameras", "camera_list", "municipalities", "feeds", "opendata", "pages", "api"}
)
CHECK_EVERY_SECONDS = 1.0
_LAG = sa.text(
    "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE coalesce(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


class _Replica:
    """The replica's engine and its last health check, per app and process."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(
            url, pool_pre_ping=True, hide_parameters=True, connect_args={"connect_timeout": 2}, pool_timeout=2
        )
        self.lock = threading.Lock()
        self.checked = 0.0
        self.lag: float | None = None  # None: not reachable, or not a replica

    def usable(self, max_lag: float) -> bool:
        now = time.monotonic()
        if now - self.checked >= CHECK_EVERY_SECONDS:
            with self.lock:
                if now - self.checked >= CHECK_EVERY_SECONDS:
                    self.lag = self._measure()
                    self.checked = time.monotonic()
        return self.lag is not None and self.lag <= max_lag

    def _measure(self) -> float | None:
        try:
            with self.engine.connect() as connection:
                in_recovery, lag = connection.execute(_LAG).one()
        except sa.exc.SQLAlchemyError:
            return None
        return float(lag) if in_recovery else None


def replica():
    """This app's replica (None when REPLICA_DATABASE_URL is not set)."""
    url = current_app.config.get("REPLICA_DATABASE_URL")
    if not url:
        return None
    replicas = current_app.extensions.setdefault("replicas", {})
    if url not in replicas:
        replicas[url] = _Replica(url)
    return replicas[url]


def request_reads_from_replica() -> bool:
    """Whether this request's reads may come from the replica (decided once per request)."""
    if not has_request_context():
        return False
    decided = g.get("_reads_from_replica")
    if decided is None:
        target = replica()
        decided = bool(
            target is not None
            and request.method in ("GET", "HEAD")
            and request.blueprint in PUBLIC_READ_BLUEPRINTS
            and "_user_id" not in session  # a signed-in moderator reads what they just did
            and target.usable(current_app.config["REPLICA_MAX_LAG_S"])
        )
        g._reads_from_replica = decided
    return decided


def _is_read(clause) -> bool:
    if isinstance(clause, Select | CompoundSelect):
        return True
    if isinstance(clause, sa.TextClause):
        return clause.text.lstrip().upper().startswith("SELECT")
    return False


class RoutingSession(Session):
    """Flask-SQLAlchemy's session, sending public reads to the replica when it is healthy."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and not self._flushing and _is_read(clause) and request_reads_from_replica():
            return replica().engine
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
