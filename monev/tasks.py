"""Background work of monev (django-tasks), enqueued by the scheduler:
settings.ADUAN_SCHEDULE["monev-monthly-recap"] (daily at 06:00),
["monev-warm-dashboard"] (every ADUAN_MONEV_WARM_MINUTES) and ["monev-rollup-catch-up"]
(every ADUAN_MONEV_CATCH_UP_MINUTES); and by the events' commits (monev/receivers.py)."""

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from core import queues
from monev import dashboard, mailing, rollup

logger = logging.getLogger(__name__)


@task(queue_name=queues.MONEV)
def send_monthly_recap() -> int:
    """On the first day of a month, queue last month's recap email to every executive
    (monev.mailing.send_monthly_recap); other days nothing. Returns how many were queued."""
    queued = mailing.send_monthly_recap()
    if queued:
        logger.info("Queued %d monthly monev recap email(s)", queued)
    return queued


@task(queue_name=queues.MONEV)
def warm_dashboard() -> list[str]:
    """Rebuild the most-opened monev boards before their cache runs out, so nobody waits for
    a cold build (dashboard.warm). Returns what was rebuilt."""
    rebuilt = dashboard.warm()
    if rebuilt:
        logger.info("Warmed monev boards: %s", ", ".join(rebuilt))
    return rebuilt


@task(queue_name=queues.MONEV)
def refresh_rollup() -> int:
    """Every report's part of the monev rollup again (the working-day calendar or a
    category's deadlines changed). Idempotent. Returns the number of reports."""
    return rollup.refresh_all()


@task(queue_name=queues.MONEV)
def refresh_reports(report_ids: list[int]) -> int:
    """These reports' part of the monev rollup, after their events' transaction committed
    (monev/receivers.py). Idempotent. Returns the number of reports."""
    rollup.refresh(report_ids)
    return len(report_ids)


@task(queue_name=queues.MONEV)
def refresh_stale_rollup() -> int:
    """The catch-up of lost or failed refresh_reports tasks: the reports with an event in
    the last ADUAN_MONEV_CATCH_UP_HOURS (older than a few minutes, whose task may still be
    queued) whose rollup row counts fewer events than they have. Older gaps:
    ``manage.py rebuild_monev_rollup``. Returns the number refreshed."""
    now = timezone.now()
    since = now - dt.timedelta(hours=settings.ADUAN_MONEV_CATCH_UP_HOURS)
    until = now - dt.timedelta(minutes=settings.ADUAN_MONEV_CATCH_UP_MINUTES)
    refreshed = rollup.refresh_stale(since, until)
    if refreshed:
        logger.warning("Monev rollup: %d report(s) refreshed by the catch-up (their task was lost)", refreshed)
    return refreshed
