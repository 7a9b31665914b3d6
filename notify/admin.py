"""Templates are edited here; messages and their attempts are only shown (they change
through notify/actions.py: the coordinator's retry is on /kerja/pengiriman/)."""

from django.contrib import admin

from core.audit import AuditedAdmin
from notify.models import CannedReply, DeliveryAttempt, MessageTemplate, OutboxMessage, StaffContact


@admin.register(MessageTemplate)
class MessageTemplateAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["code", "language", "channel", "subject", "updated_at"]
    list_filter = ["language", "channel", "code"]
    search_fields = ["code", "subject", "body"]


@admin.register(CannedReply)
class CannedReplyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["title", "used_by", "position", "is_active", "updated_at"]
    list_editable = ["position", "is_active"]
    list_filter = ["used_by", "is_active"]
    search_fields = ["title", "body"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["started_at", "finished_at", "ok", "error", "provider_message_id"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "created_at",
        "channel",
        "account",
        "template_code",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["state", "channel", "template_code"]
    search_fields = ["dedupe_key", "report__tracking_number", "account"]
    list_select_related = ["report"]
    raw_id_fields = ["report", "user", "after"]
    inlines = [DeliveryAttemptInline]


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    list_display = ["pk", "message", "started_at", "finished_at", "ok", "provider_message_id"]
    list_filter = ["ok"]


@admin.register(StaffContact)
class StaffContactAdmin(admin.ModelAdmin):
    list_display = ["user", "whatsapp_number"]
    search_fields = ["user__username", "whatsapp_number"]
    raw_id_fields = ["user"]
