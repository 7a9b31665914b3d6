from django.contrib import admin

from core.audit import AuditedAdmin
from governments.models import Government


@admin.register(Government)
class GovernmentAdmin(AuditedAdmin, admin.ModelAdmin):
    """The governments of the installation. A new one is best made with ``manage.py
    add_government`` (its complaint unit and categories come with it)."""

    list_display = ["name", "kind", "slug", "host", "tracking_prefix", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug", "host"]
    prepopulated_fields = {"slug": ["name"]}
