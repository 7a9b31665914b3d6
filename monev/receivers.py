"""The rollup follows the events (monev/rollup.py).

A saved ReportEvent has its report's cells refreshed by a task on the ``monev`` queue
(tasks.refresh_reports), so the request that records it (a resident's submission above
all) does not wait for the rollup: with the database task backend the task's row is
written in the event's own transaction (it commits with the event or not at all), with
RQ it is enqueued when the transaction commits; a rolled-back change never reaches the
rollup. One task per report per transaction. When the queue refuses the task after the
commit, the refresh is done at once; when a task is lost or fails, the scheduler's
catch-up (tasks.refresh_stale_rollup) refreshes every report whose events outnumber what
its rollup row was computed from. A refresh is idempotent: a report refreshed twice, or
in any order, gives the same cells. ``settings.ADUAN_MONEV_ROLLUP_INLINE`` refreshes
inside the event's transaction instead (the tests' setting: their transactions never
commit). Reports submitted in bulk (the LAPOR! import) are refreshed together, in their
batch's transaction (reports.signals.reports_written); their events' signals are passed
over. A change of the working-day calendar or of a category's deadlines (working days
and on-time shares) refreshes every report in a task on the monev queue.
"""

import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django_tasks_db import DatabaseBackend

from core.models import CalendarEntry
from monev import rollup, tasks
from reports.models import Category, Report, ReportEvent
from reports.signals import reports_written

logger = logging.getLogger(__name__)


@receiver(post_save, sender=ReportEvent, dispatch_uid="monev-rollup-event")
def event_saved(sender, instance, created, raw=False, bulk=False, **kwargs):
    if raw or bulk:
        return
    if settings.ADUAN_MONEV_ROLLUP_INLINE:
        rollup.refresh([instance.report_id])
    else:
        refresh_after_commit(instance.report_id)


class _Pending:
    """The on-commit callback of one transaction: the reports whose events it saved.
    ``enqueued``: their task is already written (the database backend), nothing to do."""

    def __init__(self, enqueued):
        self.ids = set()
        self.enqueued = enqueued

    def __call__(self):
        if self.enqueued:
            return
        ids = sorted(self.ids)
        try:
            tasks.refresh_reports.enqueue(ids)
        except Exception:
            logger.exception("Could not enqueue the monev refresh of report(s) %s; refreshing now", ids)
            try:
                rollup.refresh(ids)
            except Exception:
                logger.exception("Monev refresh of report(s) %s failed; the catch-up will do it", ids)


def refresh_after_commit(report_id) -> None:
    """Have the report's cells refreshed once this transaction commits: one task for each
    report, however many of its events the transaction saved. With the database task
    backend the task's row is written now, in the event's own transaction (it commits with
    the event or not at all, and costs no commit of its own: a resident's submission
    would otherwise wait for a second WAL flush); with another backend (RQ) the task is
    enqueued after the commit, for all the transaction's reports at once."""
    pending = None
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _Pending):
                pending = callback
                break
    in_transaction = isinstance(tasks.refresh_reports.get_backend(), DatabaseBackend)
    if pending is not None and report_id in pending.ids:
        return
    if pending is None:
        pending = _Pending(enqueued=in_transaction)
        # robust: the change is committed whatever happens to its refresh (and __call__ logs).
        transaction.on_commit(pending, robust=True)
    pending.ids.add(report_id)
    if in_transaction:
        tasks.refresh_reports.enqueue([report_id])


@receiver(reports_written, dispatch_uid="monev-rollup-bulk")
def bulk_written(sender, reports, **kwargs):
    rollup.refresh([report.pk for report in reports])


@receiver(pre_delete, sender=Report, dispatch_uid="monev-rollup-report-deleted")
def report_deleted(sender, instance, **kwargs):
    rollup.forget(instance.pk)


@receiver([post_save, post_delete], sender=CalendarEntry, dispatch_uid="monev-rollup-calendar")
def calendar_changed(sender, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(tasks.refresh_rollup.enqueue)


@receiver(post_save, sender=Category, dispatch_uid="monev-rollup-category")
def category_changed(sender, created, raw=False, **kwargs):
    if not raw and not created:
        transaction.on_commit(tasks.refresh_rollup.enqueue)
