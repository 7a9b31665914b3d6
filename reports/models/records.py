"""What is recorded about a report besides its own row: the event trail, attachments, who was
shown the reporter's identity, and residents' support."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from core import phones
from reports.models.catalogue import Audience
from reports.models.disposition import Disposition


class ReportEvent(models.Model):
    """One change to a report: the audit trail, the monev source and the notification queue."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="events")
    disposition = models.ForeignKey(
        Disposition, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    action = models.CharField(_("tindakan"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=16)  # citizen, coordinator, agency, system
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    message = models.TextField(blank=True)
    # Whether the reporter sees the event (their tracking page, their notifications).
    is_public = models.BooleanField(default=False)
    # Who may read its message: staff, the reporter, or the public as well. is_public is
    # audience != staff (record_event keeps them in step).
    audience = models.CharField(_("terlihat oleh"), max_length=8, choices=Audience.choices, default=Audience.STAFF)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("riwayat laporan")
        verbose_name_plural = _("riwayat laporan")
        indexes = [models.Index(fields=["report", "created_at"]), models.Index(fields=["action", "created_at"])]

    def __str__(self):
        return f"{self.report_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename):
    return f"reports/{timezone.localdate():%Y/%m}/{secrets.token_hex(12)}{_ext(filename)}"


def _ext(filename):
    return "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


class Attachment(models.Model):
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(ReportEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    # False for attachments of internal notes: staff only.
    is_public = models.BooleanField(default=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class IdentityRead(models.Model):
    """Audit row: a staff member was shown a reporter's identity."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="identity_reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.report} {self.at:%Y-%m-%d %H:%M}"


class Support(models.Model):
    """A resident's "Saya juga mengalami ini" on a public report: one per device (the hash
    of the portal's device cookie) and one per contact, so reloading, another browser of
    the same person with their contact, or a second click does not count twice. The
    optional contact is where the resident hears the report's updates; it is personal data,
    shown to nobody on the public side."""

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="supports")
    # sha256 of the device cookie: the cookie alone (not stored) identifies the device.
    device = models.CharField(max_length=64)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("nomor HP"), max_length=32, blank=True)
    phone_e164 = models.CharField(max_length=16, blank=True, editable=False)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("dukungan")
        verbose_name_plural = _("dukungan")
        constraints = [
            models.UniqueConstraint(fields=["report", "device"], name="support_once_per_device"),
            models.UniqueConstraint(fields=["report", "email"], condition=~Q(email=""), name="support_once_per_email"),
            models.UniqueConstraint(
                fields=["report", "phone_e164"], condition=~Q(phone_e164=""), name="support_once_per_phone"
            ),
        ]

    def __str__(self):
        return f"{self.report} +1"

    def save(self, *args, **kwargs):
        self.phone_e164 = phones.e164_or_blank(self.phone)
        super().save(*args, **kwargs)
