"""The "Saya juga mengalami ini" form: one optional contact, an email or a phone number."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from core import phones


class SupportForm(forms.Form):
    contact = forms.CharField(
        label=_("Email atau nomor HP (boleh dikosongkan)"),
        help_text=_("Jika diisi, kami kabari perkembangan laporan ini. Tidak pernah ditampilkan."),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def clean_contact(self):
        """{"email": …} or {"phone": …} or {} for no contact."""
        value = self.cleaned_data["contact"].strip()
        if not value:
            return {}
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(_("Alamat email tidak valid.")) from None
            return {"email": value}
        if phones.e164_or_blank(value):
            return {"phone": value}
        raise ValidationError(_("Isi alamat email atau nomor HP yang valid, mis. 081234567890."))
