"""The "Ikuti" form (follow one report, or an area with an optional category) and the
feed's parameters; each ``clean_*`` returns domain values (portal/follow_views.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from alerts.actions import whatsapp_available
from alerts.models import Channel
from core import phones
from portal.forms import of_government
from reports.models import Category


def region_choices(government=None):
    """Each kecamatan of ``government`` as a group: the whole kecamatan first, then its
    kelurahan (one query)."""
    regions = list(of_government(Region.objects.order_by("name"), government))
    kelurahan = {}
    for region in regions:
        if region.level == Region.Level.KELURAHAN:
            kelurahan.setdefault(region.parent_id, []).append(region)
    choices = [("", _("Pilih kelurahan atau kecamatan"))]
    for kecamatan in (r for r in regions if r.level == Region.Level.KECAMATAN):
        group = [(str(kecamatan.pk), _("Seluruh Kecamatan %(name)s") % {"name": kecamatan.name})]
        group += [(str(r.pk), r.name) for r in kelurahan.get(kecamatan.pk, [])]
        choices.append((kecamatan.name, group))
    return choices


def top_categories(government=None):
    return of_government(Category.objects.filter(parent__isnull=True).order_by("name"), government)


class FollowForm(forms.Form):
    """With ``report``: follow that report (only the contact is asked). Without: an area
    (kelurahan or a whole kecamatan) and optionally a category."""

    region = forms.ChoiceField(
        label=_("Wilayah"),
        required=False,
        error_messages={"invalid_choice": _("Wilayah tidak dikenal. Pilih dari daftar.")},
    )
    category = forms.ModelChoiceField(
        label=_("Kategori (boleh semua)"), required=False, empty_label=_("Semua kategori"), queryset=top_categories()
    )
    contact = forms.CharField(
        label=_("Email"),
        max_length=254,
        error_messages={"required": _("Isi alamat email Anda.")},
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def __init__(self, *args, report=None, government=None, **kwargs):
        # Its own ids: the report page has the "me too" form's contact field too.
        kwargs.setdefault("auto_id", "follow_%s")
        super().__init__(*args, **kwargs)
        self.report = report
        # The portal's government's areas and categories only.
        self.government = government
        self.fields["category"].queryset = top_categories(government)
        self.whatsapp = whatsapp_available(government)  # a report's page is its government's portal
        if self.whatsapp:
            self.fields["contact"].label = _("Email atau nomor WhatsApp")
            self.fields["contact"].error_messages["required"] = _("Isi alamat email atau nomor WhatsApp Anda.")
        self.fields["contact"].help_text = _(
            "Kami kirim tautan konfirmasi dulu; kabar dikirim paling banyak sekali sehari. Tidak pernah ditampilkan."
        )
        if report is None:
            self.fields["region"].choices = region_choices(government)
        else:
            del self.fields["region"], self.fields["category"]

    def clean_region(self):
        value = self.cleaned_data["region"]
        if not value:
            return None
        region = of_government(Region.objects.filter(pk=value), self.government).first()
        if region is None:
            raise ValidationError(_("Wilayah tidak dikenal. Pilih dari daftar."))
        return region

    def clean_contact(self):
        """(channel, address): an email address, or a WhatsApp number in E.164."""
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(_("Alamat email tidak valid.")) from None
            return Channel.EMAIL, value.lower()
        number = phones.e164_or_blank(value)
        if number and self.whatsapp:
            return Channel.WHATSAPP, number
        if number:
            raise ValidationError(_("Kabar lewat WhatsApp belum tersedia. Isi alamat email."))
        if self.whatsapp:
            raise ValidationError(_("Isi alamat email atau nomor WhatsApp yang valid, mis. 081234567890."))
        raise ValidationError(_("Isi alamat email yang valid, mis. nama@contoh.id."))

    def clean(self):
        data = super().clean()
        if self.report is None and "region" not in self.errors and data.get("region") is None:
            self.add_error("region", _("Pilih kelurahan atau kecamatan yang ingin diikuti."))
        return data

    def subscription(self) -> dict:
        """alerts.actions.subscribe's arguments."""
        channel, address = self.cleaned_data["contact"]
        if self.report is not None:
            return {"channel": channel, "address": address, "report": self.report}
        return {
            "channel": channel,
            "address": address,
            "region": self.cleaned_data["region"],
            "category": self.cleaned_data["category"],
        }


class FeedForm(forms.Form):
    """An area's feed: ``?wilayah=<kelurahan or kecamatan id>&kategori=<category id>``. On a
    government's portal (``government``) only its own kecamatan, kelurahan and categories,
    as its "Ikuti" box offers: another government's is invalid, so its feed is not found."""

    wilayah = forms.ModelChoiceField(queryset=Region.objects.select_related("parent"))
    kategori = forms.ModelChoiceField(queryset=top_categories(), required=False)

    def __init__(self, *args, government=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].queryset = of_government(Region.objects.select_related("parent"), government)
        self.fields["kategori"].queryset = top_categories(government)
