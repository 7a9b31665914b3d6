"""Reads of the read-mostly pages from a PostgreSQL streaming replica (issue 21).

With ``ADUAN_DB_REPLICA_URL`` set, settings add a ``replica`` database and this module decides,
per request, where reads go:

- ``ReplicaReadsMiddleware`` marks a request as one that may read from the replica when it is a
  GET or HEAD for a view in one of ``ADUAN_DB_REPLICA_NAMESPACES`` (the public portal,
  transparency, monev, Open311) or a view decorated with ``replica_reads`` (the exports), the
  client has not written in the last ``ADUAN_DB_STICKY_SECONDS`` (a cookie pins it to the
  primary: read-your-writes) and the replica is healthy: reachable, still a standby, and no
  further behind than ``ADUAN_DB_REPLICA_MAX_LAG_SECONDS``.
- ``ReplicaRouter`` sends that request's reads to the replica, until the request writes
  anything: from then on its reads go to the primary too. Every write goes to the primary,
  always; nothing migrates the replica.

The decision is taken once per request, so a page never mixes the two. The replica's health is
asked at most every ``ADUAN_DB_REPLICA_CHECK_SECONDS`` per process (one small query), so it
costs nothing per query. Outside a request (tasks, commands, the shell) nothing changes: every
read goes to the primary.
"""

import contextlib
import contextvars
import dataclasses
import logging
import math
import threading
import time

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "aduan_primary"
SAFE_METHODS = ("GET", "HEAD")


@dataclasses.dataclass
class _Routing:
    use_replica: bool = False
    wrote: bool = False


_routing: contextvars.ContextVar[_Routing | None] = contextvars.ContextVar("aduan_db_routing", default=None)


def replica_configured() -> bool:
    return bool(settings.ADUAN_DB_REPLICA_URL) and REPLICA in settings.DATABASES


# ---------------------------------------------------------------- health


@dataclasses.dataclass(frozen=True)
class ReplicaState:
    state: str  # "off", "ok", "lagging", "down" or "not a standby"
    lag: float | None = None  # seconds behind the primary; 0 when it has replayed all it received

    @property
    def usable(self) -> bool:
        return self.state == "ok"


_HEALTH_QUERY = """
SELECT pg_is_in_recovery(),
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming'),
       COALESCE(pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(), false),
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float
"""
_cached: tuple[float, ReplicaState] | None = None
_cache_lock = threading.Lock()


def _ask_replica() -> ReplicaState:
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(_HEALTH_QUERY)
            in_recovery, streaming, caught_up, since_replay = cursor.fetchone()
    except Exception as error:  # down, refusing, or gone mid-way: the primary serves
        log.warning("read replica unreachable", extra={"error": str(error)})
        with contextlib.suppress(Exception):
            connection.close()
        return ReplicaState("down")
    if not in_recovery:  # promoted: a database of its own now, no longer following the primary
        return ReplicaState("not a standby")
    # Streaming and everything received replayed: as fresh as the primary (an idle primary
    # commits nothing, so the time since the last replayed transaction would grow for nothing).
    # Otherwise the time since the last transaction it replayed is how far behind it is.
    if streaming and caught_up:
        lag = 0.0
    else:
        lag = since_replay if since_replay is not None else math.inf
    state = "ok" if lag <= settings.ADUAN_DB_REPLICA_MAX_LAG_SECONDS else "lagging"
    return ReplicaState(state, lag)


def replica_state(fresh: bool = False) -> ReplicaState:
    """The replica's state, asked again when the last answer is older than
    ADUAN_DB_REPLICA_CHECK_SECONDS (or ``fresh``)."""
    global _cached
    if not replica_configured():
        return ReplicaState("off")
    now = time.monotonic()
    cached = _cached
    if not fresh and cached is not None and now - cached[0] < settings.ADUAN_DB_REPLICA_CHECK_SECONDS:
        return cached[1]
    with _cache_lock:
        state = _ask_replica()
        _cached = (time.monotonic(), state)
    if not state.usable:
        log.info("reads stay on the primary", extra={"replica": state.state, "lag": state.lag})
    return state


def forget_replica_state():
    """Drop the cached answer, so the next request asks the replica again (tests, /readyz)."""
    global _cached
    _cached = None


# ---------------------------------------------------------------- which views


def replica_reads(view):
    """Marks a view outside ADUAN_DB_REPLICA_NAMESPACES whose GET may read from the replica."""
    view.replica_reads = True
    return view


def _pinned(request) -> bool:
    """Whether the client wrote less than ADUAN_DB_STICKY_SECONDS ago: the cookie holds the end
    of its window (checked here too, whatever the client does with the cookie's max-age)."""
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time() * 1000
    except ValueError:
        return True  # a cookie we did not write: the primary, which is always right


def _eligible(request, view_func) -> bool:
    if request.method not in SAFE_METHODS or _pinned(request):
        return False
    if getattr(view_func, "replica_reads", False):
        return True
    match = getattr(request, "resolver_match", None)
    namespaces = set(match.namespaces) if match else set()
    return bool(namespaces & set(settings.ADUAN_DB_REPLICA_NAMESPACES))


class ReplicaReadsMiddleware:
    """Decides where a request reads (see the module's docstring) and pins a client that
    wrote to the primary for ADUAN_DB_STICKY_SECONDS. Placed before the session middleware,
    so that a session saved on the way out counts as a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        routing = _Routing()
        _routing.set(routing)
        try:
            response = self.get_response(request)
        except BaseException:
            _routing.set(None)
            raise
        if routing.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                str(int((time.time() + settings.ADUAN_DB_STICKY_SECONDS) * 1000)),
                max_age=settings.ADUAN_DB_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        if not response.streaming:  # a streamed body still reads: request_finished ends it
            _routing.set(None)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        routing = _routing.get()
        if routing is not None and not routing.wrote and _eligible(request, view_func):
            routing.use_replica = replica_state().usable
        return None


def _request_finished(**kwargs):
    _routing.set(None)


request_finished.connect(_request_finished, dispatch_uid="core.dbrouter.request_finished")


def reading_from_replica() -> bool:
    """Whether the current request's reads go to the replica now."""
    routing = _routing.get()
    return bool(routing and routing.use_replica and not routing.wrote)


# ---------------------------------------------------------------- the router


class ReplicaRouter:
    """DATABASE_ROUTERS' one router. Without a routing decision (no replica, or outside a
    request) it leaves Django's choice as it was."""

    def db_for_read(self, model, **hints):
        routing = _routing.get()
        if routing is None:
            return None
        if routing.use_replica and not routing.wrote:
            return REPLICA
        return DEFAULT_DB_ALIAS  # also for an object read from the replica before a write

    def db_for_write(self, model, **hints):
        routing = _routing.get()
        if routing is not None:
            routing.wrote = True
        return DEFAULT_DB_ALIAS  # never the replica, even for an object read from it

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
