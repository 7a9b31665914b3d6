from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import StaffToken


@admin.register(StaffToken)
class StaffTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "prefix", "name"]
    readonly_fields = ["user", "prefix", "name", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # staff obtain tokens at /api/v1/auth/token/; the text is shown once

    @admin.action(description=_("Cabut token terpilih"))
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
