"""The system administrator's screens for regions, the agency tree and appointments (SK)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from agencies import actions
from agencies.models import Agency, Appointment, Decree, DecreeMember, Region, default_decree_end
from core.audit import AuditedAdmin
from core.errors import DomainError
from core.uploads import clean_upload

admin.site.site_header = _("Administrasi Sistem Aduan")
admin.site.site_title = _("Admin Aduan")
admin.site.index_title = _("Pengaturan sistem")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "code", "government"]
    # Only kecamatan are ever parents, so the filter lists just those.
    list_filter = ["government", "level", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code", "parent__name"]
    list_select_related = ["parent", "government"]
    ordering = ["parent__name", "level", "name"]


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "short_name", "government", "kind", "parent", "is_complaint_unit", "is_active"]
    list_filter = ["government", "kind", "is_complaint_unit", "is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
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
class AppointmentAdmin(AuditedAdmin, admin.ModelAdmin):
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
    autocomplete_fields = ["person", "agency", "decree"]
    date_hierarchy = "valid_from"
    readonly_fields = ["end_kind", "ended_by", "successor"]
    fieldsets = [
        (None, {"fields": ["person", "agency", "role"]}),
        (_("Surat Keputusan"), {"fields": ["decree", "decree_number", "decree_date", "decree_document"]}),
        (_("Masa berlaku"), {"fields": ["valid_from", "valid_until", "end_reason"]}),
        (_("Diakhiri"), {"fields": ["end_kind", "ended_by", "successor"]}),
    ]

    @admin.display(description=_("nama"), ordering="person__first_name")
    def person_name(self, obj):
        return obj.person.get_full_name()

    @admin.display(description=_("berlaku sekarang"), boolean=True)
    def active_now(self, obj):
        return obj.is_active()


class DecreeForm(forms.ModelForm):
    class Meta:
        model = Decree
        fields = ["number", "date", "title", "document", "valid_from", "valid_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].required = False
        self.fields["valid_until"].help_text = _("Kosongkan untuk satu tahun sejak tanggal mulai berlaku.")

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):  # a new upload
            try:
                checked = clean_upload(document)
            except ValidationError:
                raise ValidationError(_("Dokumen SK harus berkas PDF yang utuh.")) from None
            if checked.content_type != "application/pdf":
                raise ValidationError(_("Dokumen SK harus berkas PDF hasil pindai yang ditandatangani."))
            document.seek(0)
        return document

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and not end:
            cleaned["valid_until"] = default_decree_end(start)
        elif start and end and end < start:
            self.add_error("valid_until", _("Tanggal akhir berlaku harus sesudah tanggal mulai."))
        return cleaned


class DecreeMemberInline(admin.TabularInline):
    model = DecreeMember
    extra = 3
    autocomplete_fields = ["person", "agency"]

    def has_add_permission(self, request, obj=None):
        return obj is None or obj.is_draft

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_draft

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.is_draft


@admin.register(Decree)
class DecreeAdmin(AuditedAdmin, admin.ModelAdmin):
    """Record a decree once, with its list of people; issue it; renew it next year."""

    form = DecreeForm
    list_display = ["number", "date", "title", "valid_from", "valid_until", "status", "member_count", "renews"]
    list_filter = ["government", "status"]
    search_fields = ["number", "title"]
    date_hierarchy = "valid_from"
    inlines = [DecreeMemberInline]
    actions = ["issue", "renew"]
    readonly_fields = ["status", "renews", "issued_at", "issued_by"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).select_related("renews").annotate(_members=Count("members"))

    @admin.display(description=_("jumlah orang"), ordering="_members")
    def member_count(self, obj):
        return obj._members

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            # An issued decree's period and list made appointments: change those instead.
            return [*self.readonly_fields, "number", "date", "valid_from", "valid_until"]
        return self.readonly_fields

    @admin.action(description=_("Terbitkan SK terpilih (membuat penunjukan)"))
    def issue(self, request, queryset):
        for decree in queryset.order_by("pk"):
            try:
                made = actions.issue_decree(decree, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{decree.number}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "SK %(number)s terbit: %(count)d penunjukan dibuat.",
                        "SK %(number)s terbit: %(count)d penunjukan dibuat.",
                        len(made),
                    )
                    % {"number": decree.number, "count": len(made)},
                )

    @admin.action(description=_("Buat konsep pembaruan untuk tahun berikutnya"))
    def renew(self, request, queryset):
        renewal = None
        for decree in queryset.order_by("pk"):
            try:
                renewal = actions.start_renewal(decree, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{decree.number}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Konsep pembaruan SK %(number)s dibuat; periksa daftarnya, ganti nomornya, lalu terbitkan.")
                    % {"number": decree.number},
                )
        if renewal is not None and queryset.count() == 1:
            return redirect("admin:agencies_decree_change", renewal.pk)
        return None
