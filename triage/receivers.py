"""From report events to triage. Inside the event's transaction
(reports.signals.event_written) the work it calls for is written down as TriageJob rows
(triage/jobs.py), so the change is never stored without it; after the commit it is done
(with the database queue, the background task's row is written in the transaction too):
a new report from any channel gets its suggestions, urgency flag and likely duplicates by a
background task (tasks.triage_new_report), so the resident's submission does not wait for
them; a verification, reclassification or disposition records at once whether the
coordinator kept the suggestion (reading the report first if no worker has yet), an
archive as a duplicate (from any page or the API) the coordinator's word that the pair is
the same problem (DuplicateDecision); a change of the report's place or words (a new
kelurahan, the other system's edit of an imported report) or its reopening (an
objection) stores its likely duplicates again, in the
background too. When a task cannot be enqueued, the work is done at once; when the
after-commit work is lost altogether (the database cut just after the commit, a dead
process), the scheduler's sweep does it from the rows (tasks.run_stranded_jobs).
Reports submitted in bulk (the SP4N-LAPOR! import: ``submitted`` events with
``data["bulk"]``) are triaged together instead, by a background task enqueued once per
bulk submission (reports.signals.reports_submitted).
A failure is logged, never raised: the report it concerns is already stored."""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tasks_db import DatabaseBackend

from reports.models import Report
from reports.signals import contained, event_written, reports_submitted
from triage import actions, jobs, tasks
from triage.models import KeywordRule, ReportTriage, TriageJob

logger = logging.getLogger(__name__)

Kind = TriageJob.Kind
# The task that does each kind of work in the background.
BACKGROUND = {Kind.READ: "triage_new_report", Kind.DUPLICATES: "refresh_duplicates"}


@receiver(event_written, dispatch_uid="triage.on_event_written")
def on_event_written(sender, event, **kwargs):
    """Inside the event's transaction: the rows (one INSERT, no savepoint: a database
    error there fails the change with them, both or neither; a bug before it is logged,
    see reports.signals.contained). The work after the commit."""
    if not jobs.kinds_for(event):
        return  # most events (and a bulk import's): no query
    written = []
    with contained(logger, "Triage for event %s not written", event.pk, savepoint=False):
        written = jobs.write(event)
    if written:
        kinds = list(dict.fromkeys(job.kind for job in written))
        if _queued_in_transaction():
            # The database queue: the task's row commits with the event (no commit of its
            # own after it: a resident's submission would wait for a second WAL flush).
            for kind in [kind for kind in kinds if kind in BACKGROUND]:
                getattr(tasks, BACKGROUND[kind]).enqueue(event.report_id)
                kinds.remove(kind)
        if kinds:
            transaction.on_commit(partial(after_commit, event.report_id, kinds, event.actor))


def _queued_in_transaction() -> bool:
    return isinstance(tasks.triage_new_report.get_backend(), DatabaseBackend)


def after_commit(report_id, kinds, actor):
    for kind in kinds:
        try:
            if kind in BACKGROUND:
                _in_background(getattr(tasks, BACKGROUND[kind]), report_id, kind)
            else:
                jobs.perform(report_id, kind, actor=actor)
        except Exception:
            logger.exception("Triage (%s) of report %s failed; the sweep will do it", kind, report_id)


def _in_background(task, report_id, kind):
    """Enqueue ``task`` for the report; do the work now instead when the queue refuses."""
    try:
        task.enqueue(report_id)
    except Exception:
        logger.exception("Could not enqueue %s for report %s; doing it now", task.name, report_id)
        jobs.perform(report_id, kind)


@receiver(reports_submitted, dispatch_uid="triage.on_reports_submitted")
def on_reports_submitted(sender, reports, **kwargs):
    ids = [report.pk for report in reports]
    try:
        tasks.triage_new_reports.enqueue(ids)
    except Exception:
        logger.exception("Could not enqueue the triage of %d report(s); triaging them now", len(ids))
        try:
            actions.triage_reports(ids)
        except Exception:
            logger.exception("Triage of %d report(s) failed", len(ids))


def copy_urgency(sender, instance, **kwargs):
    """Keep Report.is_urgent (the queue's order, issue 21) equal to the flag of the report's
    triage row, whoever saves or deletes it (triage_report, a test, a shell); the bulk read
    (actions.triage_reports) copies its flags itself."""
    urgent = instance.is_urgent if kwargs.get("signal") is post_save else False
    Report.objects.filter(pk=instance.report_id).update(is_urgent=urgent)


post_save.connect(copy_urgency, sender=ReportTriage, dispatch_uid="triage.urgency_saved")
post_delete.connect(copy_urgency, sender=ReportTriage, dispatch_uid="triage.urgency_deleted")
# An edit in this process applies at once; other processes pick it up within RULES_TTL.
post_save.connect(actions.forget_keyword_rules, sender=KeywordRule, dispatch_uid="triage.rules_saved")
post_delete.connect(actions.forget_keyword_rules, sender=KeywordRule, dispatch_uid="triage.rules_deleted")
