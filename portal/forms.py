"""Forms of the public portal. Each ``clean`` returns domain values ready for an action."""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from core import phones
from core.forms import AttachmentsField, GroupedModelChoiceField
from reports.models import PUBLIC_STATES, Category, Kind, ReplyChannel, Status

# One line of plain Indonesian per kind, shown under each radio button.
KIND_HELP = {
    Kind.COMPLAINT: _(
        "Ada masalah layanan atau fasilitas umum yang perlu diperbaiki, mis. lampu jalan mati, "
        "jalan berlubang, parkir liar."
    ),
    Kind.ASPIRATION: _("Usul atau saran untuk pemerintah kota, mis. taman baru atau jadwal layanan."),
    Kind.INFORMATION_REQUEST: _(
        "Meminta informasi atau dokumen publik dari pemerintah kota (UU 14/2008 tentang Keterbukaan Informasi Publik)."
    ),
}


def of_government(rows, government):
    """``rows`` of ``government`` (the portal's: ``request.government``); None: all. The one
    rule by which the portal's forms, its "Ikuti" box and its feeds keep to a government."""
    return rows if government is None else rows.filter(government=government)


def subcategories(government=None):
    return of_government(
        Category.objects.filter(parent__isnull=False, is_active=True, parent__is_active=True)
        .select_related("parent")
        .order_by("parent__name", "name"),
        government,
    )


def main_categories(government=None, *, active=True):
    rows = Category.objects.filter(parent__isnull=True).order_by("name")
    return of_government(rows.filter(is_active=True) if active else rows, government)


def kelurahan(government=None):
    return of_government(
        Region.objects.filter(level=Region.Level.KELURAHAN).select_related("parent").order_by("parent__name", "name"),
        government,
    )


def kecamatan(government=None):
    return of_government(Region.objects.filter(level=Region.Level.KECAMATAN).order_by("name"), government)


# ---------------------------------------------------------------------------- submission


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis laporan"), choices=Kind.choices, initial=Kind.COMPLAINT, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Judul (boleh dikosongkan)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Isi laporan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ceritakan apa yang terjadi, di mana, dan sejak kapan."),
    )
    parent = forms.ModelChoiceField(
        label=_("Kategori"),
        required=False,
        empty_label=_("Pilih kategori…"),
        queryset=Category.objects.filter(parent__isnull=True, is_active=True).order_by("name"),
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("portal:subcategories"),
                "hx-target": "#id_category",
                "hx-swap": "innerHTML",
            }
        ),
    )
    category = GroupedModelChoiceField(
        label=_("Subkategori"),
        queryset=subcategories(),
        empty_label=_("Pilih subkategori…"),
        error_messages={"required": _("Pilih subkategori."), "invalid_choice": _("Pilih subkategori dari daftar.")},
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        required=False,
        empty_label=_("Pilih kecamatan…"),
        queryset=Region.objects.filter(level=Region.Level.KECAMATAN).order_by("name"),
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("portal:kelurahan"),
                "hx-target": "#id_region",
                "hx-swap": "innerHTML",
            }
        ),
    )
    region = GroupedModelChoiceField(
        label=_("Kelurahan"),
        queryset=kelurahan(),
        required=False,
        empty_label=_("Pilih kelurahan…"),
        help_text=_("Wajib untuk pengaduan."),
    )
    address = forms.CharField(
        label=_("Alamat atau patokan"),
        max_length=300,
        required=False,
        help_text=_("Mis. Jl. Merdeka depan Pasar Legi, dekat tiang listrik nomor 12."),
    )
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False, widget=forms.HiddenInput
    )
    attachments = AttachmentsField(
        label=_("Foto atau dokumen PDF"),
        help_text=_("Paling banyak 5 berkas, masing-masing paling besar 10 MB. Data lokasi di dalam foto kami hapus."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim"),
        required=False,
        help_text=_(
            "Nama dan kontak Anda disembunyikan dari perangkat daerah dan masyarakat. "
            "Hanya unit pengelola pengaduan yang dapat melihatnya."
        ),
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia"),
        required=False,
        help_text=_("Isi laporan Anda tidak ditampilkan di daftar laporan publik."),
    )
    reporter_name = forms.CharField(label=_("Nama"), max_length=120, required=False)
    reporter_phone = forms.CharField(
        label=_("Nomor HP / WhatsApp"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    reporter_email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    reply_channel = forms.ChoiceField(
        label=_("Kabari saya lewat"),
        # Instagram replies need the account id that only a direct message brings.
        choices=[c for c in ReplyChannel.choices if c[0] != ReplyChannel.INSTAGRAM],
        initial=ReplyChannel.NONE,
        widget=forms.RadioSelect,
    )

    # A one-time key written into the page: pressing "Kirim" again (a lost answer, a double
    # tap, the 503 page's "Kirim lagi") returns the report already stored with this key.
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, government=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The lists are built per form, so categories added later appear without a restart,
        # and hold the portal's government's rows only: another government's category or
        # kelurahan in a POST is not a choice, and says so.
        self.government = government
        self.fields["parent"].queryset = main_categories(government)
        self.fields["category"].queryset = subcategories(government)
        self.fields["kecamatan"].queryset = kecamatan(government)
        self.fields["region"].queryset = kelurahan(government)
        if government is not None:
            self.fields["category"].error_messages["invalid_choice"] = _(
                "Subkategori ini tidak ada di portal %(government)s. Pilih subkategori dari daftar."
            ) % {"government": government.name}
            self.fields["region"].error_messages["invalid_choice"] = _(
                "Kelurahan ini bukan wilayah %(government)s. Pilih kelurahan dari daftar."
            ) % {"government": government.name}
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_submission_key(self):
        # Only a key this page wrote counts; anything else is dropped (the report is still
        # stored, just without the protection against a second send) rather than refused,
        # which would lock the resident out of a form they cannot fix.
        key = self.cleaned_data["submission_key"].strip()
        return key if re.fullmatch(r"[0-9a-f]{32}", key) else ""

    def kind_choices(self):
        """(radio subwidget, plain explanation) pairs for the template."""
        return [(radio, KIND_HELP.get(radio.data["value"], "")) for radio in self["kind"]]

    def clean_reporter_phone(self):
        phone = self.cleaned_data["reporter_phone"].strip()
        if phone and not phones.e164_or_blank(phone):
            raise ValidationError(_("Nomor HP tidak valid. Contoh: 081234567890."))
        return phone

    def clean(self):
        data = super().clean()
        parent, category = data.get("parent"), data.get("category")
        if parent and category and category.parent_id != parent.pk:
            self.add_error("category", _("Subkategori ini tidak termasuk kategori yang dipilih."))
        kecamatan, region = data.get("kecamatan"), data.get("region")
        if kecamatan and region and region.parent_id != kecamatan.pk:
            self.add_error("region", _("Kelurahan ini tidak termasuk kecamatan yang dipilih."))
        if data.get("kind") == Kind.COMPLAINT and not region and "region" not in self.errors:
            self.add_error("region", _("Pilih kelurahan tempat masalah terjadi."))
        reply = data.get("reply_channel")
        needs_phone = reply in (ReplyChannel.WHATSAPP, ReplyChannel.SMS)
        if needs_phone and not data.get("reporter_phone") and "reporter_phone" not in self.errors:
            self.add_error("reporter_phone", _("Isi nomor HP agar kami dapat membalas lewat WhatsApp atau SMS."))
        if reply == ReplyChannel.EMAIL and not data.get("reporter_email") and "reporter_email" not in self.errors:
            self.add_error("reporter_email", _("Isi alamat email agar kami dapat membalas lewat email."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            data["latitude"] = data["longitude"] = None  # half a point is no point
        return data

    def submit_kwargs(self) -> dict:
        """Keyword arguments for reports.actions.submit_report."""
        data = self.cleaned_data
        keys = [
            "kind",
            "title",
            "description",
            "category",
            "region",
            "address",
            "latitude",
            "longitude",
            "is_anonymous",
            "is_confidential",
            "reporter_name",
            "reporter_phone",
            "reporter_email",
            "reply_channel",
            "attachments",
        ]
        kwargs = {key: data[key] for key in keys}
        if self.government is not None:
            kwargs["government"] = self.government
        if data.get("submission_key"):
            kwargs["submission_key"] = f"web:{data['submission_key']}"
        return kwargs


# ---------------------------------------------------------------------------- tracking


class TrackForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Nomor pelacakan"),
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "BLT-2025-000123", "autocapitalize": "characters"}),
    )
    contact = forms.CharField(
        label=_("Nomor HP atau email yang Anda isi saat melapor"),
        max_length=254,
    )


class ReplyForm(forms.Form):
    message = forms.CharField(label=_("Jawaban Anda"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = AttachmentsField(label=_("Foto atau dokumen PDF (boleh dikosongkan)"))


class ConfirmForm(forms.Form):
    message = forms.CharField(label=_("Pesan (boleh dikosongkan)"), max_length=2000, required=False)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa Anda belum puas?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Nilai"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("5 — Sangat puas")),
            (4, _("4 — Puas")),
            (3, _("3 — Cukup")),
            (2, _("2 — Kurang puas")),
            (1, _("1 — Tidak puas")),
        ],
    )
    comment = forms.CharField(
        label=_("Komentar (boleh dikosongkan)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("Alasan keberatan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


# ---------------------------------------------------------------------------- public list


class PublicReportFilter(forms.Form):
    """The filters every public list of reports shares (the list, the map): the main
    category and a public state."""

    category = forms.ModelChoiceField(
        label=_("Kategori"),
        required=False,
        empty_label=_("Semua kategori"),
        queryset=Category.objects.filter(parent__isnull=True).order_by("name"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status"))] + [(s, Status(s).label) for s in PUBLIC_STATES],
    )

    def __init__(self, *args, government=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The portal's government's categories (and kecamatan) only.
        self.government = government
        self.fields["category"].queryset = main_categories(government, active=False)
        if "kecamatan" in self.fields:
            self.fields["kecamatan"].queryset = kecamatan(government)

    def filter(self, reports):
        if self.government is not None:
            reports = reports.filter(government=self.government)
        if not self.is_valid():
            return reports
        data = self.cleaned_data
        if data["category"]:
            reports = reports.filter(category__parent=data["category"])
        if data["status"]:
            reports = reports.filter(status=data["status"])
        return reports


class PublicFilterForm(PublicReportFilter):
    field_order = ["q", "category", "kecamatan", "status"]

    q = forms.CharField(
        label=_("Cari"),
        max_length=100,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Kata kunci atau nomor laporan")}),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        required=False,
        empty_label=_("Semua kecamatan"),
        queryset=Region.objects.filter(level=Region.Level.KECAMATAN).order_by("name"),
    )

    def filter(self, reports):
        reports = super().filter(reports)
        if not self.is_valid():
            return reports
        if self.cleaned_data["kecamatan"]:
            reports = reports.filter(region__parent=self.cleaned_data["kecamatan"])
        return reports.search(self.cleaned_data["q"])
