from django import forms
from django.utils.translation import gettext_lazy as _


class MergeForm(forms.Form):
    original = forms.IntegerField(
        min_value=1, error_messages={"required": _("Pilih laporan asli."), "invalid": _("Laporan asli tidak dikenal.")}
    )
    message = forms.CharField(required=False, max_length=2000)


class RejectDuplicateForm(forms.Form):
    candidate = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": _("Pilih laporan yang bukan masalah yang sama."),
            "invalid": _("Laporan itu tidak dikenal."),
            "min_value": _("Laporan itu tidak dikenal."),
        },
    )
