"""The rollup follows the events (monev/rollup.py).

A saved ReportEvent refreshes its report's cells inside the transaction that saves it (a
model signal, sent before the commit, unlike reports.signals.event_recorded), so a
rolled-back change never reaches the rollup and a committed one is never left behind.
Reports submitted in bulk (the LAPOR! import) are refreshed together, in their batch's
transaction too (reports.signals.reports_written); their events' signals are passed over.
A change of the working-day calendar or of a category's deadlines (working days and
on-time shares) refreshes every report in a task on the monev queue.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from core.models import CalendarEntry
from monev import rollup, tasks
from reports.models import Category, Report, ReportEvent
from reports.signals import reports_written


@receiver(post_save, sender=ReportEvent, dispatch_uid="monev-rollup-event")
def event_saved(sender, instance, created, raw=False, bulk=False, **kwargs):
    if not raw and not bulk:
        rollup.refresh([instance.report_id])


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
