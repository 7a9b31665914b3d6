"""The administrator edits the mapping tables here; rows without a target are the queue
of LAPOR! values met by imports and not mapped yet (filter "belum dipetakan")."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import AuditedAdmin
from lapor.models import AgencyMapping, CategoryMapping, ImportJob, LaporRecord, Referral, StatusMapping


class MappedFilter(admin.SimpleListFilter):
    title = _("pemetaan")
    parameter_name = "dipetakan"

    def lookups(self, request, model_admin):
        return [("tidak", _("Belum dipetakan")), ("ya", _("Sudah dipetakan"))]

    def queryset(self, request, queryset):
        field = f"{queryset.model.target_field}__isnull"
        if self.value() == "tidak":
            return queryset.filter(**{field: True})
        if self.value() == "ya":
            return queryset.filter(**{field: False})
        return queryset


class MappingAdmin(AuditedAdmin, admin.ModelAdmin):
    list_filter = [MappedFilter]
    search_fields = ["lapor_name", "lapor_id"]
    readonly_fields = ["key", "seen_count", "first_seen_at", "last_seen_at", "mapped_by", "mapped_at"]
    ordering = ["-seen_count", "lapor_name"]

    def get_list_display(self, request):
        return ["lapor_name", "lapor_id", self.model.target_field, "seen_count", "last_seen_at"]

    def get_list_editable(self, request):
        return [self.model.target_field]

    def changelist_view(self, request, extra_context=None):
        self.list_editable = self.get_list_editable(request)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if not obj.key:
            from lapor.mapping import status_key
            from lapor.parsing import entity_key

            obj.key = (
                status_key(obj.lapor_name)
                if isinstance(obj, StatusMapping)
                else entity_key(obj.lapor_id, obj.lapor_name)
            )
        if obj.target_field in form.changed_data:
            obj.mapped_by, obj.mapped_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(StatusMapping)
class StatusMappingAdmin(MappingAdmin):
    pass


@admin.register(CategoryMapping)
class CategoryMappingAdmin(MappingAdmin):
    autocomplete_fields = []
    list_select_related = ["category__parent"]


@admin.register(AgencyMapping)
class AgencyMappingAdmin(MappingAdmin):
    list_select_related = ["agency"]


@admin.register(LaporRecord)
class LaporRecordAdmin(admin.ModelAdmin):
    list_display = ["tracking_id", "report", "lapor_status", "last_imported_at"]
    search_fields = ["tracking_id", "report__tracking_number"]
    list_select_related = ["report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "state", "uploaded_by", "created_at", "finished_at"]
    list_filter = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["report", "state", "lapor_tracking_id", "created_at", "referred_at"]
    list_filter = ["state"]
    list_select_related = ["report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
