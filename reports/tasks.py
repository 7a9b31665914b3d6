"""Background work of reports (django-tasks), enqueued by the scheduler (core/scheduler.py,
settings.ADUAN_SCHEDULE) and run by the task workers."""

import logging

from django_tasks import task

from reports import actions

logger = logging.getLogger(__name__)


@task()
def close_resolved_reports() -> int:
    """Close every resolved report whose reporter stayed silent for 10 working days
    (actions.auto_close_due_reports; daily at 01:00). Returns how many were closed."""
    closed = actions.auto_close_due_reports()
    logger.info("Closed %d resolved report(s) automatically", closed)
    return closed
