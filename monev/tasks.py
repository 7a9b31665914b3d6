"""Background work of monev (django-tasks), enqueued by the scheduler:
settings.ADUAN_SCHEDULE["monev-monthly-recap"] (daily at 06:00) and
["monev-warm-dashboard"] (every ADUAN_MONEV_WARM_MINUTES)."""

import logging

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
