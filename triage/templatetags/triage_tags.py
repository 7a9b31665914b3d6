"""``{% triage_panel report %}`` on the staff report page: urgency, the ranked
suggestions with one-click apply, likely duplicates with one-click merge, and the
reports already merged into this one. Coordinators and executives see it (agencies work
on what was disposed to them, not on triage)."""

from django import template
from django.db.models import Count

from agencies.roles import staff_profile
from reports import access, workflow
from reports.models import OPEN_STATES
from triage.duplicates import likely_duplicates
from triage.models import ReportTriage, Suggestion
from triage.urgency import LABELS

register = template.Library()


@register.inclusion_tag("triage/_panel.html", takes_context=True)
def triage_panel(context, report):
    user = context["request"].user
    profile = staff_profile(user)
    if not profile.sees_everything:
        return {"show": False}
    triage = ReportTriage.objects.filter(report=report).first()
    can_act = profile.is_coordinator
    duplicates = []
    if report.status in OPEN_STATES:
        duplicates = likely_duplicates(report, access.reports_visible_to(user))
    return {
        "show": True,
        "user": user,
        "report": report,
        "triage": triage,
        "urgency_labels": [LABELS.get(code, code) for code in (triage.urgency_reasons if triage else [])],
        "suggestions": list(Suggestion.objects.filter(report=report).select_related("category__parent", "agency")),
        "is_coordinator": can_act,
        "can_classify": can_act and report.status in workflow.TRANSITIONS["classify"].sources,
        "can_merge": can_act and report.status in workflow.TRANSITIONS["archive"].sources,
        "duplicates": duplicates,
        "merged": list(report.duplicates.annotate(attachment_count=Count("attachments")).order_by("received_at")),
        "csrf_token": context.get("csrf_token"),
    }
