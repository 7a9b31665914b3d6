"""The "Saya juga mengalami ini" form: one optional contact to hear the report's updates.

What a contact gets is what alerts.actions.follow_support sends: an email address the
confirmation link and then the daily digest; a phone number the same on WhatsApp, which
only an installation with WhatsApp configured sends (SMS carries no digests). So the form
asks for "email or WhatsApp number" there, and for an email address alone elsewhere, where
a phone number is refused with the reason instead of being kept for nothing."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from core import phones


class SupportForm(forms.Form):
    contact = forms.CharField(
        label=_("Email (boleh dikosongkan)"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def __init__(self, *args, whatsapp=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.whatsapp = whatsapp
        field = self.fields["contact"]
        if whatsapp:
            field.label = _("Email atau nomor WhatsApp (boleh dikosongkan)")
            field.help_text = _(
                "Jika diisi, kami kirim tautan konfirmasi dulu; setelah dikonfirmasi, kabar perkembangan "
                "laporan ini paling banyak sekali sehari. Tidak pernah ditampilkan."
            )
            field.widget.attrs.pop("inputmode", None)  # a phone number is welcome too
        else:
            field.help_text = _(
                "Jika diisi, kami kirim tautan konfirmasi ke email ini dulu; setelah dikonfirmasi, kabar "
                "perkembangan laporan ini paling banyak sekali sehari. Tidak pernah ditampilkan."
            )

    def clean_contact(self):
        """{"email": …} or {"phone": …} (only with WhatsApp) or {} for no contact."""
        value = self.cleaned_data["contact"].strip()
        if not value:
            return {}
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(_("Alamat email tidak valid.")) from None
            return {"email": value}
        number = phones.e164_or_blank(value)
        if number and self.whatsapp:
            return {"phone": value}
        if number:
            raise ValidationError(
                _(
                    "Kabar lewat WhatsApp atau SMS belum tersedia. "
                    "Isi alamat email, atau kosongkan untuk mendukung saja."
                )
            )
        if self.whatsapp:
            raise ValidationError(_("Isi alamat email atau nomor WhatsApp yang valid, mis. 081234567890."))
        raise ValidationError(_("Isi alamat email yang valid, mis. nama@contoh.id."))
