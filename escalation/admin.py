"""The administrator edits the ladder's rules; fired rungs are read-only."""

from django.contrib import admin

from core.audit import AuditedAdmin
from escalation.models import Escalation, EscalationRule


@admin.register(EscalationRule)
class EscalationRuleAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["step", "remind_days_before", "escalate_after_days", "is_active"]
    list_editable = ["remind_days_before", "escalate_after_days", "is_active"]


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ["report", "disposition", "step", "round", "level", "deadline", "fired_at", "digested_at"]
    list_filter = ["step", "level"]
    list_select_related = ["report", "disposition__report", "disposition__agency"]
    search_fields = ["report__tracking_number"]
    date_hierarchy = "fired_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
