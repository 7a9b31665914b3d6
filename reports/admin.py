"""Categories are edited here; reports, dispositions and their events are only shown.

A report changes only through reports/actions/ (which checks the workflow and writes the
event row), so the admin offers no add, change or delete for them: every field is read-only.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.audit import AuditedAdmin
from reports.access import record_identity_read
from reports.models import Category, Disposition, IdentityRead, Report, ReportEvent


class TopLevelCategoryFilter(admin.SimpleListFilter):
    title = _("kategori induk")
    parameter_name = "induk"

    def lookups(self, request, model_admin):
        parents = Category.objects.filter(parent__isnull=True).order_by("name")
        return [("-", _("(kategori induk)"))] + [(str(c.pk), c.name) for c in parents]

    def queryset(self, request, queryset):
        if self.value() == "-":
            return queryset.filter(parent__isnull=True)
        if self.value():
            return queryset.filter(parent_id=self.value())
        return queryset


@admin.register(Category)
class CategoryAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "default_agency",
        "resolution_class",
        "verify_days",
        "follow_up_days",
        "resolution_days",
        "is_active",
    ]
    list_filter = ["government", TopLevelCategoryFilter, "resolution_class", "is_active"]
    search_fields = ["name", "parent__name"]
    list_select_related = ["parent", "default_agency"]
    autocomplete_fields = ["parent", "default_agency"]
    fieldsets = [
        (None, {"fields": ["name", "parent", "default_agency", "is_active"]}),
        (
            _("Tenggat"),
            {
                "fields": ["resolution_class", "verify_days", "follow_up_days", "resolution_days"],
                "description": _("Kosongkan jumlah hari untuk memakai bawaan sistem."),
            },
        ),
    ]


class ReadOnlyMixin:
    """View only: state changes go through reports/actions/, never through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _shown_fields(model, hidden=()):
    return [f.name for f in model._meta.concrete_fields if f.name not in ("id", *hidden)]


class DispositionInline(ReadOnlyMixin, admin.TabularInline):
    model = Disposition
    fields = ["agency", "role", "state", "is_active", "created_at", "follow_up_due_at", "resolution_due_at", "done_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


class ReportEventInline(ReadOnlyMixin, admin.TabularInline):
    model = ReportEvent
    fields = [
        "created_at",
        "action",
        "actor",
        "actor_role",
        "agency",
        "from_status",
        "to_status",
        "message",
        "is_public",
    ]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "agency")


@admin.register(Report)
class ReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "tracking_number",
        "masked_headline",
        "kind",
        "channel",
        "status",
        "category",
        "region",
        "received_at",
        "due_at",
        "is_anonymous",
        "is_confidential",
    ]
    list_filter = ["government", "status", "kind", "channel", "archive_reason", "is_anonymous", "is_confidential"]
    # The list and its search use the masked words: the identity shows on the (audited)
    # change page only, so a search for a NIK or a phone number finds no one.
    search_fields = ["tracking_number", "masked_title", "masked_description"]
    list_select_related = ["category__parent", "region"]
    date_hierarchy = "received_at"
    # The secret is the reporter's key to the report: never shown, not even here.
    readonly_fields = _shown_fields(Report, hidden=("secret",))
    inlines = [DispositionInline, ReportEventInline]

    @admin.display(description=_("judul"))
    def masked_headline(self, report):
        return report.headline(masked=True)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The page shows the reporter's identity; every such read by staff is audited.
        report = self.get_object(request, object_id)
        if report is not None and request.method in ("GET", "HEAD"):
            record_identity_read(request.user, report)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Disposition)
class DispositionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["report", "agency", "role", "state", "is_active", "created_at", "follow_up_due_at", "done_at"]
    list_filter = ["state", "role", "is_active", ("agency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["report__tracking_number", "agency__name", "agency__short_name"]
    list_select_related = ["report", "agency"]
    date_hierarchy = "created_at"
    readonly_fields = _shown_fields(Disposition)


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "report", "action", "actor", "actor_role", "agency", "from_status", "to_status"]
    list_filter = ["action", "actor_role", "is_public"]
    search_fields = ["report__tracking_number", "actor__username", "message"]
    list_select_related = ["report", "actor", "agency"]
    date_hierarchy = "created_at"
    readonly_fields = _shown_fields(ReportEvent)


@admin.register(IdentityRead)
class IdentityReadAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The audit trail of staff reading reporters' identities."""

    list_display = ["at", "user", "report"]
    search_fields = ["user__username", "report__tracking_number"]
    list_select_related = ["user", "report"]
    date_hierarchy = "at"
    readonly_fields = _shown_fields(IdentityRead)
