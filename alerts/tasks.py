"""Background work of alerts (django-tasks), enqueued by the scheduler (core/scheduler.py,
settings.ADUAN_SCHEDULE["alerts-daily-digest"]) and run by the task workers."""

import logging

from django_tasks import task

from alerts import actions

logger = logging.getLogger(__name__)


@task()
def send_digests() -> int:
    """The residents' daily digests (alerts.actions.send_digests): at most one message a
    day per subscription, so a second run the same day sends nothing. Returns how many
    were queued."""
    sent = actions.send_digests()
    logger.info("Queued %d alert digest(s)", sent)
    return sent
