"""The audit log of settings (django-auditlog): every change to the rows that move deadlines
or routing keeps who, when, and each field before and after, wherever it is made (the admin,
a command, an action). The admin's "Riwayat" (history) button of these models shows it.

Reports, dispositions and their states are not here: they keep their own events
(reports.ReportEvent), written by the actions.
"""

from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext as _

AUDITED_MODELS = [
    "governments.Government",  # a tenant: its prefix and letterhead
    "core.CalendarEntry",  # holidays and working days: every working-day deadline
    "agencies.Agency",  # the agency tree: where dispositions go and escalations climb
    "agencies.Appointment",  # who may act for an agency (decrees, SK)
    "agencies.Decree",
    "agencies.DecreeMember",
    "reports.Category",  # deadlines per category and the default agency (routing)
    "escalation.EscalationRule",  # reminders and escalation of overdue work
    "notify.MessageTemplate",  # what residents and staff are told
    "notify.CannedReply",  # what staff tell residents most often
    "triage.KeywordRule",  # category suggestions
    "lapor.StatusMapping",  # how SP4N-LAPOR! imports are read and routed
    "lapor.CategoryMapping",
    "lapor.AgencyMapping",
]


def register():
    """Each model's own columns (not its reverse relations, id or updated_at) are compared."""
    for label in AUDITED_MODELS:
        model = apps.get_model(label)
        fields = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != "updated_at"]
        auditlog.register(model, include_fields=fields)


class AuditedAdmin(AuditlogHistoryAdminMixin):
    """A ModelAdmin mixin: the "Riwayat" button and a column in the list open the audit log."""

    show_auditlog_history_link = True
    auditlog_history_template = "admin/audit_history.html"
    auditlog_history_per_page = 20

    def history_view(self, request, object_id, extra_context=None):
        return self.auditlog_history_view(request, object_id, extra_context)

    def auditlog_history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        title = _("Riwayat perubahan: %s") % obj if obj is not None else ""
        return super().auditlog_history_view(request, object_id, {"title": title, **(extra_context or {})})
