"""Forms of the staffing pages and of the admin's end-appointment screen; each answers bad
input with an Indonesian message."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, EndKind
from core.forms import DateTimeField

POOL = ""


class WorkloadFilterForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Perangkat daerah"), queryset=Agency.objects.none(), required=False, empty_label=_("Semua")
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies.order_by("name")


class AssignForm(forms.Form):
    """``person``: one of the agency's current liaisons or operators, or the pool."""

    person = forms.ChoiceField(label=_("Tugaskan kepada"), required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in candidates}
        self.fields["person"].choices = [(POOL, _("Antrean perangkat daerah (belum ditugaskan)"))] + [
            (key, person.get_full_name() or person.get_username()) for key, person in self.people.items()
        ]
        self.fields["person"].error_messages["invalid_choice"] = _(
            "Petugas itu bukan admin penghubung atau operator aktif di perangkat daerah ini."
        )

    def clean_person(self):
        value = self.cleaned_data["person"]
        return self.people.get(value) if value != POOL else None


class EndAppointmentForm(forms.Form):
    """The administrator ends an appointment: when, why, and who takes over."""

    ends_at = DateTimeField(
        label=_("Berakhir pada"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Akses berakhir tepat pada saat ini. Kosongkan untuk sekarang."),
        required=False,
    )
    kind = forms.ChoiceField(label=_("Alasan"), choices=EndKind.choices)
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)
    successor = forms.ModelChoiceField(
        label=_("Pengganti"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Tidak ada: kembalikan ke antrean perangkat daerah"),
        help_text=_("Pekerjaan terbuka yang ditugaskan kepada orang ini dipindahkan kepada pengganti."),
    )

    def __init__(self, *args, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = successors
        self.fields["successor"].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def clean_ends_at(self):
        value = self.cleaned_data.get("ends_at")
        if value is None:
            return timezone.now()
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
