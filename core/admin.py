from django.contrib import admin

from core.audit import AuditedAdmin
from core.models import CalendarEntry, ScheduledJob


@admin.register(CalendarEntry)
class CalendarEntryAdmin(AuditedAdmin, admin.ModelAdmin):
    # Regional holidays per government; an entry without one is national (every calendar).
    list_display = ["date", "kind", "name", "government"]
    list_filter = ["kind", "government"]
    date_hierarchy = "date"


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """Read-only: the schedule lives in settings.ADUAN_SCHEDULE, the rows in the scheduler."""

    list_display = ["name", "spec", "task_path", "last_run_at", "next_run_at", "last_task_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
