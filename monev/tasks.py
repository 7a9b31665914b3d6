"""Background work of monev (django-tasks), enqueued by the scheduler
(settings.ADUAN_SCHEDULE["monev-monthly-recap"], daily at 06:00)."""

import logging

from django_tasks import task

from monev import mailing

logger = logging.getLogger(__name__)


@task()
def send_monthly_recap() -> int:
    """On the first day of a month, queue last month's recap email to every executive
    (monev.mailing.send_monthly_recap); other days nothing. Returns how many were queued."""
    queued = mailing.send_monthly_recap()
    if queued:
        logger.info("Queued %d monthly monev recap email(s)", queued)
    return queued
