"""A report arrives: ``submit_report``, the one door of every channel."""

import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.roles import staff_profile
from core.errors import DomainError, NotAllowed
from governments.models import Government, home_government
from reports import deadlines, workflow
from reports.access import SYSTEM
from reports.actions.events import (
    _discard_files,
    _next_tracking_number,
    _require_text,
    _save_attachments,
    _user,
    record_event,
)
from reports.models import (
    Channel,
    Kind,
    ReplyChannel,
    Report,
    Status,
)

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------- intake

# Where the resident writes in our own pages, in the language they chose there.
PORTAL_CHANNELS = {Channel.WEB, Channel.ANDROID}


def submit_report(**submission) -> Report:
    """Store a new report from any channel and give it a tracking number.

    1. check the input (description, contact for the chosen reply channel, attachments);
       the reporter's ``language`` is, unless given, the active language when the resident
       submits on the portal's own channels (web, app) and Indonesian otherwise;
    2. take the next tracking number for the year inside this transaction (no gaps);
    3. set the verification deadline (and an information request's answer deadline);
    4. store the attachments and write the ``submitted`` event.
    A ``submission_key`` already used returns the report it made, unchanged: a resident who
    presses "Kirim" again after a lost answer, or an app retrying with the same
    Idempotency-Key, gets the same tracking number, never a second report (two such sends
    at once: the unique key lets one in, the other finds it).
    Staff entering a report by hand (call center, radio, walk-in, social media) must be
    coordinators, of the report's government. The report belongs to ``government``, else
    its category's, else the one the coordinator coordinates, else (a resident on a public
    channel) the installation's home government. The keyword arguments are ``_new_report``'s (description is required).
    """
    key = submission.get("submission_key") or None
    if key and (earlier := Report.objects.filter(submission_key=key).first()):
        return earlier
    report, role = _new_report(**submission)
    attachments = submission.get("attachments", ())
    saved_files = []
    try:
        with transaction.atomic():
            report.tracking_number = _next_tracking_number(report.government)
            report.save()
            event = record_event(
                report,
                "submitted",
                actor=submission.get("actor"),
                role=role,
                from_status="",
                is_public=True,
                data={"channel": report.channel},
            )
            _save_attachments(report, attachments, event=event, saved=saved_files)
    except IntegrityError:
        _discard_files(saved_files)
        if key and (earlier := Report.objects.filter(submission_key=key).first()):
            return earlier  # the same key's other send won; its number stands, this one rolled back
        raise
    except Exception:
        _discard_files(saved_files)
        raise
    return report


def _new_report(
    *,
    actor=None,
    kind=Kind.COMPLAINT,
    description,
    channel=Channel.WEB,
    title="",
    category=None,
    region=None,
    address="",
    latitude=None,
    longitude=None,
    is_anonymous=False,
    is_confidential=False,
    reporter_name="",
    reporter_phone="",
    reporter_email="",
    reporter_account="",
    reply_channel=ReplyChannel.NONE,
    channel_reference="",
    received_at=None,
    attachments=(),
    language=None,
    submission_key=None,
    government=None,
) -> tuple[Report, str]:
    """Check a submission (``submit_report``'s step 1) and build its unsaved Report, without
    a tracking number; answers the report and the submitter's workflow role."""
    description = _require_text(description, _("Isi laporan wajib diisi."))
    if kind not in Kind.values:
        raise DomainError(_("Jenis laporan tidak dikenal."))
    if channel not in Channel.values:
        raise DomainError(_("Kanal tidak dikenal."))
    if reply_channel in (ReplyChannel.WHATSAPP, ReplyChannel.SMS) and not reporter_phone:
        raise DomainError(_("Isi nomor HP agar kami dapat membalas lewat WhatsApp atau SMS."))
    if reply_channel == ReplyChannel.EMAIL and not reporter_email:
        raise DomainError(_("Isi alamat email agar kami dapat membalas lewat email."))
    if reply_channel == ReplyChannel.INSTAGRAM and not (reporter_account or "").strip():
        raise DomainError(_("Akun Instagram pelapor diperlukan agar kami dapat membalas lewat Instagram."))
    if len(attachments) > settings.ADUAN_MAX_ATTACHMENTS:
        raise DomainError(_("Paling banyak %(n)d lampiran.") % {"n": settings.ADUAN_MAX_ATTACHMENTS})
    user = _user(actor)
    role = workflow.CITIZEN
    if user is not None:
        profile = staff_profile(user)
        if not profile.is_coordinator:
            raise NotAllowed()
        role = workflow.COORDINATOR
        government = _staff_government(profile, government, category)
    government = government or (category.government if category else None) or home_government()
    if category is not None and category.government_id != government.pk:
        raise DomainError(_("Kategori itu milik pemerintah daerah lain."))
    elif actor is SYSTEM:
        role = workflow.SYSTEM
    language = reporter_language(channel if role == workflow.CITIZEN else None, language)

    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise DomainError(_("Waktu diterima tidak boleh di masa depan."))
    report = Report(
        government=government,
        kind=kind,
        channel=channel,
        channel_reference=channel_reference[:200],
        title=(title or "").strip()[:200],
        description=description,
        category=category,
        resolution_class=category.resolution_class if category else Report.resolution_class.field.default,
        region=region,
        address=(address or "").strip()[:300],
        latitude=latitude,
        longitude=longitude,
        is_anonymous=is_anonymous,
        is_confidential=is_confidential,
        reporter_name=(reporter_name or "").strip()[:120],
        reporter_phone=(reporter_phone or "").strip()[:32],
        reporter_email=(reporter_email or "").strip(),
        reporter_account=(reporter_account or "").strip()[:200],
        reply_channel=reply_channel,
        language=language,
        received_at=received_at,
        created_by=user,
        status=Status.RECEIVED,
        submission_key=_checked_submission_key(submission_key),
    )
    report.due_at = deadlines.verify_due(report, received_at)
    # Received, no disposition yet: what refresh_current_deadline would store.
    report.current_deadline = report.due_at
    if kind == Kind.INFORMATION_REQUEST:
        report.info_answer_due_at = deadlines.info_answer_due(received_at, government.pk)
    return report, role


def _staff_government(profile, government, category):
    """The government a coordinator enters a report for: the one named (or the category's),
    if they coordinate it; else the one they coordinate when it is just one."""
    government = government or (category.government if category else None)
    mine = profile.coordinated_government_ids
    if government is not None:
        if government.pk not in mine:
            raise NotAllowed()
        return government
    if len(mine) != 1:
        raise DomainError(_("Pilih pemerintah daerah laporan ini."))
    return Government.objects.get(pk=next(iter(mine)))


SUBMISSION_KEY = re.compile(r"[A-Za-z0-9:_.-]{8,120}")


def _checked_submission_key(key):
    if not key:
        return None
    if not SUBMISSION_KEY.fullmatch(key):
        raise DomainError(_("Kunci pengiriman tidak valid (8–120 huruf, angka, titik dua, titik, - atau _)."))
    return key


def reporter_language(channel, language=None) -> str:
    """The language to write to the reporter in: ``language`` when it is one of
    settings.LANGUAGES; else, for a resident's own submission on the portal (web or the
    installed app), the language they were reading it in (core.middleware.LanguageMiddleware);
    else the default language: chat, email and SMS conversations are in Indonesian, and a
    staff member entering a report in an English workspace says nothing of the reporter's.
    Pass ``channel=None`` for anything but a resident's own submission."""
    known = {code for code, _name in settings.LANGUAGES}
    if language is None and channel in PORTAL_CHANNELS:
        language = (translation.get_language() or "").split("-")[0]
    return language if language in known else settings.LANGUAGE_CODE
