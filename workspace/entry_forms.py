"""Forms of manual entry: a report typed in by staff, and the search for similar reports
beside it (workspace/entry_views.py)."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from core.forms import AttachmentsField, DateTimeField
from reports.models import (
    MANUAL_CHANNELS,
    Kind,
    ReplyChannel,
)
from workspace.forms import (
    KelurahanField,
    categories,
)


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
    region = KelurahanField(label=_("Kelurahan"), required=False)
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
