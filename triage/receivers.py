"""From report events to triage (reports.signals.event_recorded, sent after the commit):
a new report from any channel gets its suggestions and urgency flag; a verification,
reclassification or disposition records whether the coordinator kept the suggestion.
A failure is logged, never raised: the report it concerns is already stored."""

import logging

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from reports.signals import event_recorded
from triage import actions
from triage.models import KeywordRule

logger = logging.getLogger(__name__)


@receiver(event_recorded, dispatch_uid="triage.on_event_recorded")
def on_event_recorded(sender, event, **kwargs):
    try:
        if event.action == "submitted":
            actions.triage_report(event.report)
        elif event.action in ("verified", "classified"):
            actions.record_category_decision(event.report, actor=event.actor)
        elif event.action == "disposed":
            actions.record_agency_decision(event.report, actor=event.actor)
    except Exception:
        logger.exception("Triage for event %s failed", event.pk)


# An edit in this process applies at once; other processes pick it up within RULES_TTL.
post_save.connect(actions.forget_keyword_rules, sender=KeywordRule, dispatch_uid="triage.rules_saved")
post_delete.connect(actions.forget_keyword_rules, sender=KeywordRule, dispatch_uid="triage.rules_deleted")
