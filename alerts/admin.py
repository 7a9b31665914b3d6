from django.contrib import admin

from alerts.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Read-only: residents subscribe, confirm and unsubscribe themselves (signed links)."""

    list_display = ["target", "channel", "state", "language", "created_at", "confirmed_at", "last_digest_on"]
    list_filter = ["state", "channel"]
    readonly_fields = [f.name for f in Subscription._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
