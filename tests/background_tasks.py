"""Tiny tasks for the scheduler and task-backend tests, importable by a worker."""

import datetime as dt

from django_tasks import task

from core.models import CalendarEntry


@task()
def tick() -> str:
    """Does nothing; the scheduler tests count how often it was enqueued."""
    return "tick"


@task()
def mark_holiday(day: str, name: str) -> int:
    """Leaves a visible effect in the database: a local holiday on ``day`` (ISO date)."""
    entry = CalendarEntry.objects.create(date=dt.date.fromisoformat(day), name=name)
    return entry.pk


def not_a_task():
    return None


@task()
def needs_an_argument(report_id: int) -> None:
    return None


@task()
def slow_holiday(day: str, name: str, seconds: float) -> int:
    """mark_holiday after a pause, long enough for a test to kill the worker running it."""
    import time

    time.sleep(seconds)
    return CalendarEntry.objects.create(date=dt.date.fromisoformat(day), name=name).pk
