"""Forms of the public map and of the nearby reports shown on the report form; each
``clean`` returns domain values (portal/map_views.py)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from portal.forms import PublicReportFilter
from reports.models import Category

PERIODS = [
    ("", _("Kapan saja")),
    ("7", _("7 hari terakhir")),
    ("30", _("30 hari terakhir")),
    ("90", _("90 hari terakhir")),
    ("365", _("Setahun terakhir")),
]


def _point(value):
    """ "lat,lng" → (lat, lng) within range, else None."""
    try:
        lat, lng = (float(part) for part in value.split(","))
    except ValueError:
        return None
    if -90 <= lat <= 90 and -180 <= lng <= 180:
        return lat, lng
    return None


class MapFilterForm(PublicReportFilter):
    period = forms.ChoiceField(label=_("Periode"), required=False, choices=PERIODS)
    # "Dekat saya": the phone's position, as "lat,lng" (static/js/public-map.js fills it).
    near = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean_near(self):
        return _point(self.cleaned_data["near"]) if self.cleaned_data["near"] else None

    def filter(self, reports):
        reports = super().filter(reports)
        if self.is_valid() and self.cleaned_data["period"]:
            days = int(self.cleaned_data["period"])
            reports = reports.filter(received_at__gte=timezone.now() - dt.timedelta(days=days))
        return reports

    @property
    def filters_category(self) -> bool:
        return self.is_valid() and self.cleaned_data["category"] is not None

    @property
    def near_point(self):
        return self.cleaned_data.get("near") if self.is_valid() else None


class NearbyForm(forms.Form):
    """What the report form has typed so far: the sub-category, the kelurahan, the pin."""

    category = forms.ModelChoiceField(required=False, queryset=Category.objects.filter(parent__isnull=False))
    region = forms.ModelChoiceField(
        required=False, queryset=Region.objects.filter(level=Region.Level.KELURAHAN).select_related("parent")
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)

    def clean(self):
        data = super().clean()
        if data.get("latitude") is None or data.get("longitude") is None:
            data["point"] = None
        else:
            data["point"] = (data["latitude"], data["longitude"])
        return data
