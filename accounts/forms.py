from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import tasks, twofactor


class CodeForm(forms.Form):
    """A code from the authenticator app, or one recovery code; ``device`` is the one that
    accepted it."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=20,
        help_text=_("6 angka dari aplikasi autentikator, atau salah satu kode pemulihan."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        device, wait = twofactor.check_code(self.user, self.cleaned_data["code"])
        if device is None and wait:
            raise forms.ValidationError(
                _("Terlalu banyak kode salah. Tunggu %(seconds)d detik, lalu coba lagi."),
                code="throttled",
                params={"seconds": wait},
            )
        if device is None:
            raise forms.ValidationError(
                _("Kode salah atau sudah kedaluwarsa. Pastikan jam di ponsel Anda tepat, lalu coba kode yang baru."),
                code="invalid",
            )
        self.device = device
        return self.cleaned_data["code"]


class SetupForm(forms.Form):
    code = forms.CharField(
        label=_("Kode 6 angka dari aplikasi"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "autofocus": True}
        ),
    )


class StaffPasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("Email akun Anda"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """Queued, not sent: a worker writes the email and its link (accounts/reset.py), so
        a slow mail server cannot hang the page."""
        tasks.send_password_reset.enqueue(context["user"].pk, translation.get_language())
