from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apikeys import actions
from apikeys.models import ApiKey, ApiKeyUse
from apikeys.scopes import choices


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("izin"), choices=choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ApiKey
        fields = ["name", "organisation", "contact_email", "scopes", "rate_limit_per_minute", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("scopes", [code for code, _label in choices()])


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "organisation", "key_prefix", "created_at", "last_used_at", "revoked_at", "uses_link"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "organisation", "prefix"]
    readonly_fields = ["key_prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description=_("awalan kunci"))
    def key_prefix(self, obj):
        return f"adk_{obj.prefix}_…" if obj.prefix else ""

    @admin.display(description=_("pemakaian"))
    def uses_link(self, obj):
        url = reverse("admin:apikeys_apikeyuse_changelist") + f"?key__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("lihat"))

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        fields = ["name", "organisation", "contact_email", "scopes", "rate_limit_per_minute", "notes"]
        return fields + self.readonly_fields if obj else fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        api_key, key = actions.issue_key(
            name=obj.name,
            organisation=obj.organisation,
            contact_email=obj.contact_email,
            scopes=form.cleaned_data["scopes"],
            rate_limit_per_minute=obj.rate_limit_per_minute,
            notes=obj.notes,
            actor=request.user,
        )
        obj.pk = api_key.pk
        obj._state.adding = False
        obj.refresh_from_db()
        request._issued_api_key = key

    def response_add(self, request, obj, post_url_continue=None):
        key = getattr(request, "_issued_api_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        # The key text appears in this one response only: not in a message cookie or the session.
        context = {
            **self.admin_site.each_context(request),
            "title": _("Kunci API diterbitkan"),
            "api_key": obj,
            "key": key,
            "opts": self.model._meta,
            "changelist_url": reverse("admin:apikeys_apikey_changelist"),
        }
        response = TemplateResponse(request, "apikeys/admin/issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Cabut kunci API terpilih"))
    def revoke(self, request, queryset):
        count = sum(actions.revoke_key(api_key) for api_key in queryset)
        self.message_user(request, _("%(n)d kunci API dicabut.") % {"n": count}, messages.SUCCESS)


@admin.register(ApiKeyUse)
class ApiKeyUseAdmin(admin.ModelAdmin):
    list_display = ["at", "key", "method", "path", "status_code", "remote_addr"]
    list_filter = ["status_code", "method"]
    list_select_related = ["key"]
    date_hierarchy = "at"
    search_fields = ["path", "key__name", "key__prefix"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
