"""Forms of the staff workspace. Each ``clean`` returns domain values, so a view can pass
``form.cleaned_data`` straight to the matching action in reports/actions/."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region
from agencies.roles import active_coordinators, staff_profile
from core.forms import AttachmentsField, DateField, DateTimeField, GroupedModelChoiceField
from reports import access
from reports.models import (
    MANUAL_CHANNELS,
    ArchiveReason,
    Audience,
    Category,
    Channel,
    Disposition,
    Kind,
    ReplyChannel,
    Report,
    ResolutionClass,
    Status,
)
from triage.models import Suggestion

# ---------------------------------------------------------------------------- choices


def categories():
    """Parents followed by their children, so a select reads like the tree."""
    return (
        Category.objects.filter(is_active=True)
        .select_related("parent")
        .annotate(group=Coalesce("parent__name", "name"))
        .order_by("group", F("parent").asc(nulls_first=True), "name")
    )


def kelurahan():
    return Region.objects.filter(level=Region.Level.KELURAHAN).select_related("parent").order_by("name")


def kelurahan_by_kecamatan():
    return Region.objects.filter(level=Region.Level.KELURAHAN).select_related("parent").order_by("parent__name", "name")


def kecamatan():
    return Region.objects.filter(level=Region.Level.KECAMATAN).order_by("name")


def agencies():
    return Agency.objects.filter(is_active=True).order_by("name")


class KelurahanField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else obj.name


class ModelMultipleIdsField(forms.ModelMultipleChoiceField):
    """Refuses ids no database integer can hold, as a form error (SQLite's driver raises
    OverflowError on them inside an ``__in`` lookup)."""

    def _check_values(self, value):
        for pk in value or ():
            try:
                too_big = abs(int(pk)) >= 2**63
            except (TypeError, ValueError):
                continue  # the parent class refuses these
            if too_big:
                message = self.error_messages["invalid_pk_value"]
                raise ValidationError(message, code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)


def _blank(label, choices):
    return [("", label), *choices]


# ---------------------------------------------------------------------------- dates

BAD_DATE = _("Tanggal tidak valid; gunakan format TTTT-BB-HH, mis. 2026-01-31.")


def day_start(day):
    """Midnight at the start of ``day`` in the installation's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def received_between(reports, first_day=None, last_day=None):
    """Reports received on ``first_day`` through ``last_day`` (local dates, both included)."""
    if first_day:
        reports = reports.filter(received_at__gte=day_start(first_day))
    if last_day:
        reports = reports.filter(received_at__lt=day_start(last_day + dt.timedelta(days=1)))
    return reports


# ---------------------------------------------------------------------------- lists

# The owner filter's two words (the other choices are coordinators' ids).
OWNER_ME, OWNER_NONE = "me", "none"


class ListFilterForm(forms.Form):
    """What workspace/_filters.html needs of a list's filter form: ``FLAGS`` (the
    checkboxes shown beside the buttons) and ``applied_count``."""

    FLAGS = ()
    # Values a field takes when nothing was chosen: they narrow nothing the user asked for.
    DEFAULTS = {}

    @property
    def applied_count(self):
        """How many filters narrow the list (the folded filter button shows it)."""
        data = getattr(self, "cleaned_data", {})
        return sum(
            1 for name, value in data.items() if value not in (None, "", [], False) and self.DEFAULTS.get(name) != value
        )


def _owner_choices():
    people = [(str(p.pk), p.get_full_name() or p.get_username()) for p in active_coordinators()]
    return [("", _("Semua pemilik")), (OWNER_ME, _("Milik saya")), (OWNER_NONE, _("Belum ada pemilik")), *people]


class OwnerField(forms.ChoiceField):
    """Mine, nobody's, or one coordinator. The coordinators are read only when the select
    is drawn: a count of a saved view validates its filters without that query."""

    def __init__(self, **kwargs):
        super().__init__(choices=_owner_choices, **kwargs)

    def valid_value(self, value):
        return value in (OWNER_ME, OWNER_NONE) or (value.isdigit() and int(value) < 2**63)


SORT_SUPPORTS = "supports"


class ReportFilterForm(ListFilterForm):
    status = forms.MultipleChoiceField(
        label=_("Status"), choices=Status.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=_blank(_("Semua jenis"), Kind.choices), required=False)
    category = forms.ModelChoiceField(
        label=_("Kategori"), queryset=categories(), required=False, empty_label=_("Semua kategori")
    )
    agency = forms.ModelChoiceField(
        label=_("Perangkat daerah"), queryset=agencies(), required=False, empty_label=_("Semua perangkat daerah")
    )
    channel = forms.ChoiceField(label=_("Kanal"), choices=_blank(_("Semua kanal"), Channel.choices), required=False)
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=kecamatan(), required=False, empty_label=_("Semua kecamatan")
    )
    # Grouped by kecamatan, so the list is usable without JavaScript; with htmx every answer
    # narrows it to the chosen kecamatan (narrowed_kelurahan).
    kelurahan = GroupedModelChoiceField(
        label=_("Kelurahan"), queryset=kelurahan_by_kecamatan(), required=False, empty_label=_("Semua kelurahan")
    )
    received_from = DateField(
        label=_("Diterima sejak"),
        required=False,
        error_messages={"invalid": BAD_DATE},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    received_to = DateField(
        label=_("Diterima sampai"),
        required=False,
        error_messages={"invalid": BAD_DATE},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    owner = OwnerField(label=_("Pemilik"), required=False)
    sort = forms.ChoiceField(
        label=_("Urutkan"),
        required=False,
        choices=[("", _("Tenggat terdekat")), (SORT_SUPPORTS, _("Dukungan warga terbanyak"))],
    )
    overdue = forms.BooleanField(label=_("Hanya yang lewat tenggat"), required=False)
    returned = forms.BooleanField(label=_("Dikembalikan OPD"), required=False)
    urgent = forms.BooleanField(label=_("Mendesak"), required=False)
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nomor pelacakan atau kata kunci")}),
    )

    # The check boxes shown beside the buttons rather than in the grid of selects.
    FLAGS = ("overdue", "returned", "urgent")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None or not staff_profile(user).sees_everything:
            # Owners are the unit's coordinators: only those who read the whole inbox filter by them.
            del self.fields["owner"]

    def clean(self):
        data = super().clean()
        kecamatan, kelurahan = data.get("kecamatan"), data.get("kelurahan")
        if kecamatan and kelurahan and kelurahan.parent_id != kecamatan.pk:
            # Refused rather than combined: together they would match no report at all.
            message = _("Kelurahan %(kelurahan)s tidak termasuk Kecamatan %(kecamatan)s.") % {
                "kelurahan": kelurahan.name,
                "kecamatan": kecamatan.name,
            }
            self.add_error("kelurahan", ValidationError(message, code="outside_kecamatan"))
        return data

    def apply(self, reports, *, default_statuses=None):
        """``reports`` narrowed by the valid filters; with no status chosen, ``default_statuses``.
        A refused filter is left out (the page lists it, with its error, as not applied);
        the others still apply."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        statuses = data.get("status") or default_statuses
        if statuses:
            reports = reports.filter(status__in=statuses)
        if data.get("kind"):
            reports = reports.filter(kind=data["kind"])
        if data.get("category"):
            reports = reports.filter(Q(category=data["category"]) | Q(category__parent=data["category"]))
        if data.get("agency"):
            disposed = Disposition.objects.filter(report=OuterRef("pk"), agency=data["agency"])
            reports = reports.filter(Exists(disposed))
        if data.get("channel"):
            reports = reports.filter(channel=data["channel"])
        if data.get("kecamatan"):
            reports = reports.filter(region__parent=data["kecamatan"])
        if data.get("kelurahan"):
            reports = reports.filter(region=data["kelurahan"])
        reports = received_between(reports, data.get("received_from"), data.get("received_to"))
        if data.get("overdue"):
            reports = reports.overdue()
        if data.get("returned"):
            reports = reports.filter(return_count__gt=0)
        if data.get("urgent"):
            reports = reports.filter(is_urgent=True)
        owner = data.get("owner")
        if owner == OWNER_ME:
            reports = reports.filter(owner=self.user)
        elif owner == OWNER_NONE:
            reports = reports.filter(owner__isnull=True)
        elif owner:
            reports = reports.filter(owner_id=owner)
        if data.get("q"):
            reports = access.search_for_staff(reports, data["q"])
        return reports

    def ordering(self) -> list:
        """What the list sorts by before its own order: the most supported reports first
        ("Saya juga mengalami ini", reports.Support) when chosen, else nothing."""
        return ["-support_count"] if getattr(self, "cleaned_data", {}).get("sort") == SORT_SUPPORTS else []

    def narrowed_kelurahan(self):
        """The kelurahan field with only the chosen kecamatan's kelurahan (all of them when
        none is chosen), for the htmx answer to swap in."""
        chosen = getattr(self, "cleaned_data", {}).get("kecamatan")
        if chosen:
            field = self.fields["kelurahan"]
            field.queryset = field.queryset.filter(parent=chosen)
        return self["kelurahan"]


OPEN, ALL = "open", "all"


class DispositionFilterForm(ListFilterForm):
    """The disposition list's filters. Without a state chosen the list shows open work (a
    liaison opens it to see what is still to do); "Semua" shows the finished ones too."""

    FLAGS = ("overdue",)
    DEFAULTS = {"state": OPEN}

    state = forms.ChoiceField(
        label=_("Status disposisi"),
        choices=[(OPEN, _("Masih terbuka")), (ALL, _("Semua")), *Disposition.State.choices],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Hanya yang lewat tenggat"), required=False)
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nomor pelacakan atau kata kunci")}),
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("state"):
            data = data.copy()
            data["state"] = OPEN
        super().__init__(data, *args, **kwargs)

    def apply(self, dispositions):
        """``dispositions`` narrowed by the valid filters; a refused one is left out and
        listed on the page, the others still apply (as in ReportFilterForm)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("state") == OPEN:
            dispositions = dispositions.open()
        elif data.get("state") and data["state"] != ALL:
            dispositions = dispositions.filter(state=data["state"])
        if data.get("overdue"):
            dispositions = dispositions.overdue()
        if data.get("q"):
            dispositions = dispositions.filter(
                report__in=access.search_for_staff(Report.objects.all(), data["q"]).values("pk")
            )
        return dispositions


# ---------------------------------------------------------------------------- coordinator actions


def _none_if_blank(value):
    return value or None


class ClassifyForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=categories(), required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=_blank(_("(tetap)"), Kind.choices), required=False)
    resolution_class = forms.ChoiceField(
        label=_("Kelas tenggat"), choices=_blank(_("(ikut kategori)"), ResolutionClass.choices), required=False
    )
    region = KelurahanField(label=_("Kelurahan"), queryset=kelurahan(), required=False)

    def clean_kind(self):
        return _none_if_blank(self.cleaned_data["kind"])

    def clean_resolution_class(self):
        return _none_if_blank(self.cleaned_data["resolution_class"])

    @classmethod
    def for_report(cls, report, **kwargs):
        initial = {"category": report.category_id, "kind": report.kind, "region": report.region_id}
        return cls(initial=initial, **kwargs)


TO_REPORTER_ONLY = _("Hanya pelapor yang membacanya; tidak tampil di halaman publik.")


class VerifyForm(ClassifyForm):
    message = forms.CharField(
        label=_("Pesan untuk pelapor (opsional)"),
        required=False,
        help_text=TO_REPORTER_ONLY,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HoldForm(forms.Form):
    question = forms.CharField(
        label=_("Pertanyaan untuk pelapor"), help_text=TO_REPORTER_ONLY, widget=forms.Textarea(attrs={"rows": 3})
    )


class ArchiveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=ArchiveReason.choices)
    duplicate_of = forms.CharField(
        label=_("Nomor pelacakan laporan asli (untuk duplikat)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "BLT-2026-000001"}),
    )
    referral_note = forms.CharField(
        label=_("Catatan rujukan ke SP4N-LAPOR! (di luar kewenangan)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    message = forms.CharField(
        label=_("Pesan untuk pelapor (opsional)"),
        required=False,
        help_text=TO_REPORTER_ONLY,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_duplicate_of(self):
        return original_report(self.cleaned_data["duplicate_of"])


def original_report(number):
    """The report a duplicate is merged into, by its tracking number (None when blank)."""
    number = number.strip()
    if not number:
        return None
    original = Report.objects.filter(tracking_number__iexact=number).first()
    if original is None:
        raise ValidationError(_("Laporan dengan nomor %(number)s tidak ditemukan.") % {"number": number})
    return original


class DisposeForm(forms.Form):
    lead_agency = forms.ModelChoiceField(label=_("Perangkat daerah utama"), queryset=agencies())
    supporting_agencies = ModelMultipleIdsField(
        label=_("Perangkat daerah pendukung"),
        queryset=agencies(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    instruction = forms.CharField(label=_("Instruksi"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def for_report(cls, report, **kwargs):
        return cls(initial={"lead_agency": suggested_lead_agency(report)}, **kwargs)


def suggested_lead_agency(report):
    """The lead agency the dispose form starts at: triage's first suggestion (it learns
    which agency actually takes such reports), else the category's default agency. The
    category's default also wins when the coordinator put the report in another category
    than triage's first one: the suggested agency went with that category."""
    default = report.category.default_agency_id if report.category_id else None
    top = (
        Suggestion.objects.filter(report=report, rank=1, agency__is_active=True)
        .values_list("category_id", "agency_id")
        .first()
    )
    if top is None:
        return default
    category_id, agency_id = top
    if report.category_id and category_id and category_id != report.category_id:
        return default
    return agency_id


class VerifyDisposeForm(VerifyForm):
    """Verify and dispose in one step: the verify fields, the lead agency (triage's
    suggestion first, as in DisposeForm) and the disposition's instruction."""

    lead_agency = forms.ModelChoiceField(label=_("Perangkat daerah utama"), queryset=agencies())
    instruction = forms.CharField(
        label=_("Instruksi untuk perangkat daerah"),
        required=False,
        help_text=_("Hanya petugas yang membacanya."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["lead_agency", "instruction", "message", "category", "kind", "resolution_class", "region"]
    # Already filled with the report's classification: folded away until needed.
    collapsed_fields = ("category", "kind", "resolution_class", "region")
    collapsed_label = _("Ubah klasifikasi (opsional)")

    @classmethod
    def for_report(cls, report, **kwargs):
        form = super().for_report(report, **kwargs)
        form.initial["lead_agency"] = suggested_lead_agency(report)
        return form


class CloseForm(forms.Form):
    message = forms.CharField(
        label=_("Pesan penutup (opsional)"),
        required=False,
        help_text=TO_REPORTER_ONLY,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerObjectionForm(forms.Form):
    answer = forms.CharField(
        label=_("Tanggapan atas keberatan"), help_text=TO_REPORTER_ONLY, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    message = forms.CharField(label=_("Catatan internal"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan perpanjangan"), help_text=TO_REPORTER_ONLY, widget=forms.Textarea(attrs={"rows": 2})
    )


class TakeForm(forms.Form):
    """Ambil: nothing to fill in, the button is the whole form."""


class ReleaseForm(forms.Form):
    """Lepas: nothing to fill in either."""


class CoordinatorField(forms.ModelChoiceField):
    """A coordinator with an active appointment now (the people a report may be given to)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=active_coordinators(), **kwargs)

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class AssignForm(forms.Form):
    owner = CoordinatorField(label=_("Tugaskan ke"), empty_label=_("Pilih koordinator"))


# ---------------------------------------------------------------------------- inbox: bulk and saved views


class BulkForm(forms.Form):
    """Several reports of the inbox and one thing to do to each of them."""

    ARCHIVE_SPAM, ARCHIVE_DUPLICATE, DISPOSE, ASSIGN = "archive_spam", "archive_duplicate", "dispose", "assign"
    OPERATIONS = [
        (ARCHIVE_SPAM, _("Arsipkan sebagai spam")),
        (ARCHIVE_DUPLICATE, _("Arsipkan sebagai duplikat")),
        (DISPOSE, _("Disposisikan ke satu perangkat daerah")),
        (ASSIGN, _("Tugaskan ke koordinator")),
    ]
    MOST = 50  # one page of the inbox

    reports = ModelMultipleIdsField(
        label=_("Laporan"),
        queryset=Report.objects.none(),
        error_messages={"required": _("Pilih setidaknya satu laporan.")},
    )
    operation = forms.ChoiceField(label=_("Tindakan untuk yang dipilih"), choices=OPERATIONS)
    duplicate_of = forms.CharField(
        label=_("Nomor pelacakan laporan asli (untuk duplikat)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "BLT-2026-000001"}),
    )
    lead_agency = forms.ModelChoiceField(
        label=_("Perangkat daerah utama"), queryset=agencies(), required=False, empty_label=_("Pilih perangkat daerah")
    )
    owner = CoordinatorField(label=_("Tugaskan ke"), required=False, empty_label=_("Pilih koordinator"))

    def clean_duplicate_of(self):
        return original_report(self.cleaned_data["duplicate_of"])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only reports the user may see can be chosen (reports/access.py).
        self.fields["reports"].queryset = access.reports_visible_to(user).order_by("received_at", "pk")

    def clean_reports(self):
        reports = self.cleaned_data["reports"]
        if len(reports) > self.MOST:
            raise ValidationError(_("Paling banyak %(n)d laporan sekaligus.") % {"n": self.MOST})
        return reports

    def clean(self):
        data = super().clean()
        needed = {
            self.ARCHIVE_DUPLICATE: ("duplicate_of", _("Tuliskan nomor pelacakan laporan asli.")),
            self.DISPOSE: ("lead_agency", _("Pilih perangkat daerah utama.")),
            self.ASSIGN: ("owner", _("Pilih koordinator.")),
        }.get(data.get("operation"))
        if needed and not data.get(needed[0]) and needed[0] not in self.errors:
            self.add_error(needed[0], needed[1])
        return data


# The inbox filters a saved view may hold (paging is not one of them).
SAVED_FILTER_FIELDS = [name for name in ReportFilterForm.base_fields]


def filter_query(query):
    """``query`` (a query string) with only the inbox's filters, empty values dropped."""
    kept = QueryDict(mutable=True)
    for name, values in QueryDict(query).lists():
        values = [value for value in values if value]
        if name in SAVED_FILTER_FIELDS and values:
            kept.setlist(name, values)
    return kept.urlencode()


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Nama tampilan"), max_length=60)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_query(self):
        query = filter_query(self.cleaned_data["query"])
        if not query:
            raise ValidationError(_("Pilih saringan dulu, lalu simpan sebagai tampilan."))
        return query


# ---------------------------------------------------------------------------- agency actions


AUDIENCE_HELP = {
    Audience.STAFF: _("Hanya petugas: catatan internal"),
    Audience.REPORTER: _("Pelapor: balasan yang hanya dibaca pelapor (dan petugas)"),
    Audience.PUBLIC: _("Publik: balasan untuk pelapor yang juga tampil di halaman laporan publik"),
}


def audience_field(choices, *, required=True):
    """The audience of a message as radio buttons, with nothing chosen: a message is
    published only when someone picks "Publik"."""
    return forms.ChoiceField(
        label=_("Siapa yang dapat melihat?"),
        choices=[(choice, AUDIENCE_HELP[choice]) for choice in choices],
        required=required,
        error_messages={"required": _("Pilih siapa yang dapat melihat pesan ini.")},
        widget=forms.RadioSelect,
    )


class FollowUpForm(forms.Form):
    message = forms.CharField(label=_("Isi tindak lanjut"), widget=forms.Textarea(attrs={"rows": 4}))
    audience = audience_field(Audience.values)
    attachments = AttachmentsField()

    def __init__(self, *args, allow_public=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_public:
            # Only an internal note is open now (the report is resolved): one choice, taken.
            self.fields["audience"] = audience_field([Audience.STAFF])
            self.fields["audience"].initial = Audience.STAFF


class FinishForm(forms.Form):
    message = forms.CharField(
        label=_("Tanggapan penutup untuk pelapor"),
        required=False,
        help_text=_("Wajib bila belum pernah ada balasan untuk pelapor."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    audience = audience_field([Audience.REPORTER, Audience.PUBLIC], required=False)

    def clean(self):
        data = super().clean()
        if data.get("message", "").strip() and not data.get("audience"):
            self.add_error("audience", _("Pilih siapa yang dapat melihat tanggapan ini."))
        if not data.get("audience"):
            # Without a message nothing is shown to anyone; the action's default is private.
            data.pop("audience", None)
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Alasan (bukan wewenang)"), widget=forms.Textarea(attrs={"rows": 2}))


class CannedReplyForm(forms.Form):
    """Which canned reply to fill, and the agency chosen so far in the form asking."""

    reply = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    lead_agency = forms.ModelChoiceField(queryset=agencies(), required=False)


# ---------------------------------------------------------------------------- manual entry


class ManualReportForm(forms.Form):
    """A report that came by phone, radio, walk-in or a post elsewhere, typed in by staff."""

    # Radio buttons: one Tab stop, the arrow keys change it, every choice visible at once.
    channel = forms.ChoiceField(
        label=_("Kanal asal"), choices=[(c.value, c.label) for c in MANUAL_CHANNELS], widget=forms.RadioSelect
    )
    channel_reference = forms.CharField(
        label=_("Referensi kanal"),
        required=False,
        max_length=200,
        help_text=_("Mis. tautan unggahan, nomor penelepon, nama acara radio."),
    )
    received_at = DateTimeField(
        label=_("Diterima pada"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=Kind.choices, initial=Kind.COMPLAINT)
    description = forms.CharField(label=_("Isi laporan"), widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ModelChoiceField(label=_("Kategori"), queryset=categories(), required=False)
    region = KelurahanField(label=_("Kelurahan"), queryset=kelurahan(), required=False)
    address = forms.CharField(label=_("Alamat / patokan"), required=False, max_length=300)
    reporter_name = forms.CharField(label=_("Nama pelapor"), required=False, max_length=120)
    reporter_phone = forms.CharField(label=_("Nomor HP pelapor"), required=False, max_length=32)
    reporter_email = forms.EmailField(label=_("Email pelapor"), required=False)
    is_anonymous = forms.BooleanField(
        label=_("Anonim"), required=False, help_text=_("Identitas pelapor tidak ditampilkan ke perangkat daerah.")
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia"), required=False, help_text=_("Isi laporan tidak ditampilkan ke publik.")
    )
    # Instagram replies need the account id that only a direct message brings.
    reply_channel = forms.ChoiceField(
        label=_("Kanal balasan"),
        choices=[c for c in ReplyChannel.choices if c[0] != ReplyChannel.INSTAGRAM],
        initial=ReplyChannel.NONE,
    )
    attachments = AttachmentsField()

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        # A minute of slack for a clock that runs a little ahead of the server's.
        if received_at > timezone.now() + dt.timedelta(minutes=1):
            raise ValidationError(_("Waktu diterima tidak boleh di masa depan."))
        return min(received_at, timezone.now())


class SimilarReportsForm(forms.Form):
    """The text typed so far in a manual entry and its kelurahan, for possible duplicates."""

    q = forms.CharField(required=False, max_length=1000)
    # What the manual entry's own description field sends (htmx): its first 1000 characters.
    description = forms.CharField(required=False)
    region = forms.ModelChoiceField(queryset=Region.objects.filter(level=Region.Level.KELURAHAN), required=False)

    def clean_description(self):
        return self.cleaned_data["description"].strip()[:1000]


# ---------------------------------------------------------------------------- recaps


class PeriodForm(forms.Form):
    """A period of received dates, this month by default. The field names are the report
    list's, so a recap's links carry the same period."""

    received_from = DateField(
        label=_("Dari tanggal"),
        required=False,
        error_messages={"invalid": BAD_DATE},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    received_to = DateField(
        label=_("Sampai tanggal"),
        required=False,
        error_messages={"invalid": BAD_DATE},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, **kwargs):
        today = timezone.localdate()
        data = data.copy() if data is not None else {}
        # An empty or missing field means the default, so the links always name both days.
        if not data.get("received_from"):
            data["received_from"] = today.replace(day=1).isoformat()
        if not data.get("received_to"):
            data["received_to"] = today.isoformat()
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("received_from"), cleaned.get("received_to")
        if first and last and first > last:
            raise ValidationError(_("Tanggal awal harus sebelum atau sama dengan tanggal akhir."))
        return cleaned
