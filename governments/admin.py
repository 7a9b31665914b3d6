from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.audit import AuditedAdmin
from core.errors import DomainError
from governments.holidays import import_holidays
from governments.models import Government

MAX_HOLIDAY_FILE = 512 * 1024


class HolidayFileForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV"),
        help_text=_(
            "Satu baris per hari libur: tanggal,nama,slug pemerintah daerah "
            "(mis. 2026-03-19,Hari Jadi Kota,kota-kediri)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_HOLIDAY_FILE:
            raise forms.ValidationError(gettext("Berkas terlalu besar (paling besar 512 KB)."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(gettext("Berkas bukan teks UTF-8.")) from None


@admin.register(Government)
class GovernmentAdmin(AuditedAdmin, admin.ModelAdmin):
    """The governments of the installation. A new one is best made with ``manage.py
    add_government`` (its complaint unit and categories come with it). The list's
    "Impor hari libur daerah" page takes a CSV of regional holidays (governments/holidays.py)."""

    list_display = ["name", "kind", "slug", "host", "tracking_prefix", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug", "host"]
    prepopulated_fields = {"slug": ["name"]}
    change_list_template = "admin/governments/government/change_list.html"
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "parent", "host", "tracking_prefix", "is_active"]}),
        (
            _("Kop surat dan penanda tangan rekap"),
            {
                "description": _(
                    "Rekap monev pemerintah daerah ini memakai kop surat dan penanda tangan di bawah; "
                    "kolom kosong memakai pengaturan instalasi (ADUAN_LETTERHEAD_*, ADUAN_SIGNATORY_*)."
                ),
                "fields": [
                    "letterhead_name",
                    "letterhead_unit",
                    "letterhead_address",
                    "letterhead_logo",
                    "signatory_place",
                    "signatory_title",
                    "signatory_name",
                    "signatory_nip",
                ],
            },
        ),
    ]

    def get_urls(self):
        return [
            path(
                "impor-hari-libur/",
                self.admin_site.admin_view(self.import_holidays_view),
                name="governments_government_import_holidays",
            ),
            *super().get_urls(),
        ]

    def import_holidays_view(self, request):
        if not request.user.has_perm("core.add_calendarentry") or not request.user.has_perm(
            "core.change_calendarentry"
        ):
            raise PermissionDenied
        form = HolidayFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                added, updated = import_holidays(form.cleaned_data["file"])
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                self.message_user(
                    request,
                    gettext("Hari libur daerah: %(added)d ditambahkan, %(updated)d diperbarui.")
                    % {"added": added, "updated": updated},
                )
                return redirect("admin:core_calendarentry_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Impor hari libur daerah"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/governments/government/import_holidays.html", context)
