"""What `/readyz` checks before a load balancer sends this process traffic.

Each check answers ``(ok, detail)`` and never raises: the point is to report. The queue's
depth is read from the task backend in use (the database's task table, or Redis Queue's
lists), and the shared cache and the media storage are exercised with a probe, so a
process whose Redis or media volume went away is taken out of rotation.
"""

import logging
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core import dbrouter
from notify.models import OutboxMessage

log = logging.getLogger(__name__)

PROBE_PREFIX = "readyz/"


def _guarded(name, check):
    try:
        return check()
    except Exception as error:  # a failing dependency is an answer, not a crash
        log.warning("readiness check failed", extra={"check": name, "error": str(error)})
        return False, "unreachable"


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, "ok"


def pending_migrations():
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return not plan, len(plan)


def shared_cache():
    """A key written and read back through the configured cache (Redis, the database
    table, or the process's own memory in development)."""
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    found = cache.get(key) == "1"
    cache.delete(key)
    return found, "ok" if found else "not kept"


def media_storage():
    """A small file written and deleted where attachments go (a local folder or S3)."""
    name = default_storage.save(f"{PROBE_PREFIX}{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return True, "ok"


def queue_depth():
    """Tasks waiting to run, counted where the backend in use keeps them."""
    from django_tasks import task_backends

    backend = task_backends["default"]
    if type(backend).__module__.startswith("django_tasks_rq"):
        import django_rq

        return True, sum(django_rq.get_queue(name).count for name in sorted(backend.queues))
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        return True, DBTaskResult.objects.filter(status="READY").count()
    return True, None  # an immediate or dummy backend keeps no queue


def outbox_backlog():
    return True, OutboxMessage.objects.filter(state=OutboxMessage.State.QUEUED).count()


def replica():
    """The read replica's state ("off" without one; "ok", "lagging", "down" or "not a standby")
    and how many seconds it is behind. It never makes the process unready: the primary serves
    every read while the replica cannot."""
    state = dbrouter.replica_state(fresh=True)
    return state.state, (None if state.lag is None or state.lag == float("inf") else round(state.lag, 3))


def report():
    """``(ready, body)``: the database first (nothing else is worth asking without it)."""
    body = {"database": "ok", "pending_migrations": None, "cache": None, "storage": None, "queue": None}
    ok, body["database"] = _guarded("database", database)
    if not ok:
        body.update(queue=None, queue_depth=None, outbox_backlog=None)
        return False, body
    migrated, body["pending_migrations"] = _guarded("migrations", pending_migrations)
    cached, body["cache"] = _guarded("cache", shared_cache)
    stored, body["storage"] = _guarded("storage", media_storage)
    queued, depth = _guarded("queue", queue_depth)
    body["queue"], body["queue_depth"] = ("ok", depth) if queued else ("unreachable", None)
    _, body["outbox_backlog"] = _guarded("outbox", outbox_backlog)
    state, lag = _guarded("replica", replica)
    body["replica"], body["replica_lag_seconds"] = ("down", None) if state is False else (state, lag)
    return migrated and cached and stored and queued, body
