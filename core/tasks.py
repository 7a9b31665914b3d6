"""The task queue's own upkeep.

A worker killed in the middle of a task (an out-of-memory kill, a machine lost) leaves the
task marked running in the database for ever: django-tasks-db has no heartbeat. The sweep
gives such a task back to the queue once it has run for longer than any task should
(ADUAN_TASK_ABANDONED_MINUTES), so another worker picks it up. Every task of Aduan may run
again: each checks the state it works on first (an import job's state, an outbox message's
claim, a message already handled), so a second run does nothing twice.

With RQ (ADUAN_TASKS_BACKEND=rq) Redis Queue's own registries do this: a job whose worker
stopped sending its heartbeat is moved out of the started registry by the next worker.

Every action enqueues at least one task (the monev refresh, triage, notifications), so the
database queue's finished rows are pruned daily: successful ones after
ADUAN_TASK_KEEP_DAYS, failed ones (kept for looking into) after ADUAN_TASK_KEEP_FAILED_DAYS.
RQ expires its results itself.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from core import queues

log = logging.getLogger(__name__)


@task(queue_name=queues.DEFAULT)
def requeue_abandoned_tasks() -> int:
    """Put tasks left running by a dead worker back in the queue; answers how many."""
    return requeue_abandoned()


def _database_queue() -> bool:
    from django_tasks import task_backends

    return type(task_backends["default"]).__module__.startswith("django_tasks_db")


def requeue_abandoned(now=None) -> int:
    if not _database_queue():
        return 0
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.ADUAN_TASK_ABANDONED_MINUTES)
    abandoned = DBTaskResult.objects.filter(Q(started_at__lt=cutoff) | Q(started_at__isnull=True), status="RUNNING")
    paths = list(abandoned.values_list("task_path", flat=True)[:100])
    count = abandoned.update(status="READY", started_at=None)
    if count:
        log.warning("abandoned tasks put back in the queue", extra={"count": count, "tasks": sorted(set(paths))})
    return count


@task(queue_name=queues.DEFAULT)
def prune_finished_tasks() -> int:
    """Delete the database queue's old finished rows (daily); answers how many."""
    return prune_finished()


def prune_finished(now=None) -> int:
    if not _database_queue():
        return 0
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    done_before = now - dt.timedelta(days=settings.ADUAN_TASK_KEEP_DAYS)
    failed_before = now - dt.timedelta(days=settings.ADUAN_TASK_KEEP_FAILED_DAYS)
    old = DBTaskResult.objects.filter(
        Q(status="SUCCESSFUL", finished_at__lt=done_before) | Q(status="FAILED", finished_at__lt=failed_before)
    )
    count, _ = old.delete()
    if count:
        log.info("finished tasks pruned", extra={"count": count})
    return count
