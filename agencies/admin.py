"""The system administrator's screens for regions, the agency tree and appointments (SK)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Appointment, Region

admin.site.site_header = _("Administrasi Sistem Aduan")
admin.site.site_title = _("Admin Aduan")
admin.site.index_title = _("Pengaturan sistem")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "code"]
    # Only kecamatan are ever parents, so the filter lists just those.
    list_filter = ["level", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code", "parent__name"]
    list_select_related = ["parent"]
    ordering = ["parent__name", "level", "name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "is_complaint_unit", "is_active"]
    list_filter = ["kind", "is_complaint_unit", "is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    fields = ["name", "short_name", "kind", "parent", "is_complaint_unit", "is_active"]


class ActiveNowFilter(admin.SimpleListFilter):
    title = _("berlaku sekarang")
    parameter_name = "berlaku"

    def lookups(self, request, model_admin):
        return [
            ("ya", _("Berlaku")),
            ("berakhir", _("Sudah berakhir")),
            ("belum", _("Belum mulai")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "ya":
            return queryset.active(now)
        if self.value() == "berakhir":
            return queryset.filter(valid_until__lte=now)
        if self.value() == "belum":
            return queryset.filter(valid_from__gt=now)
        return queryset


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "person_name",
        "agency",
        "role",
        "decree_number",
        "decree_date",
        "valid_from",
        "valid_until",
        "active_now",
    ]
    list_filter = [ActiveNowFilter, "role", ("agency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["person__username", "person__first_name", "person__last_name", "decree_number"]
    list_select_related = ["person", "agency"]
    autocomplete_fields = ["person", "agency"]
    date_hierarchy = "valid_from"
    fieldsets = [
        (None, {"fields": ["person", "agency", "role"]}),
        (_("Surat Keputusan"), {"fields": ["decree_number", "decree_date", "decree_document"]}),
        (_("Masa berlaku"), {"fields": ["valid_from", "valid_until", "end_reason"]}),
    ]

    @admin.display(description=_("nama"), ordering="person__first_name")
    def person_name(self, obj):
        return obj.person.get_full_name()

    @admin.display(description=_("berlaku sekarang"), boolean=True)
    def active_now(self, obj):
        return obj.is_active()
