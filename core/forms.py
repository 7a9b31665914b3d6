"""Form pieces shared by the public portal and the staff workspace."""

import datetime as dt

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


# The dates anyone may type into a filter or a form. Every query shifts a date by a time
# zone, a day, a window of 90 days or a period of years; at year 1 or 9999 that shift
# overflows Python's datetime (OverflowError, a 500), so such dates are refused up front.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)


def date_in_range(day: dt.date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def out_of_range_message() -> str:
    return _("Tanggal harus antara tahun %(first)d dan %(last)d.") % {
        "first": EARLIEST_DATE.year,
        "last": LATEST_DATE.year,
    }


class DateField(forms.DateField):
    """A date between EARLIEST_DATE and LATEST_DATE."""

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not date_in_range(day):
            raise ValidationError(out_of_range_message(), code="out_of_range")
        return day


class DateTimeField(forms.DateTimeField):
    """A moment between EARLIEST_DATE and LATEST_DATE (checked before it is stored or
    compared, which converts it to UTC)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not date_in_range(moment.date()):
            raise ValidationError(out_of_range_message(), code="out_of_range")
        return moment


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
