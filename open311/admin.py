from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from open311.models import LIST_TYPES, AttributeAnswer, AttributeValue, ServiceAttribute, ServiceRequest


class ValueFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        datatype = getattr(self.instance, "datatype", None)
        if datatype in LIST_TYPES and not kept:
            raise ValidationError(_("Pertanyaan pilihan membutuhkan paling sedikit satu pilihan jawaban."))


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    formset = ValueFormSet
    extra = 2
    fields = ["order", "key", "name"]


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    list_display = ["category", "order", "code", "description", "datatype", "required", "variable", "is_active"]
    list_filter = ["is_active", "datatype", "required", "category__parent"]
    list_select_related = ["category__parent"]
    search_fields = ["code", "description", "category__name"]
    inlines = [AttributeValueInline]
    fields = [
        "category",
        "code",
        "description",
        "datatype",
        "datatype_description",
        "required",
        "variable",
        "order",
        "is_active",
    ]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = ["report", "api_key", "created_at", "media_url"]
    list_select_related = ["report", "api_key"]
    search_fields = ["report__tracking_number", "token"]
    readonly_fields = [
        "report",
        "api_key",
        "token",
        "address_id",
        "media_url",
        "device_id",
        "account_id",
        "created_at",
        "answers",
    ]

    @admin.display(description=_("jawaban pertanyaan layanan"))
    def answers(self, obj):
        rows = AttributeAnswer.objects.filter(report=obj.report_id).select_related("attribute")
        return (
            format_html_join(mark_safe("<br>"), "{}: {}", ((a.attribute.description, _shown(a.value)) for a in rows))
            or "—"
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _shown(value):
    return ", ".join(value) if isinstance(value, list) else value
