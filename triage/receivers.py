"""From report events to triage (reports.signals.event_recorded, sent after the commit):
a new report from any channel gets its suggestions and urgency flag and its likely
duplicates stored, by a background task (tasks.triage_new_report), so the resident's
submission does not wait for them; a verification, reclassification or disposition
records whether the coordinator kept the suggestion (reading the report first if no worker
has yet); a change of the report's place or words (a new kelurahan, the other system's
edit of an imported report) or its reopening (an objection) stores its likely duplicates
again, in the background too. When a task cannot be enqueued, the work is done at once.
Reports submitted in bulk (the SP4N-LAPOR! import: ``submitted`` events with
``data["bulk"]``) are triaged together instead, by a background task enqueued once per
bulk submission (reports.signals.reports_submitted).
A failure is logged, never raised: the report it concerns is already stored."""

import logging

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reports.models import Report
from reports.signals import event_recorded, reports_submitted
from triage import actions, tasks
from triage.models import KeywordRule, ReportTriage

logger = logging.getLogger(__name__)


# What the duplicate finder reads of a report (duplicate_score.Side): its words and place.
DUPLICATE_FIELDS = {"title", "description", "address", "region", "latitude", "longitude"}


def changes_duplicates(event) -> bool:
    """Whether ``event`` changed what the duplicate finder reads of its report, or made
    it open again."""
    data = event.data or {}
    if event.action in ("verified", "classified"):
        return "region" in (data.get("changes") or {})
    if event.action.endswith("_updated"):
        return bool(DUPLICATE_FIELDS & set(data.get("fields") or ()))
    return event.action == "objection_filed"


def _in_background(task, report, now):
    """Enqueue ``task`` for ``report``; do ``now(report)`` instead when the queue refuses."""
    try:
        task.enqueue(report.pk)
    except Exception:
        logger.exception("Could not enqueue %s for report %s; doing it now", task.name, report.pk)
        now(report)


@receiver(event_recorded, dispatch_uid="triage.on_event_recorded")
def on_event_recorded(sender, event, **kwargs):
    try:
        if event.action == "submitted":
            if not (event.data or {}).get("bulk"):
                _in_background(tasks.triage_new_report, event.report, lambda r: actions.read_new_report(r.pk))
        elif event.action in ("verified", "classified"):
            # The decision is measured against the suggestions: read the report first if
            # no worker has yet.
            actions.ensure_triaged(event.report)
            actions.record_category_decision(event.report, actor=event.actor)
        elif event.action == "disposed":
            actions.ensure_triaged(event.report)
            actions.record_agency_decision(event.report, actor=event.actor)
        if changes_duplicates(event):
            _in_background(tasks.refresh_duplicates, event.report, actions.refresh_duplicates)
    except Exception:
        logger.exception("Triage for event %s failed", event.pk)


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
