"""``{% triage_panel report %}`` on the staff report page: urgency, the ranked
suggestions with one-click apply, likely duplicates with one-click merge, and the
reports already merged into this one. Coordinators and executives see it (agencies work
on what was disposed to them, not on triage).

Everything shown is read from rows stored when the report arrived or changed
(triage/tasks.py): the page scores nothing. A report the worker has not read yet is read
on its first view instead; if that fails the panel says there is no suggestion yet."""

import logging

from django import template
from django.db import transaction
from django.db.models import Count, Q

from agencies.roles import staff_profile
from reports import access, workflow
from reports.models import OPEN_STATES
from triage import actions
from triage.duplicates import stored_duplicates
from triage.models import ReportTriage, Suggestion
from triage.urgency import LABELS

logger = logging.getLogger(__name__)
register = template.Library()


def _first_read(report, triage):
    """The read the worker would have made for an open report, made now (ReportTriage
    with its suggestions, then the likely duplicates stored); never an error on the page."""
    try:
        with transaction.atomic():
            triage = triage or actions.ensure_triaged(report)
        with transaction.atomic():
            actions.refresh_duplicates(report)
    except Exception:
        logger.exception("Triage of report %s on its page failed", report.pk)
    return triage


@register.inclusion_tag("triage/_panel.html", takes_context=True)
def triage_panel(context, report):
    user = context["request"].user
    profile = staff_profile(user)
    if not profile.sees_everything:
        return {"show": False}
    try:
        triage = report.triage  # read already for the page's header (the urgency marker)
    except ReportTriage.DoesNotExist:
        triage = None
    is_open = report.status in OPEN_STATES
    if is_open and (triage is None or triage.duplicates_at is None):
        triage = _first_read(report, triage)
    can_act = profile.is_coordinator
    duplicates = []
    if is_open:
        # Read by the report page already when it keeps the panel (workspace/fragments.py).
        duplicates = context.get("triage_duplicates")
        if duplicates is None:
            duplicates = stored_duplicates(report, access.reports_visible_to(user))
    return {
        "show": True,
        "user": user,
        "report": report,
        "triage": triage,
        "urgency_labels": [LABELS.get(code, code) for code in (triage.urgency_reasons if triage else [])],
        # Another government's categories and agencies are never offered (a report
        # referred here keeps the suggestions made where it was first sent).
        "suggestions": list(
            Suggestion.objects.filter(
                Q(category__isnull=True) | Q(category__government_id=report.government_id),
                Q(agency__isnull=True) | Q(agency__government_id=report.government_id),
                report=report,
            ).select_related("category__parent", "agency")
        ),
        "is_coordinator": can_act,
        "can_classify": can_act and report.status in workflow.TRANSITIONS["classify"].sources,
        "can_merge": can_act and report.status in workflow.TRANSITIONS["archive"].sources,
        "duplicates": duplicates,
        "merged": list(
            report.duplicates.filter(government_id=report.government_id)
            .annotate(attachment_count=Count("attachments"))
            .order_by("received_at")
        ),
        "csrf_token": context.get("csrf_token"),
    }
