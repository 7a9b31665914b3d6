"""Background work of apikeys (django-tasks), enqueued by the scheduler (core/scheduler.py,
settings.ADUAN_SCHEDULE) and run by the task workers."""

import logging

from django_tasks import task

from apikeys import actions

logger = logging.getLogger(__name__)


@task()
def prune_uses() -> int:
    """Delete API key use log rows older than actions.USE_LOG_DAYS (daily at 03:00).
    Returns how many were deleted."""
    deleted = actions.prune_uses()
    logger.info("Deleted %d API key use row(s)", deleted)
    return deleted
