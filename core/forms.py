"""Form pieces shared by the public portal and the staff workspace."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.uploads import clean_upload


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to ADUAN_MAX_ATTACHMENTS photos or PDFs, each checked by its content; cleans to a
    list of core.uploads.CleanUpload ready for an action's ``attachments``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Lampiran (foto atau PDF)"))
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        limit = settings.ADUAN_MAX_ATTACHMENTS
        if len(files) > limit:
            raise ValidationError(
                ngettext("Paling banyak %(n)d lampiran.", "Paling banyak %(n)d lampiran.", limit) % {"n": limit},
                code="too_many",
            )
        cleaned, errors = [], []
        for uploaded in files:
            try:
                cleaned.append(clean_upload(uploaded))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class _GroupedIterator(forms.models.ModelChoiceIterator):
    """Children grouped under their parent's name (``<optgroup>``), so the child select is
    usable without JavaScript; htmx narrows it to the chosen parent. The queryset must be
    ordered by parent first."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict = {}
        for obj in self.queryset:
            groups.setdefault(str(obj.parent), []).append(self.choice(obj))
        yield from groups.items()


class GroupedModelChoiceField(forms.ModelChoiceField):
    iterator = _GroupedIterator

    def label_from_instance(self, obj):
        return obj.name
