"""What arrives on the channels before (and beside) the report it becomes."""

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import Report


class InboundMessage(models.Model):
    """One message received on a channel, stored before anything else is done with it.

    ``(channel, provider_id)`` is unique, so a provider that delivers the same message twice
    creates nothing the second time. A message that cannot be handled stays here with
    outcome ``failed`` for a human, never dropped.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Menunggu diproses")
        PROCESSED = "processed", _("Diproses")
        FAILED = "failed", _("Gagal, perlu diperiksa petugas")
        IGNORED = "ignored", _("Diabaikan")

    channel = models.CharField(_("kanal"), max_length=16)
    provider_id = models.CharField(_("ID pesan penyedia"), max_length=200)
    sender = models.CharField(_("pengirim"), max_length=200, blank=True)
    text = models.TextField(_("isi"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(_("hasil"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    error = models.TextField(_("galat"), blank=True)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_messages"
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("pesan masuk")
        verbose_name_plural = _("pesan masuk")
        constraints = [
            models.UniqueConstraint(fields=["channel", "provider_id"], name="inbound_message_unique_provider_id")
        ]

    def __str__(self):
        return f"{self.channel} {self.provider_id}"

    @classmethod
    def store(cls, channel, **fields):
        """The new message, in a transaction of its own so it survives a failed handling;
        None when this id was already handled (a redelivery). A redelivered id still
        pending (the first attempt died between storing and handling) is handed back."""
        try:
            with transaction.atomic():
                return cls.objects.create(channel=channel, **fields)
        except IntegrityError:
            earlier = cls.objects.get(channel=channel, provider_id=fields["provider_id"])
            return earlier if earlier.outcome == cls.Outcome.PENDING else None

    @classmethod
    def lock_pending(cls, pk):
        """The message locked for handling, or None when it is no longer pending (a
        concurrent delivery or task got here first). Call inside a transaction."""
        return cls.objects.select_for_update().filter(pk=pk, outcome=cls.Outcome.PENDING).first()

    def settle(self, outcome, report=None):
        self.outcome, self.report, self.processed_at = outcome, report, timezone.now()
        self.save(update_fields=["outcome", "report", "processed_at"])

    @classmethod
    def mark_failed(cls, pk, error) -> bool:
        """Keep a message that could not be handled for a human; False when it was no
        longer pending (handled meanwhile)."""
        return bool(
            cls.objects.filter(pk=pk, outcome=cls.Outcome.PENDING).update(
                outcome=cls.Outcome.FAILED, error=error[:2000], processed_at=timezone.now()
            )
        )


class Conversation(models.Model):
    """A guided conversation with one contact on a chat channel (WhatsApp, Instagram)."""

    channel = models.CharField(_("kanal"), max_length=16)
    contact = models.CharField(_("kontak"), max_length=200)
    stage = models.CharField(_("tahap"), max_length=32, default="start")
    data = models.JSONField(default=dict, blank=True)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("percakapan")
        verbose_name_plural = _("percakapan")
        constraints = [models.UniqueConstraint(fields=["channel", "contact"], name="conversation_unique_contact")]

    def __str__(self):
        return f"{self.channel} {self.contact} ({self.stage})"
