"""The report page's action forms (the coordinator's, then the agency's) and the inbox's
bulk form; each ``clean`` returns the keyword arguments of its action in reports/actions/
(workspace/report_views.py ``ACTIONS``, the staff API)."""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from agencies.roles import active_coordinators
from agencies.tree import active_units
from core.choice_lists import ListedChoicesMixin
from core.forms import AttachmentsField
from governments.models import Government
from reports import access
from reports.models import (
    ArchiveReason,
    Audience,
    Kind,
    Report,
    ResolutionClass,
)
from triage.models import Suggestion
from workspace.forms import (
    KelurahanField,
    ModelMultipleIdsField,
    agencies,
    agency_field,
    category_field,
    for_user,
    with_blank,
)

# ---------------------------------------------------------------------------- coordinator actions


def _none_if_blank(value):
    return value or None


class ClassifyForm(forms.Form):
    category = category_field(label=_("Kategori"), required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=with_blank(_("(tetap)"), Kind.choices), required=False)
    resolution_class = forms.ChoiceField(
        label=_("Kelas tenggat"), choices=with_blank(_("(ikut kategori)"), ResolutionClass.choices), required=False
    )
    region = KelurahanField(label=_("Kelurahan"), required=False)

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


class ListedAgenciesField(ListedChoicesMixin, ModelMultipleIdsField):
    """Agencies as check boxes, from the kept list (core/choice_lists.py)."""


class DisposeForm(forms.Form):
    lead_agency = agency_field(label=_("Perangkat daerah utama"))
    supporting_agencies = ListedAgenciesField(
        label=_("Perangkat daerah pendukung"),
        queryset=agencies(),
        list_name="agencies",
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

    lead_agency = agency_field(label=_("Perangkat daerah utama"))
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


class OneTimeKeyForm(forms.Form):
    """A form that writes a one-time key into its page, as the portal's report form does:
    the same message sent twice (a double click, a resent POST) is recorded once (the
    action looks for the key in its earlier events)."""

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_submission_key(self):
        # Only a key a page wrote counts; anything else is dropped (the message is still
        # recorded, without the protection against a second send), never refused.
        key = self.cleaned_data["submission_key"].strip()
        return key if re.fullmatch(r"[0-9a-f]{32}", key) else ""


class NoteForm(OneTimeKeyForm):
    message = forms.CharField(label=_("Catatan internal"), widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["message"]


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


class FollowUpForm(OneTimeKeyForm):
    message = forms.CharField(label=_("Isi tindak lanjut"), widget=forms.Textarea(attrs={"rows": 4}))
    audience = audience_field(Audience.values)
    attachments = AttachmentsField()
    field_order = ["message", "audience", "attachments"]

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


class ForwardToUnitForm(forms.Form):
    """The agency's disposition to one of its units (the choices: its active, staffed
    units; the action checks the unit again)."""

    unit = forms.ModelChoiceField(
        label=_("Unit tujuan"),
        queryset=Agency.objects.filter(is_active=True, parent__isnull=False),
        empty_label=_("— pilih unit —"),
        error_messages={"required": _("Pilih unit tujuan."), "invalid_choice": _("Unit ini tidak dapat dipilih.")},
    )
    instruction = forms.CharField(
        label=_("Instruksi untuk unit"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency is not None:
            self.fields["unit"].queryset = active_units(agency)

    def bind_to(self, disposition):
        """A sent form offers (and accepts) the units of the disposition's agency only."""
        self.fields["unit"].queryset = active_units(disposition.agency_id)


class ReturnToAgencyForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pengembalian ke perangkat daerah"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferForm(forms.Form):
    """Refer the report to another active government of the installation (reports/actions/
    referrals.py); a government outside it is the SP4N-LAPOR! referral (Arsipkan)."""

    government = forms.ModelChoiceField(
        label=_("Pemerintah daerah tujuan"),
        queryset=Government.objects.active(),
        empty_label=_("— pilih pemerintah daerah —"),
        error_messages={
            "required": _("Pilih pemerintah daerah tujuan."),
            "invalid_choice": _("Pemerintah daerah ini tidak dapat dipilih."),
        },
    )
    reason = forms.CharField(
        label=_("Alasan rujukan"),
        help_text=_("Dibaca petugas kedua pemerintah daerah dan pelapor."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan rujukan.")},
    )

    @classmethod
    def for_report(cls, report, **kwargs):
        form = cls(**kwargs)
        form.bind_to(report)
        return form

    def bind_to(self, report):
        """Any active government but the report's own."""
        self.fields["government"].queryset = Government.objects.active().exclude(pk=report.government_id)


class ReturnReferralForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pengembalian rujukan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan pengembalian rujukan.")},
    )


class CannedReplyForm(forms.Form):
    """Which canned reply to fill, and the agency chosen so far in the form asking."""

    reply = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    lead_agency = forms.ModelChoiceField(queryset=agencies(), required=False)


# ---------------------------------------------------------------------------- inbox: bulk


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
    lead_agency = agency_field(
        label=_("Perangkat daerah utama"), required=False, empty_label=_("Pilih perangkat daerah")
    )
    owner = CoordinatorField(label=_("Tugaskan ke"), required=False, empty_label=_("Pilih koordinator"))
    # The newest event when the list was drawn: a report someone else changed after it is
    # skipped (the report page's ``version``). Without one (an older page) every report is acted on.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean_duplicate_of(self):
        return original_report(self.cleaned_data["duplicate_of"])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only reports the user may see can be chosen (reports/access.py), and only their
        # government's agencies.
        self.fields["reports"].queryset = access.reports_visible_to(user).order_by("received_at", "pk")
        for_user(self, user)

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
