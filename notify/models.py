"""The outbox: message templates, the messages to send and every attempt to send them.

Nothing here changes state: notify/actions.py does (queue, claim, deliver, retry).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template import Engine, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Appointment
from governments import channel_accounts
from governments.models import Government

# Plain-text messages: no HTML escaping of what the reporter or the agency wrote.
TEXT_ENGINE = Engine(autoescape=False)


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    INSTAGRAM = "instagram", _("Instagram")


class Language(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")


ANY_CHANNEL = "any"


class MessageTemplate(models.Model):
    """The text of one kind of message (``code``) in one language, for one channel or for
    any channel. Subject and body use Django template syntax ({{ tracking_number }}, ...)."""

    code = models.CharField(_("kode"), max_length=64)
    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices, default=Language.INDONESIAN)
    channel = models.CharField(
        _("kanal"),
        max_length=16,
        choices=[(ANY_CHANNEL, _("Semua kanal")), *Channel.choices],
        default=ANY_CHANNEL,
    )
    subject = models.CharField(
        _("subjek"), max_length=200, blank=True, help_text=_("Hanya untuk email. Sertakan {{ tracking_number }}.")
    )
    body = models.TextField(_("isi"))
    description = models.CharField(_("keterangan"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "language", "channel"]
        verbose_name = _("templat pesan")
        verbose_name_plural = _("templat pesan")
        constraints = [
            models.UniqueConstraint(fields=["code", "language", "channel"], name="message_template_unique"),
        ]

    def __str__(self):
        return f"{self.code} ({self.language}, {self.channel})"

    def clean(self):
        for name in ("subject", "body"):
            try:
                TEXT_ENGINE.from_string(getattr(self, name))
            except TemplateSyntaxError as exc:
                raise ValidationError({name: _("Templat tidak valid: %(error)s") % {"error": exc}}) from None


class CannedReply(models.Model):
    """A text staff send often ("Laporan {nomor} diteruskan ke {opd}…"), chosen in the
    workspace's message boxes, which fill its placeholders (notify/canned.py) and insert it
    for the staff member to read over and send. Edited by the administrator."""

    class UsedBy(models.TextChoices):
        EVERYONE = "all", _("Koordinator dan perangkat daerah")
        COORDINATOR = "coordinator", _("Koordinator")
        AGENCY = "agency", _("Perangkat daerah")

    title = models.CharField(_("judul"), max_length=80, help_text=_("Nama singkat di daftar pilihan."))
    body = models.TextField(
        _("isi"),
        help_text=_(
            "Tanda yang diisi otomatis: {nomor} nomor pelacakan, {opd} perangkat daerah, "
            "{tenggat} tenggat (mis. 14 Maret 2026)."
        ),
    )
    used_by = models.CharField(_("dipakai oleh"), max_length=16, choices=UsedBy.choices, default=UsedBy.EVERYONE)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("balasan cepat")
        verbose_name_plural = _("balasan cepat")

    def __str__(self):
        return self.title


class OutboxQuerySet(models.QuerySet):
    def due(self, at=None):
        """Queued messages whose (next) attempt is due."""
        return self.filter(state=OutboxMessage.State.QUEUED, next_attempt_at__lte=at or timezone.now())

    def troubled(self):
        """What the coordinator should look at: failed, or queued again after a failure."""
        return self.filter(
            models.Q(state=OutboxMessage.State.FAILED) | models.Q(state=OutboxMessage.State.QUEUED, attempts__gt=0)
        )

    def of_governments(self, government_ids, *, home_id):
        """The messages of these governments (a coordinator's deliveries page): about one of
        their reports; to a person appointed in one of their agencies; else (a greeting, an
        alert) sent from one of their own channel accounts (ADUAN_CHANNEL_GOVERNMENTS) — or
        from the installation's, when the home government (``home_id``) is one of them."""
        ids = set(government_ids)
        if not ids:
            return self.none()
        listed = channel_accounts.listed_accounts()
        slugs = set(Government.objects.filter(pk__in=ids).values_list("slug", flat=True)) if listed else set()
        ours, theirs = models.Q(pk__in=[]), models.Q(pk__in=[])
        for (channel, account), slug in listed.items():
            if slug in slugs:
                ours |= models.Q(channel=channel, account=account)
            else:
                theirs |= models.Q(channel=channel, account=account)
        if home_id in ids:
            ours |= ~theirs
        staff = Appointment.objects.active().filter(agency__government_id__in=ids).values("person_id")
        return self.filter(
            models.Q(report__government_id__in=ids)
            | models.Q(report__isnull=True, user__isnull=False, user__in=staff)
            | (models.Q(report__isnull=True, user__isnull=True) & ours)
        )


class OutboxMessage(models.Model):
    """One message to one recipient on one channel.

    States: queued → sending (claimed by one worker) → sent; a failed attempt goes back to
    queued with a later ``next_attempt_at`` until the attempts run out (failed). The
    coordinator may queue a failed message again (retry). A message with ``after`` is not
    claimed while that one is still queued or sending.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Antre")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")
        CANCELLED = "cancelled", _("Dibatalkan")

    channel = models.CharField(_("kanal"), max_length=16, choices=Channel.choices)
    recipient = models.CharField(_("penerima"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )
    template_code = models.CharField(_("kode templat"), max_length=64, blank=True)
    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices, default=Language.INDONESIAN)
    subject = models.CharField(_("subjek"), max_length=200, blank=True)
    body = models.TextField(_("isi"))
    # WhatsApp reply buttons as [[id, title], ...] (conversational replies only).
    buttons = models.JSONField(default=list, blank=True)
    # Extra email headers, e.g. an answer to a resident's mail: Auto-Submitted, and
    # In-Reply-To/References so that it threads under their message.
    headers = models.JSONField(default=dict, blank=True)
    # The channel account it goes out from: a WhatsApp phone-number id, an Instagram account
    # id, an SMS sender number, a mailbox address; empty: the installation's own (settings).
    # Chosen when queued (notify.actions.queue: the account the resident wrote to, else the
    # report's government's), so every retry goes from the same account.
    account = models.CharField(_("dari akun"), max_length=254, blank=True)
    # An answer to the resident's own message, from the account it came to: later messages
    # to the resident about the same report on this channel go from that account too.
    answers_inbound = models.BooleanField(default=False)
    # A conversation's answers keep their order: this message waits until the one before
    # it has been sent or has failed for good (notify.actions.claim).
    after = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="followers", verbose_name=_("setelah")
    )
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    # One event never queues the same message twice: e.g. "event:42:reporter:sms".
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now, db_index=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.channel} {self.template_code or '-'} #{self.pk}"


class DeliveryAttempt(models.Model):
    """One try to hand a message to its channel's provider."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="delivery_attempts")
    started_at = models.DateTimeField(_("mulai"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    ok = models.BooleanField(_("berhasil"), default=False)
    error = models.TextField(_("galat"), blank=True)
    provider_message_id = models.CharField(_("ID pesan penyedia"), max_length=300, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("percobaan pengiriman")
        verbose_name_plural = _("percobaan pengiriman")

    def __str__(self):
        return f"#{self.message_id} {self.started_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'gagal'}"


class StaffContact(models.Model):
    """A staff member's WhatsApp number, for staff notifications on WhatsApp (email goes
    to the account's address). Kept here: agencies/ knows people only as logins."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_contact")
    whatsapp_number = models.CharField(_("nomor WhatsApp"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("kontak petugas")
        verbose_name_plural = _("kontak petugas")

    def __str__(self):
        return str(self.user)
