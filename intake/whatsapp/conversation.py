"""The guided WhatsApp conversation, one stored message at a time (run by the task in
intake/tasks.py, never in the webhook).

States of ``Conversation(channel="whatsapp", contact=<wa_id>)``::

    start ─▶ description ─▶ location ─▶ photo ─▶ confirm ──Kirim──▶ report
                 ▲                                  │
                 └──────────────Ubah────────────────┘      BATAL at any step ─▶ start

Whatever a message brings is kept (a photo sent early, a long first message that already
describes the problem), then the next missing piece is asked for. Photos wait in storage
under ``whatsapp/pending/`` until the report is sent or the conversation is cancelled.
Once the report exists, later messages attach to it as the reporter's replies, until it is
closed or archived; then the next message starts a new conversation.
"""

import logging
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property, partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import Region
from core.uploads import CleanUpload, chat_refusal, clean_bytes
from gateways import whatsapp as gateway
from gateways.http import GatewayError, with_retries
from governments.models import home_government, site_name
from intake import chat
from intake.accounts import answering, government_for
from intake.models import InboundMessage
from notify import actions as outbox
from reports import actions
from reports.access import SYSTEM, Reporter
from reports.models import Channel, ReplyChannel, Status

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
START, DESCRIPTION, LOCATION, PHOTO, CONFIRM, REPORT = "start", "description", "location", "photo", "confirm", "report"
SUPPORTED = {"text", "image", "document", "location", "interactive", "button"}
MEDIA = {"image", "document"}
MIN_DESCRIPTION = 15  # characters; "lampu mati" alone does not tell the unit enough
FIRST_MESSAGE_DESCRIPTION = 40  # a first message this long is the description, not a greeting
SEND, EDIT = "kirim", "ubah"
YES = {"ya", "iya", "y", "kirim", "ok", "oke"}
NO = {"tidak", "ubah", "tdk", "no"}
CANCEL = {"batal", "batalkan"}
SKIP = {"lewati", "lewat", "skip", "tidak ada", "tidak"}
PENDING_PHOTOS = "whatsapp/pending/"

Outcome = InboundMessage.Outcome


@dataclass
class Reply:
    body: str
    buttons: tuple = ()


@dataclass
class Media:
    upload: CleanUpload | None = None
    refusal: str = ""  # a polite explanation when the file was refused
    lost: str = ""  # why the file could not be fetched from Meta, after retries (for staff)


def handle(message_id) -> None:
    """Process one stored message once, in the frame every chat channel shares
    (intake/chat.py: pending only, media fetched outside the transaction, replies queued
    in it, a failure kept for a human)."""
    chat.handle(
        message_id, CHANNEL, logger=logger, fetch_media=fetch_media, step=Step, queue_replies=queue_replies, reply=Reply
    )


def fetch_media(message) -> Media:
    """The message's photo or document, downloaded through the Graph API and cleaned
    (photos re-encoded without EXIF); a refusal when it is too large or not readable."""
    item = message.payload.get("message") or {}
    kind = item.get("type")
    if kind not in MEDIA:
        return Media()
    content = item.get(kind) or {}
    limit = settings.ADUAN_CHANNEL_MAX_MEDIA_BYTES
    too_big = _("Maaf, berkas Anda terlalu besar (maksimal %(mb)s MB). Kirim foto yang lebih kecil.") % {
        "mb": round(limit / (1024 * 1024), 1)
    }
    try:
        # Both steps again on a retry: the media URL Meta hands out expires within minutes.
        info, data = with_retries(_download, content.get("id"), limit, received_on(message))
    except GatewayError as error:
        logger.warning("WhatsApp: media of message %s could not be fetched: %s", message.pk, error)
        return Media(lost=str(error)[:500])
    if data is None or len(data) > limit:
        return Media(refusal=too_big)
    name = content.get("filename") or f"whatsapp-{kind}"
    try:
        return Media(upload=clean_bytes(name, data))
    except ValidationError as error:
        return Media(refusal=chat_refusal(error))


def _download(media_id, limit, account=None):
    """(info, bytes) of a media id sent to ``account`` (its token reads it); bytes None
    when Meta announces more than ``limit`` (checked before downloading, and by the caller
    after)."""
    info = gateway.media_info(media_id, account=account)
    if info["file_size"] is not None and info["file_size"] > limit:
        return info, None
    return info, gateway.download_media(info["url"], account=account)


def received_on(message) -> str | None:
    """The phone-number id of our number the message was sent to (the webhook's metadata)."""
    metadata = (message.payload or {}).get("metadata")
    if not isinstance(metadata, dict) or not metadata.get("phone_number_id"):
        return None
    return str(metadata["phone_number_id"])


class Step:
    """One message's effect on one conversation: ``run()`` answers (outcome, report) and
    leaves the answers in ``replies``."""

    @cached_property
    def government(self):
        """The government whose WhatsApp number received the message (intake/accounts.py)."""
        return government_for(CHANNEL, received_on(self.message))

    def __init__(self, conversation, message, media):
        self.conversation = conversation
        self.data = conversation.data or {}
        self.message = message
        self.item = message.payload.get("message") or {}
        self.kind = self.item.get("type")
        self.text = message.text.strip()
        self.word = re.sub(r"[^\w ]", "", self.text.lower()).strip()
        self.media = media
        self.replies = []
        self.saved_files = []  # pending photos stored by this step, removed if it fails
        name = message.payload.get("profile_name")
        if name:
            self.data["name"] = name[:120]

    def say(self, body, buttons=()):
        self.replies.append(Reply(body, tuple(buttons)))

    def run(self):
        if self.kind not in SUPPORTED:
            self.say(
                _(
                    "Maaf, kami belum dapat menerima pesan jenis ini (stiker, pesan suara, video, kontak). "
                    "Silakan kirim teks, foto, atau lokasi."
                )
            )
            return Outcome.IGNORED, self.conversation.report
        if self.media.refusal:
            self.say(self.media.refusal)
            return Outcome.IGNORED, self.conversation.report
        stage = self.conversation.stage
        if stage == REPORT:
            report = self.conversation.report
            if report is not None and report.is_open:
                return self.add_to_report(report)
            self.restart()  # the last report is closed or archived: this is a new one
        elif self.word in CANCEL and stage != START:
            return self.cancel()
        if self.conversation.stage == START:
            return self.greet()
        if self.conversation.stage == CONFIRM and self.kind in ("text", "interactive", "button"):
            return self.confirm()
        self.take_in()
        return self.ask_next()

    # The conversation before the report exists.

    def greet(self):
        self.conversation.stage = DESCRIPTION
        self.take_in(description_min=FIRST_MESSAGE_DESCRIPTION)
        if not self.data.get("description"):
            name = self.data.get("name")
            hello = _("Halo %(name)s!") % {"name": name} if name else _("Halo!")
            self.say(
                hello
                + " "
                + _("Ini layanan pengaduan %(site)s.") % {"site": site_name(self.government)}
                + " "
                + _("Ceritakan masalah yang ingin Anda laporkan: apa yang terjadi, di mana, dan sejak kapan.")
                + " "
                + _("Ketik BATAL kapan saja untuk membatalkan.")
            )
            return Outcome.PROCESSED, None
        return self.ask_next()

    def take_in(self, description_min=MIN_DESCRIPTION):
        """Keep whatever this message brings for the stage it arrives in."""
        stage = self.conversation.stage
        if self.media.upload is not None:
            self.keep_photo(self.media.upload)
        if self.kind == "location":
            self.take_location(self.item.get("location") or {})
            return
        if not self.text or self.kind in ("interactive", "button"):
            return
        if stage == DESCRIPTION:
            if len(self.text) >= description_min:
                self.data["description"] = self.text
            elif self.media.upload is None and description_min == MIN_DESCRIPTION:
                self.data["description_too_short"] = True
        elif stage == LOCATION and self.media.upload is None:
            region, address = match_region(self.text, government=self.government)
            self.data["region"] = region.pk if region else None
            self.data["region_name"] = region.name if region else ""
            self.data["address"] = address[:300]
        elif stage == PHOTO and self.word in SKIP:
            self.data["photo_skipped"] = True

    def take_location(self, location):
        try:
            latitude = Decimal(str(location["latitude"])).quantize(Decimal("0.000001"))
            longitude = Decimal(str(location["longitude"])).quantize(Decimal("0.000001"))
        except (KeyError, TypeError, InvalidOperation):
            return
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return
        self.data["latitude"], self.data["longitude"] = str(latitude), str(longitude)
        place = ", ".join(str(location.get(k)) for k in ("name", "address") if location.get(k))
        if place and not self.data.get("address"):
            self.data["address"] = place[:300]

    def keep_photo(self, upload):
        photos = self.data.setdefault("photos", [])
        if len(photos) >= settings.ADUAN_MAX_ATTACHMENTS:
            return
        stored = default_storage.save(f"{PENDING_PHOTOS}{uuid.uuid4().hex}.jpg", ContentFile(upload.content))
        self.saved_files.append(stored)
        photos.append({"file": stored, "name": upload.name, "content_type": upload.content_type})

    def ask_next(self):
        """Ask for the first missing piece, or show the summary."""
        data = self.data
        if not data.get("description"):
            self.conversation.stage = DESCRIPTION
            if data.pop("description_too_short", False):
                self.say(_("Mohon ceritakan sedikit lebih lengkap: apa masalahnya, di mana, dan sejak kapan."))
            elif data.get("photos"):
                self.say(_("Foto sudah kami terima. Sekarang ceritakan masalahnya: apa yang terjadi dan sejak kapan."))
            else:
                self.say(_("Ceritakan masalah yang ingin Anda laporkan: apa yang terjadi dan sejak kapan."))
        elif not (data.get("latitude") or data.get("region") or data.get("address")):
            self.conversation.stage = LOCATION
            self.say(
                _(
                    "Terima kasih. Di mana lokasinya? Kirim lokasi lewat tombol lampiran (📎 › Lokasi), "
                    "atau ketik nama kelurahan dan alamatnya, misalnya: Bendogerit, Jl. Mawar 12."
                )
            )
        elif not data.get("photos") and not data.get("photo_skipped"):
            self.conversation.stage = PHOTO
            self.say(_("Ada foto kejadiannya? Kirim foto, atau ketik LEWATI."))
        else:
            self.conversation.stage = CONFIRM
            self.say(self.summary(), buttons=[(SEND, _("Kirim")), (EDIT, _("Ubah"))])
        return Outcome.PROCESSED, None

    def summary(self):
        data = self.data
        description = data["description"]
        if len(description) > 300:
            description = description[:300] + "…"
        place = ", ".join(p for p in (data.get("region_name"), data.get("address")) if p)
        if data.get("latitude"):
            place = ", ".join(p for p in (place, f"{data['latitude']}, {data['longitude']}") if p)
        photos = len(data.get("photos", []))
        lines = [
            _("Ringkasan laporan Anda:"),
            _("Isi: %(text)s") % {"text": description},
            _("Lokasi: %(place)s") % {"place": place or "-"},
            _("Foto: %(count)d") % {"count": photos} if photos else _("Foto: tidak ada"),
            "",
            _("Kirim laporan ini? Pilih Kirim, atau Ubah untuk mengulang. (Bisa juga ketik YA, UBAH, atau BATAL.)"),
        ]
        return "\n".join(lines)

    def confirm(self):
        choice = ((self.item.get("interactive") or {}).get("button_reply") or {}).get("id") or self.word
        if choice == SEND or choice in YES:
            return self.submit()
        if choice == EDIT or choice in NO:
            self.restart()
            self.conversation.stage = DESCRIPTION
            self.say(_("Baik, kita ulangi. Ceritakan masalah yang ingin Anda laporkan."))
            return Outcome.PROCESSED, None
        return self.ask_next()  # anything else: show the summary and the buttons again

    def submit(self):
        data = self.data
        attachments = [
            CleanUpload(photo["name"], chat.read_file(photo["file"]), photo["content_type"])
            for photo in data.get("photos", [])
        ]
        report = actions.submit_report(
            actor=SYSTEM,
            government=self.government,
            channel=Channel.WHATSAPP,
            description=data["description"],
            region=Region.objects.filter(pk=data.get("region"), government=self.government).first()
            if data.get("region")
            else None,
            address=data.get("address", ""),
            latitude=Decimal(data["latitude"]) if data.get("latitude") else None,
            longitude=Decimal(data["longitude"]) if data.get("longitude") else None,
            reporter_name=data.get("name", ""),
            reporter_phone="+" + self.message.sender,
            reply_channel=ReplyChannel.WHATSAPP,
            channel_reference=self.message.provider_id,
            attachments=attachments,
        )
        # The photos now live on as the report's attachments; their waiting copies go.
        transaction.on_commit(partial(chat.delete_files, [photo["file"] for photo in data.get("photos", [])]))
        self.conversation.stage, self.conversation.report = REPORT, report
        self.data = {"name": data["name"]} if data.get("name") else {}
        link = settings.ADUAN_SITE_URL + reverse("portal:track_detail", args=[report.secret])
        self.say(
            _(
                "Laporan Anda diterima dengan nomor %(number)s. Pantau perkembangannya lewat %(link)s "
                "(jangan bagikan tautan ini). Kabar selanjutnya kami kirim lewat WhatsApp ini; "
                "balas chat ini bila ada tambahan."
            )
            % {"number": report.tracking_number, "link": link}
        )
        return Outcome.PROCESSED, report

    def cancel(self):
        self.restart()
        self.say(_("Laporan dibatalkan. Kirim pesan kapan saja untuk membuat laporan baru."))
        return Outcome.PROCESSED, None

    def restart(self):
        """Forget the conversation so far (its waiting photos go after the commit)."""
        photos = [photo["file"] for photo in self.data.get("photos", [])]
        transaction.on_commit(partial(chat.delete_files, photos))
        self.data = {"name": self.data["name"]} if self.data.get("name") else {}
        self.conversation.stage, self.conversation.report = START, None

    # After the report exists.

    def add_to_report(self, report):
        button = ((self.item.get("interactive") or {}).get("button_reply") or {}).get("id")
        if button in (SEND, EDIT):  # a second tap on the summary's buttons
            self.say(_("Laporan Anda sudah terkirim dengan nomor %(number)s.") % {"number": report.tracking_number})
            return Outcome.IGNORED, report
        text = self.text
        if self.kind == "location":
            location = self.item.get("location") or {}
            text = " ".join(
                str(p) for p in (_("Lokasi:"), location.get("latitude"), location.get("longitude"), text) if p
            )
        attachments = [self.media.upload] if self.media.upload is not None else []
        if not text and not attachments:  # only a photo, which could not be fetched (noted by handle)
            return Outcome.PROCESSED, report
        if report.status == Status.ON_HOLD:
            actions.reply_as_reporter(
                report, actor=Reporter(report.pk), message=text or _("(foto terlampir)"), attachments=attachments
            )
            reply = _("Terima kasih, jawaban Anda untuk laporan %(number)s sudah kami terima.")
        else:
            actions.add_reporter_message(report, actor=Reporter(report.pk), message=text, attachments=attachments)
            reply = _("Terima kasih, pesan Anda sudah kami tambahkan ke laporan %(number)s.")
        self.say(reply % {"number": report.tracking_number})
        return Outcome.PROCESSED, report


def match_region(text, government=None) -> tuple[Region | None, str]:
    """The kelurahan of ``government`` (by default the default government's) named in
    ``text`` (case-insensitive, whole words; the longest name wins, so "Sukorejo Baru"
    beats "Sukorejo") and the rest of the text as the address."""
    government = government or home_government()
    kelurahan = sorted(
        Region.objects.filter(level=Region.Level.KELURAHAN, government=government),
        key=lambda region: len(region.name),
        reverse=True,
    )
    for region in kelurahan:
        pattern = re.compile(
            r"(?<!\w)(?:(?:kelurahan|kel\.?|desa)\s+)?" + re.escape(region.name) + r"(?!\w)", re.IGNORECASE
        )
        if pattern.search(text):
            rest = pattern.sub(" ", text, count=1)
            rest = re.sub(r"\s*,(\s*,)+", ",", re.sub(r"\s+", " ", rest))
            return region, rest.strip(" ,.;-")
    return None, text.strip()


def queue_replies(message_id, to, replies, *, report=None):
    """The answers to one inbound message, each once, in the outbox, from the number it
    was sent to (intake/accounts.py, ``answering``). Inside the 24-hour window the
    resident's own message opens on that number, so plain messages and reply buttons are
    allowed. Each answer waits for the one before it (``after``): they arrive in order."""
    message = InboundMessage.objects.filter(pk=message_id).only("payload").first()
    account = answering(CHANNEL, received_on(message)) if message is not None else None
    previous = None
    for number, reply in enumerate(replies):
        previous = outbox.queue(
            channel=CHANNEL,
            recipient=to,
            body=reply.body,
            buttons=reply.buttons,
            report=report,
            after=previous,
            received_on=account,
            dedupe_key=f"whatsapp:reply:{message_id}:{number}",
        )
