"""A resident's subscription to the updates of one public report, or of the public reports
of an area (a kelurahan or a whole kecamatan), optionally of one category there.

Nothing here changes state: alerts/actions.py does (subscribe, confirm, unsubscribe,
send_digests).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    # The values are notify.models.Channel's: a subscription's messages go through the outbox.
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Subscription(models.Model):
    """pending (until the address's owner opens the confirmation link) → active (a daily
    digest, at most one message a day) → ended (one-click unsubscribe). Subscribing again
    to an ended one makes it pending again: the owner confirms once more.

    A "me too" support with a contact is a subscription to its report (``support``)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu konfirmasi")
        ACTIVE = "active", _("Aktif")
        ENDED = "ended", _("Berhenti")

    channel = models.CharField(_("kanal"), max_length=16, choices=Channel.choices)
    # An email address in lower case, or a WhatsApp number in E.164.
    address = models.CharField(_("alamat"), max_length=254)
    language = models.CharField(_("bahasa"), max_length=8, choices=settings.LANGUAGES, default="id")
    # What is followed: one report, or an area (kelurahan or kecamatan) with an optional
    # top-level category. ``target`` spells it as one key, for the unique constraint.
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    region = models.ForeignKey(
        "agencies.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    category = models.ForeignKey(
        "reports.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    target = models.CharField(max_length=64, editable=False)
    support = models.ForeignKey(
        "reports.Support", null=True, blank=True, on_delete=models.SET_NULL, related_name="subscriptions"
    )
    state = models.CharField(_("status"), max_length=8, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("dikonfirmasi pada"), null=True, blank=True)
    ended_at = models.DateTimeField(_("berhenti pada"), null=True, blank=True)
    # The last digest: its local date (never two on one day) and the end of the period it
    # covered (the next one starts there).
    last_digest_on = models.DateField(null=True, blank=True)
    covered_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("langganan kabar")
        verbose_name_plural = _("langganan kabar")
        constraints = [
            models.UniqueConstraint(fields=["channel", "address", "target"], name="subscription_once_per_address"),
        ]
        indexes = [models.Index(fields=["state", "last_digest_on"])]

    def __str__(self):
        return f"{self.channel} {self.target} ({self.state})"

    @staticmethod
    def target_key(*, report=None, region=None, category=None) -> str:
        if report is not None:
            return f"report:{report.pk}"
        return f"region:{region.pk}" + (f":category:{category.pk}" if category is not None else "")
