"""The OpenAPI description of a Django form. The API validates its input with the very
forms the portal and the workspace use (same rules, same messages); these helpers only
describe those forms to drf-spectacular, so the schema cannot drift from the rules."""

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from core.forms import AttachmentsField


def _choices(field):
    return [value for value, _label in field.choices if value != ""]


def _labelled(field):
    return [(value, label) for value, label in field.choices if value != ""]


def _serializer_field(field):
    common = {"required": field.required, "help_text": str(field.help_text or field.label or "")}
    if isinstance(field, AttachmentsField):
        return serializers.ListField(child=serializers.FileField(), required=False, help_text=common["help_text"])
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not field.required, **common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(required=False, help_text=common["help_text"])
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.ListField(child=serializers.ChoiceField(choices=_labelled(field)), **common)
    if isinstance(field, forms.TypedChoiceField) and field.coerce is int:
        return serializers.ChoiceField(choices=[int(v) for v in _choices(field)], **common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=_labelled(field), allow_blank=not field.required, **common)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            min_value=field.min_value,
            max_value=field.max_value,
            allow_null=True,
            coerce_to_string=False,
            **common,
        )
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(**common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.EmailField):
        return serializers.EmailField(allow_blank=True, **common)
    return serializers.CharField(
        max_length=getattr(field, "max_length", None), allow_blank=not field.required, **common
    )


def serializer_for(form_class, name, extra=None):
    """A Serializer class named ``name`` with one field per form field."""
    form = form_class()
    attrs = {key: _serializer_field(field) for key, field in form.fields.items()}
    attrs.update(extra or {})
    return type(name, (serializers.Serializer,), attrs)


def parameters_for(form_class):
    """Query parameters, one per field of a filter form."""
    params = []
    for key, field in form_class().fields.items():
        description = str(field.label or "")
        if isinstance(field, forms.MultipleChoiceField):
            params.append(OpenApiParameter(key, str, enum=_choices(field), many=True, description=description))
        elif isinstance(field, forms.ModelChoiceField):
            params.append(OpenApiParameter(key, OpenApiTypes.INT, description=description))
        elif isinstance(field, forms.BooleanField):
            params.append(OpenApiParameter(key, OpenApiTypes.BOOL, description=description))
        elif isinstance(field, forms.ChoiceField):
            params.append(OpenApiParameter(key, str, enum=_choices(field), description=description))
        elif isinstance(field, forms.DateField):
            params.append(OpenApiParameter(key, OpenApiTypes.DATE, description=description))
        else:
            params.append(OpenApiParameter(key, str, description=description))
    return params
