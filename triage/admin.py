from django.contrib import admin

from core.audit import AuditedAdmin
from triage.models import KeywordRule, ReportTriage, Suggestion


@admin.register(KeywordRule)
class KeywordRuleAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["category", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["category__name", "keywords"]
    autocomplete_fields = ["category"]


@admin.register(ReportTriage)
class ReportTriageAdmin(admin.ModelAdmin):
    list_display = ["report", "is_urgent", "category_decision", "agency_decision", "suggestion_ms"]
    list_filter = ["is_urgent", "category_decision", "agency_decision"]
    readonly_fields = [f.name for f in ReportTriage._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["report", "rank", "category", "category_confidence", "agency", "agency_confidence", "source"]
    readonly_fields = [f.name for f in Suggestion._meta.fields]

    def has_add_permission(self, request):
        return False
