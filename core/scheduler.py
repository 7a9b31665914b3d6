"""The scheduler: enqueue the periodic jobs of ``settings.ADUAN_SCHEDULE`` when they are due.

Exactly one process should run it (``manage.py run_scheduler``, bin/scheduler); the work
itself runs in the task workers. It stays correct when a second one is started by mistake
or when it restarts, because every job has a ScheduledJob row and a pass:

1. reads the rows of the schedule's jobs (creating missing ones; a row whose schedule was
   edited gets a fresh next run);
2. for each job whose ``next_run_at`` has come, moves ``next_run_at`` to the following run
   with a compare-and-swap update (``filter(next_run_at=<what it read>)``): only the process
   whose update changed the row owns this run;
3. enqueues the job's task in the same transaction (with the database backend the task row
   commits with the claim; with RQ a failed enqueue rolls the claim back, so the next pass
   tries again) and records the task id.

A run missed while no scheduler was running is made up once, not once per missed period.
"""

import datetime as dt
import inspect
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from core.models import ScheduledJob

logger = logging.getLogger(__name__)

AT_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
MAX_SLEEP = 30.0  # seconds: an edited clock or a new row is noticed within this time


class ScheduleError(ImproperlyConfigured):
    pass


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str
    task: Task
    every: dt.timedelta | None = None
    at: dt.time | None = None

    @property
    def spec(self) -> str:
        if self.every is not None:
            return f"every {int(self.every.total_seconds() // 60)} min"
        return f"at {self.at:%H:%M}"

    def first_run(self, now: dt.datetime) -> dt.datetime:
        """When a job the scheduler has never seen runs first: an interval job at once, a
        daily job at its next time."""
        return now if self.every is not None else self.next_run(now)

    def next_run(self, now: dt.datetime) -> dt.datetime:
        """The run after ``now``: ``every`` minutes later, or the next ``at`` in local time."""
        if self.every is not None:
            return now + self.every
        local = timezone.localtime(now)
        day = local.date()
        candidate = dt.datetime.combine(day, self.at, tzinfo=local.tzinfo)
        if candidate <= local:
            candidate = dt.datetime.combine(day + dt.timedelta(days=1), self.at, tzinfo=local.tzinfo)
        return candidate


def load(schedule=None) -> list[Job]:
    """The schedule's jobs, or ScheduleError naming the first bad entry and what is wrong."""
    schedule = settings.ADUAN_SCHEDULE if schedule is None else schedule
    if not isinstance(schedule, dict):
        raise ScheduleError("ADUAN_SCHEDULE must be a dict of name -> {'task': ..., 'every'|'at': ...}")
    return [_job(name, entry) for name, entry in schedule.items()]


def _job(name, entry) -> Job:
    where = f"ADUAN_SCHEDULE[{name!r}]"
    if not isinstance(name, str) or not name or len(name) > 100:
        raise ScheduleError(f"{where}: the name must be a string of 1 to 100 characters")
    if not isinstance(entry, dict):
        raise ScheduleError(f"{where}: must be a dict with 'task' and either 'every' or 'at'")
    unknown = set(entry) - {"task", "every", "at"}
    if unknown:
        raise ScheduleError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if ("every" in entry) == ("at" in entry):
        raise ScheduleError(f"{where}: give exactly one of 'every' (minutes) or 'at' ('HH:MM')")
    path = entry.get("task")
    if not isinstance(path, str) or not path:
        raise ScheduleError(f"{where}: 'task' must be the dotted path of a task")
    try:
        task = import_string(path)
    except ImportError as exc:
        raise ScheduleError(f"{where}: task {path!r} cannot be imported ({exc})") from None
    if not isinstance(task, Task):
        raise ScheduleError(f"{where}: {path!r} is not a task (decorate it with django_tasks.task)")
    required = [
        p
        for p in inspect.signature(task.func).parameters.values()
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    if task.takes_context:
        required = required[1:]
    if required:
        raise ScheduleError(f"{where}: task {path!r} must take no arguments (it needs {required[0].name!r})")
    if "every" in entry:
        every = entry["every"]
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ScheduleError(f"{where}: 'every' must be a whole number of minutes, 1 or more (got {every!r})")
        return Job(name, path, task, every=dt.timedelta(minutes=every))
    at = entry["at"]
    match = AT_RE.match(at) if isinstance(at, str) else None
    if not match:
        raise ScheduleError(f"{where}: 'at' must be a local time 'HH:MM' from 00:00 to 23:59 (got {at!r})")
    return Job(name, path, task, at=dt.time(int(match.group(1)), int(match.group(2))))


@checks.register()
def check_schedule(app_configs=None, **kwargs):
    """``manage.py check`` (run by bin/run-production) reports a bad schedule before deploying."""
    try:
        load()
    except ScheduleError as exc:
        return [checks.Error(str(exc), id="core.E001")]
    return []


@dataclass(frozen=True)
class Enqueued:
    job: str
    task_id: str
    scheduled_for: dt.datetime


def run_pending(jobs: list[Job], now: dt.datetime | None = None) -> list[Enqueued]:
    """One pass: enqueue every due job once (see the module docstring for the steps)."""
    now = now or timezone.now()
    rows = _rows(jobs, now)
    enqueued = []
    for job in jobs:
        row = rows[job.name]
        if row.next_run_at > now:
            continue
        try:
            with transaction.atomic():
                claimed = ScheduledJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
                    next_run_at=job.next_run(now), last_run_at=now
                )
                if not claimed:
                    logger.info("Scheduler: %s was already enqueued by another scheduler", job.name)
                    continue
                result = job.task.enqueue()
                ScheduledJob.objects.filter(pk=row.pk).update(last_task_id=str(result.id)[:64])
        except Exception:
            # The claim is rolled back: the run stays due for the next pass; other jobs go on.
            logger.exception("Scheduler: enqueuing %s (%s) failed; retrying on the next pass", job.name, job.task_path)
            continue
        logger.info(
            "Scheduler: enqueued %s (%s, %s), task %s",
            job.name,
            job.task_path,
            job.spec,
            result.id,
            extra={"job": job.name, "task_id": str(result.id)},
        )
        enqueued.append(Enqueued(job.name, str(result.id), row.next_run_at))
    return enqueued


def _rows(jobs, now) -> dict[str, ScheduledJob]:
    rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=[job.name for job in jobs])}
    for job in jobs:
        row = rows.get(job.name)
        if row is None:
            # A racing scheduler may create it first: then take its row.
            row, _ = ScheduledJob.objects.get_or_create(
                name=job.name,
                defaults={"task_path": job.task_path, "spec": job.spec, "next_run_at": job.first_run(now)},
            )
        elif row.spec != job.spec or row.task_path != job.task_path:
            # The schedule was edited: start over from it (compare-and-swap as well, so two
            # schedulers reset it once).
            ScheduledJob.objects.filter(pk=row.pk, spec=row.spec, task_path=row.task_path).update(
                spec=job.spec, task_path=job.task_path, next_run_at=job.first_run(now)
            )
            row.refresh_from_db()
        rows[job.name] = row
    return rows


def seconds_until_next(jobs: list[Job], now: dt.datetime | None = None) -> float:
    """How long the loop may sleep: until the earliest next run, at most MAX_SLEEP."""
    now = now or timezone.now()
    earliest = (
        ScheduledJob.objects.filter(name__in=[job.name for job in jobs])
        .order_by("next_run_at")
        .values_list("next_run_at", flat=True)
        .first()
    )
    if earliest is None:
        return MAX_SLEEP
    return max(0.0, min(MAX_SLEEP, (earliest - now).total_seconds()))
