"""The monev filter: a period and a scope. ``to_filter()`` answers a figures.Filter."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateField
from monev import figures, periods
from reports.models import Channel, Kind
from workspace.forms import BAD_DATE, KelurahanField, agencies, categories, for_governments, kecamatan

PRESETS = [
    ("", _("Tanggal pilihan")),
    ("month", _("Bulan ini")),
    ("last_month", _("Bulan lalu")),
    ("quarter", _("Triwulan ini")),
    ("year", _("Tahun ini")),
]
MAX_PERIOD_DAYS = 3 * 366


def preset_bounds(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    if preset == "last_month":
        return figures.period_bounds("month", today.replace(day=1) - dt.timedelta(days=1))
    return figures.period_bounds(preset, today)


def _date_field(label):
    return DateField(
        label=label,
        required=False,
        error_messages={"invalid": BAD_DATE},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class MonevFilterForm(forms.Form):
    preset = forms.ChoiceField(label=_("Periode"), choices=PRESETS, required=False)
    start = _date_field(_("Dari tanggal"))
    end = _date_field(_("Sampai tanggal"))
    agency = forms.ModelChoiceField(
        label=_("Perangkat daerah"), queryset=agencies(), required=False, empty_label=_("Semua perangkat daerah")
    )
    category = forms.ModelChoiceField(
        label=_("Kategori"), queryset=categories(), required=False, empty_label=_("Semua kategori")
    )
    channel = forms.ChoiceField(label=_("Kanal"), choices=[("", _("Semua kanal")), *Channel.choices], required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=[("", _("Semua jenis")), *Kind.choices], required=False)
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=kecamatan(), required=False, empty_label=_("Semua kecamatan")
    )
    kelurahan = KelurahanField(label=_("Kelurahan"), required=False, empty_label=_("Semua kelurahan"))

    def __init__(self, data=None, *, fixed_agency=None, government_id=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fixed_agency = fixed_agency
        # The government whose figures these are: the fixed agency's, else the one given.
        self.government_id = fixed_agency.government_id if fixed_agency is not None else government_id
        if fixed_agency is not None:
            del self.fields["agency"]
        if self.government_id is not None:
            for_governments(self, self.government_id)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        preset = data.get("preset")
        start, end = data.get("start"), data.get("end")
        self.default = None
        if preset:
            start, end = preset_bounds(preset, today)
        elif not start and not end:
            self.default = periods.default_period(today)
            start, end = self.default.start, self.default.end
        start = start or (end.replace(day=1) if end else today.replace(day=1))
        end = end or today
        if end < start:
            raise forms.ValidationError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
        if (end - start).days > MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("Periode paling panjang tiga tahun."))
        data["start"], data["end"] = start, end
        return data

    def show_applied(self):
        """Write the period actually applied into the form's data, so the page shows its
        dates (and the preset they match, if any) rather than empty boxes."""
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        data = self.data.copy()
        data["start"], data["end"] = start.isoformat(), end.isoformat()
        today = timezone.localdate()
        data["preset"] = next((p for p, _l in PRESETS[1:] if preset_bounds(p, today) == (start, end)), "")
        self.data = data

    def to_filter(self) -> figures.Filter:
        data = self.cleaned_data
        agency = self.fixed_agency if self.fixed_agency is not None else data.get("agency")

        def pk(obj):
            return obj.pk if obj is not None else None

        return figures.Filter(
            start=data["start"],
            end=data["end"],
            agency=pk(agency),
            category=pk(data.get("category")),
            channel=data.get("channel") or "",
            kind=data.get("kind") or "",
            kecamatan=pk(data.get("kecamatan")),
            kelurahan=pk(data.get("kelurahan")),
            government=self.government_id,
        )


class DrilldownForm(forms.Form):
    metric = forms.ChoiceField(choices=[(m, m) for m in figures.METRICS])
    reason = forms.CharField(required=False, max_length=32)
    bucket = forms.ChoiceField(required=False, choices=[("", "")] + [(b[0], b[0]) for b in figures.BACKLOG_BUCKETS])
