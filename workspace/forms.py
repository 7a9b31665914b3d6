"""Forms of the staff workspace's lists: the choices every form shares, dates, the
report and disposition filters, saved views, and the recaps' period. The report page's
action forms (and the inbox's bulk form) are in action_forms.py, manual entry's in
entry_forms.py. Each ``clean`` returns domain values, so a view can pass
``form.cleaned_data`` straight to the matching action in reports/actions/."""

import datetime as dt
from functools import partial

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Appointment, Region
from agencies.roles import active_coordinators, staff_profile
from core.choice_lists import ListedModelChoiceField
from core.forms import DateField
from reports import access
from reports.models import (
    Category,
    Channel,
    Disposition,
    Kind,
    Report,
    Status,
)

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


def for_governments(form, government_ids):
    """Offer in ``form`` only the agencies, categories, kecamatan/kelurahan and coordinators of
    ``government_ids`` (the user's governments, or the one of the report at hand): a
    select never shows another government's names, and a posted id of theirs is refused
    as an invalid choice. Answers the form."""
    ids = sorted(government_ids) if not isinstance(government_ids, int) else [government_ids]
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and queryset.model in (Agency, Category, Region):
            field.queryset = queryset.filter(government_id__in=ids)
            if getattr(field, "list_name", None):
                # A kept list (core/choice_lists.py) is kept per government too: never one
                # government's names drawn from the list another government's page kept.
                field.list_name = f"{field.list_name}@{','.join(map(str, ids))}"
        elif isinstance(field, OwnerField):
            field.read_from(partial(_owner_choices, ids))
        elif queryset is not None and queryset.model is get_user_model():
            field.queryset = queryset.filter(
                appointments__in=Appointment.objects.active().filter(agency__government_id__in=ids)
            ).distinct()
    return form


def for_user(form, user):
    return for_governments(form, staff_profile(user).government_ids())


class KelurahanField(ListedModelChoiceField):
    """Every kelurahan, each with its kecamatan (kept in memory: core/choice_lists.py)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=kelurahan(), list_name="kelurahan", **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else obj.name


class KelurahanByKecamatanField(ListedModelChoiceField):
    """Every kelurahan grouped under its kecamatan (``<optgroup>``), so the list is usable
    without JavaScript; with htmx every answer narrows it to the chosen kecamatan
    (ReportFilterForm.narrowed_kelurahan)."""

    grouped = True

    def __init__(self, **kwargs):
        super().__init__(queryset=kelurahan_by_kecamatan(), list_name="kelurahan_by_kecamatan", **kwargs)

    def group_from_instance(self, obj):
        return str(obj.parent)

    def label_from_instance(self, obj):
        return obj.name


def category_field(**kwargs):
    """A select of every active category, parents followed by their children."""
    return ListedModelChoiceField(queryset=categories(), list_name="categories", **kwargs)


def agency_field(**kwargs):
    """A select of every active agency."""
    return ListedModelChoiceField(queryset=agencies(), list_name="agencies", **kwargs)


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


def with_blank(label, choices):
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


def _owner_choices(government_ids=None):
    coordinators = active_coordinators()
    if government_ids is not None:
        coordinators = coordinators.filter(
            appointments__in=Appointment.objects.active().filter(agency__government_id__in=government_ids)
        ).distinct()
    people = [(str(p.pk), p.get_full_name() or p.get_username()) for p in coordinators]
    return [("", _("Semua pemilik")), (OWNER_ME, _("Milik saya")), (OWNER_NONE, _("Belum ada pemilik")), *people]


class _ReadOnce:
    """A choices callable that reads at most once: a select drawn asks for its choices
    twice (its first option, to know whether it may say ``required``, then all of them),
    and each ask of a plain callable read the coordinators again (a query and its ORM work,
    about a fifth of the inbox's Python)."""

    def __init__(self, read):
        self.read = read
        self.rows = None

    def __call__(self):
        if self.rows is None:
            self.rows = self.read()
        return self.rows


class OwnerField(forms.ChoiceField):
    """Mine, nobody's, or one coordinator. The coordinators are read only when the select
    is drawn (a count of a saved view validates its filters without that query), once per
    form: each form's copy of the field (and of its widget) starts with choices unread."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.read_from(_owner_choices)

    def read_from(self, read):
        """Take the coordinators from ``read()`` (read once, when first asked)."""
        self._read = read
        self.choices = _ReadOnce(read)  # the field's and its widget's

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.read_from(self._read)
        return result

    def valid_value(self, value):
        return value in (OWNER_ME, OWNER_NONE) or (value.isdigit() and int(value) < 2**63)


SORT_SUPPORTS = "supports"


class ReportFilterForm(ListFilterForm):
    status = forms.MultipleChoiceField(
        label=_("Status"), choices=Status.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(label=_("Jenis"), choices=with_blank(_("Semua jenis"), Kind.choices), required=False)
    category = category_field(label=_("Kategori"), required=False, empty_label=_("Semua kategori"))
    agency = agency_field(label=_("Perangkat daerah"), required=False, empty_label=_("Semua perangkat daerah"))
    channel = forms.ChoiceField(label=_("Kanal"), choices=with_blank(_("Semua kanal"), Channel.choices), required=False)
    kecamatan = ListedModelChoiceField(
        label=_("Kecamatan"),
        queryset=kecamatan(),
        list_name="kecamatan",
        required=False,
        empty_label=_("Semua kecamatan"),
    )
    kelurahan = KelurahanByKecamatanField(label=_("Kelurahan"), required=False, empty_label=_("Semua kelurahan"))
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
        if user is not None:
            for_user(self, user)

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
            field.list_name = None  # not the kept list of every kelurahan
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


# ---------------------------------------------------------------------------- saved views


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
