"""The Instagram channel's handler (run by intake.tasks.process_instagram_message): it
turns direct messages into reports. A contact without an open Instagram report
(``Conversation(channel="instagram", contact=<Instagram-scoped id>)``) gets a new report
from their first message that says enough; later messages attach to it until it is
closed or archived. There is no guided conversation: the coordinator completes the
category and the location in the workspace, as for any report received. Photos sent
before the description wait under ``instagram/pending/``. See docs/channels/instagram.md.
It never enqueues tasks (the webhook does).
"""

import logging
import uuid
from dataclasses import dataclass, field
from functools import cached_property, partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.uploads import CleanUpload, chat_refusal, clean_bytes
from gateways import instagram as gateway
from gateways.http import GatewayError, with_retries
from governments.models import site_name
from intake import chat
from intake.accounts import answering, government_for
from intake.models import InboundMessage
from notify import actions as outbox
from reports import actions
from reports.access import SYSTEM, Reporter
from reports.models import Channel, ReplyChannel, Status

logger = logging.getLogger(__name__)

CHANNEL = "instagram"
START, REPORT = "start", "report"
MIN_DESCRIPTION = 15  # characters; "halo" or "lampu mati" alone is not yet a report
PENDING_PHOTOS = "instagram/pending/"

Outcome = InboundMessage.Outcome


# ------------------------------------------------------------------------------ the task


@dataclass
class Media:
    uploads: list = field(default_factory=list)
    refusal: str = ""  # a polite explanation when a file was refused
    unsupported: bool = False
    lost: str = ""  # why a photo could not be fetched, after retries (for staff)


def handle(message_id) -> None:
    """Process one stored message once, in the frame every chat channel shares
    (intake/chat.py: pending only, media fetched outside the transaction, replies queued
    in it, a failure kept for a human)."""
    chat.handle(message_id, CHANNEL, logger=logger, fetch_media=fetch_media, step=Step, queue_replies=queue_replies)


def fetch_media(message) -> Media:
    """The message's photos, downloaded and cleaned (re-encoded without EXIF); a refusal
    when one is too large or not a readable photo; ``unsupported`` for anything else
    (voice, video, files, shared posts, story mentions, reels)."""
    item = message.payload.get("message") or {}
    attachments = item.get("attachments") or []
    if item.get("is_unsupported") or any(a.get("type") != "image" for a in attachments):
        return Media(unsupported=True)
    if not attachments and not message.text:
        return Media(unsupported=True)  # nothing we can read, e.g. a sticker
    media = Media()
    for attachment in attachments[: settings.ADUAN_MAX_ATTACHMENTS]:
        try:
            data = with_retries(gateway.download, (attachment.get("payload") or {}).get("url"))
        except gateway.TooLarge:
            limit_mb = round(settings.ADUAN_CHANNEL_MAX_MEDIA_BYTES / (1024 * 1024), 1)
            return Media(
                refusal=_("Maaf, berkas Anda terlalu besar (maksimal %(mb)s MB). Kirim foto yang lebih kecil.")
                % {"mb": limit_mb}
            )
        except GatewayError as error:
            logger.warning("Instagram: a photo of message %s could not be fetched: %s", message.pk, error)
            media.lost = str(error)[:500]
            continue
        try:
            media.uploads.append(clean_bytes("instagram-foto.jpg", data))
        except ValidationError as error:
            return Media(refusal=chat_refusal(error))
    return media


class Step:
    """One message's effect on one conversation: ``run()`` answers (outcome, report) and
    leaves the answers in ``replies``."""

    def __init__(self, conversation, message, media):
        self.conversation = conversation
        self.data = conversation.data or {}
        self.message = message
        self.text = message.text.strip()
        self.media = media
        self.replies = []
        self.saved_files = []  # pending photos stored by this step, removed if it fails

    @cached_property
    def government(self):
        """The government whose Instagram account received the message (intake/accounts.py):
        the one a new report is filed into and the greeting names."""
        return government_for(CHANNEL, self.message.payload.get("account"))

    def say(self, text):
        self.replies.append(text)

    def run(self):
        report = self.conversation.report
        if self.media.unsupported:
            self.say(
                _(
                    "Maaf, kami belum dapat menerima pesan jenis ini (pesan suara, video, berkas, "
                    "atau kiriman yang dibagikan). Silakan kirim teks atau foto."
                )
            )
            return Outcome.IGNORED, report
        if self.media.refusal:
            self.say(self.media.refusal)
            return Outcome.IGNORED, report
        if self.conversation.stage == REPORT and report is not None and report.is_open:
            return self.add_to_report(report)
        if self.conversation.stage == REPORT:
            # The last report is closed or archived (or gone): this message starts a new one.
            self.conversation.stage, self.conversation.report, self.data = START, None, {}
        if len(self.text) >= MIN_DESCRIPTION:
            return self.submit()
        for upload in self.media.uploads:
            self.keep_photo(upload)
        if self.media.uploads:
            self.say(
                _("Foto sudah kami terima. Sekarang ceritakan masalahnya: apa yang terjadi, di mana, dan sejak kapan.")
            )
        elif self.text and self.data.get("greeted"):
            self.say(_("Mohon ceritakan sedikit lebih lengkap: apa masalahnya, di mana, dan sejak kapan."))
        else:
            self.data["greeted"] = True
            self.say(
                _("Halo!")
                + " "
                + _("Ini layanan pengaduan %(site)s.") % {"site": site_name(self.government)}
                + " "
                + _("Ceritakan masalah yang ingin Anda laporkan: apa yang terjadi, di mana, dan sejak kapan.")
            )
        return Outcome.PROCESSED, None

    def keep_photo(self, upload):
        photos = self.data.setdefault("photos", [])
        if len(photos) >= settings.ADUAN_MAX_ATTACHMENTS:
            return
        stored = default_storage.save(f"{PENDING_PHOTOS}{uuid.uuid4().hex}.jpg", ContentFile(upload.content))
        self.saved_files.append(stored)
        photos.append({"file": stored, "name": upload.name, "content_type": upload.content_type})

    def submit(self):
        waiting = self.data.get("photos", [])
        attachments = [CleanUpload(p["name"], chat.read_file(p["file"]), p["content_type"]) for p in waiting]
        attachments = (attachments + self.media.uploads)[: settings.ADUAN_MAX_ATTACHMENTS]
        report = actions.submit_report(
            actor=SYSTEM,
            government=self.government,
            channel=Channel.INSTAGRAM,
            channel_reference=self.message.provider_id,
            received_at=self.message.received_at,
            description=self.text,
            reporter_account=self.message.sender,
            reply_channel=ReplyChannel.INSTAGRAM,
            attachments=attachments,
        )
        # The photos now live on as the report's attachments; their waiting copies go.
        transaction.on_commit(partial(chat.delete_files, [p["file"] for p in waiting]))
        self.conversation.stage, self.conversation.report, self.data = REPORT, report, {}
        link = settings.ADUAN_SITE_URL + reverse("portal:track_detail", args=[report.secret])
        self.say(
            _(
                "Laporan Anda diterima dengan nomor %(number)s. Pantau perkembangannya lewat %(link)s "
                "(jangan bagikan tautan ini). Petugas kami akan melengkapi dan memverifikasinya. "
                "Balas pesan ini bila ada tambahan."
            )
            % {"number": report.tracking_number, "link": link}
        )
        return Outcome.PROCESSED, report

    def add_to_report(self, report):
        attachments = self.media.uploads
        if not self.text and not attachments:  # only photos, which could not be fetched (noted by handle)
            return Outcome.PROCESSED, report
        if report.status == Status.ON_HOLD:
            actions.reply_as_reporter(
                report, actor=Reporter(report.pk), message=self.text or _("(foto terlampir)"), attachments=attachments
            )
            reply = _("Terima kasih, jawaban Anda untuk laporan %(number)s sudah kami terima.")
        else:
            actions.add_reporter_message(report, actor=Reporter(report.pk), message=self.text, attachments=attachments)
            reply = _("Terima kasih, pesan Anda sudah kami tambahkan ke laporan %(number)s.")
        self.say(reply % {"number": report.tracking_number})
        return Outcome.PROCESSED, report


def queue_replies(message_id, recipient, texts, *, report=None):
    """The answers to one inbound message, each once (dedupe key: the InboundMessage's id
    and the answer's place), queued in the notification outbox inside the handling
    transaction and delivered through the Send API after the commit, with retries. Each
    answer waits for the one before it (``after``), so they arrive in order. Replies
    answer the resident's own message, inside the 24-hour window Meta allows, from the
    account it was sent to (intake/accounts.py, ``answering``)."""
    payload = InboundMessage.objects.filter(pk=message_id).values_list("payload", flat=True).first() or {}
    account = answering(CHANNEL, payload.get("account"))
    previous = None
    for number, text in enumerate(texts):
        previous = outbox.queue(
            channel=CHANNEL,
            recipient=recipient,
            body=text,
            report=report,
            after=previous,
            received_on=account,
            dedupe_key=f"instagram:reply:{message_id}:{number}",
        )
