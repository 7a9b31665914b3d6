"""The portal's submission form with the API's one extra field: which app sent it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import ReportForm
from reports.models import Channel, ReplyChannel


class ApiReportForm(ReportForm):
    # An app sends its retry key as the Idempotency-Key header instead (api/views_resident.py).
    submission_key = None
    channel = forms.ChoiceField(
        label=_("Kanal"),
        choices=[(Channel.API.value, Channel.API.label), (Channel.ANDROID.value, Channel.ANDROID.label)],
        required=False,
        help_text=_("'android' untuk aplikasi Android kota, selain itu 'api' (bawaan)."),
    )

    # Read by the view before the form is made (api/views_resident.py resident_government):
    # here so the schema documents it.
    government = forms.SlugField(
        label=_("Pemerintah daerah"),
        required=False,
        help_text=_("Slug pemerintah daerah tujuan, mis. 'kota-blitar'; kosong: pemerintah daerah bawaan."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The portal's radio buttons always send a choice; an API client may leave it out.
        self.fields["reply_channel"].required = False

    def clean_reply_channel(self):
        return self.cleaned_data["reply_channel"] or ReplyChannel.NONE

    def submit_kwargs(self):
        kwargs = super().submit_kwargs()
        kwargs["channel"] = self.cleaned_data.get("channel") or Channel.API
        return kwargs
