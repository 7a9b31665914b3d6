from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from agencies.roles import staff_profile
from lapor.parsing import TRACKING_ID
from workspace.forms import PeriodForm


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas ekspor SP4N-LAPOR! (XLSX atau CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
        error_messages={"required": _("Pilih berkas ekspor yang akan diimpor."), "empty": _("Berkas kosong.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ADUAN_LAPOR_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("Berkas terlalu besar (%(size)s). Batas impor %(limit)s; pecah ekspor per periode.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class ExportForm(PeriodForm):
    FORMATS = [("xlsx", "XLSX"), ("csv", "CSV")]

    agency = forms.ModelChoiceField(
        label=_("Perangkat daerah"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Semua yang boleh saya lihat"),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="xlsx", required=False)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        profile = staff_profile(user)
        agencies = Agency.objects.filter(is_active=True, government_id__in=profile.overseen_government_ids)
        if not profile.sees_everything:
            agencies = Agency.objects.filter(pk__in=profile.reading_agency_ids)
        self.fields["agency"].queryset = agencies.order_by("name")

    def clean_format(self):
        return self.cleaned_data.get("format") or "xlsx"


class ReferredForm(forms.Form):
    lapor_tracking_id = forms.CharField(
        label=_("Tracking ID SP4N-LAPOR!"),
        max_length=40,
        error_messages={"required": _("Isi Tracking ID SP4N-LAPOR! yang didapat saat merujuk laporan.")},
    )

    def clean_lapor_tracking_id(self):
        value = self.cleaned_data["lapor_tracking_id"].strip()
        if not TRACKING_ID.match(value):
            raise ValidationError(_("Tracking ID SP4N-LAPOR! berupa angka, mis. 4012345."))
        return value


class MappingForm(forms.Form):
    """The unmapped-values page as one form: per LAPOR! value a box "Terapkan" (ticked when
    there is a proposal) and the target (the proposal preselected). Accepting takes every
    ticked value, or none when one of them is wrong."""

    def __init__(self, data=None, *, proposals, targets):
        """``proposals``: lapor.proposals.Proposal per unmapped value; ``targets``: kind →
        [(pk, label)] of the active categories / agencies (one query each, for every row)."""
        super().__init__(data)
        self.rows = []
        for proposal in proposals:
            mapping, kind = proposal.mapping, proposal.kind
            take, target = f"take-{kind}-{mapping.pk}", f"target-{kind}-{mapping.pk}"
            self.fields[target] = forms.TypedChoiceField(
                label=_("Petakan ke"),
                choices=[("", "—"), *targets[kind]],
                coerce=int,
                empty_value=None,
                required=False,
                initial=proposal.target_id,
                error_messages={"invalid_choice": _("Pilihan ini tidak ada lagi; muat ulang halaman.")},
                widget=forms.Select(attrs={"aria-label": _("Petakan “%(value)s” ke") % {"value": mapping.lapor_name}}),
            )
            self.fields[take] = forms.BooleanField(
                label=_("Terapkan"),
                required=False,
                initial=proposal.target_id is not None,
                widget=forms.CheckboxInput(
                    attrs={"aria-label": _("Terapkan pemetaan “%(value)s”") % {"value": mapping.lapor_name}}
                ),
            )
            self.rows.append((proposal, self[target], self[take]))

    def clean(self):
        chosen = []
        for proposal, target, take in self.rows:
            if not self.cleaned_data.get(take.name):
                continue
            value = self.cleaned_data.get(target.name)
            if value is None:
                if target.name not in self.errors:
                    self.add_error(
                        target.name,
                        _("Pilih tujuan untuk “%(value)s”, atau hapus centangnya.")
                        % {"value": proposal.mapping.lapor_name},
                    )
                continue
            chosen.append((proposal.kind, proposal.mapping.pk, value))
        if not chosen and not self.errors:
            raise ValidationError(_("Centang minimal satu nilai yang akan dipetakan."))
        self.cleaned_data["choices"] = chosen
        return self.cleaned_data
