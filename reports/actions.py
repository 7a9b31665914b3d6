"""Every change to a report or a disposition happens here, and only here.

Each action: runs in one transaction, re-reads the report with ``select_for_update()``,
checks the transition against reports/workflow.py, saves with ``update_fields``, writes a
ReportEvent, and leaves side effects (notifications) to ``transaction.on_commit`` through
the ``event_recorded`` signal.
"""

import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, router, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.roles import staff_profile
from core import workdays
from reports import deadlines, workflow
from reports.access import SYSTEM, Reporter, actor_role, role_for_report_action
from reports.errors import DomainError, InvalidTransition, NotAllowed
from reports.models import (
    ArchiveReason,
    Attachment,
    Channel,
    Disposition,
    Kind,
    ReplyChannel,
    Report,
    ReportEvent,
    Status,
    TrackingCounter,
)
from reports.signals import event_recorded, reports_submitted

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------- helpers


def _lock(report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("category").get(pk=report.pk)


def _lock_disposition(disposition) -> tuple[Report, Disposition]:
    report = _lock(disposition.report)
    return report, Disposition.objects.select_for_update(of=("self",)).select_related("agency").get(pk=disposition.pk)


def _user(actor):
    return None if actor is SYSTEM or isinstance(actor, Reporter) or actor is None else actor


def record_event(
    report, action, *, actor, role, from_status, message="", is_public=False, disposition=None, data=None, at=None
) -> ReportEvent:
    """Write one ``ReportEvent`` for a change the caller has just saved, and announce it
    (``event_recorded``) once the transaction commits.

    This is the one writer of ReportEvent rows. Other apps' actions (staffing's
    hand-over, escalation's ladder, the LAPOR! import) call it from inside their own
    ``transaction.atomic()`` block, after locking and saving the report, to write their
    own event kinds: ``action`` is that kind (e.g. ``"handed_over"``), ``to_status`` is
    taken from ``report.status`` as saved, ``agency`` from ``disposition``. Nothing is
    announced for a change that rolls back.
    """
    event = ReportEvent.objects.create(
        report=report,
        disposition=disposition,
        action=action,
        actor=_user(actor),
        actor_role=role,
        agency=disposition.agency if disposition is not None else None,
        from_status=from_status,
        to_status=report.status,
        message=message,
        is_public=is_public,
        data=data or {},
        created_at=at or timezone.now(),
    )
    transaction.on_commit(lambda: event_recorded.send(sender=ReportEvent, event=event))
    return event


def _save_attachments(report, files, *, event=None, is_public=True, saved=None):
    """``files`` are cleaned uploads from core.uploads (name, content, content_type).

    A file the storage cannot write (a full disk, a lost network share) becomes a
    DomainError with a message for the resident, and whatever part of it reached the disk
    is removed: the caller's transaction rolls back, so neither a report without its files
    nor a file without its report is left."""
    for upload in files:
        attachment = Attachment(
            report=report,
            event=event,
            original_name=upload.name[:200],
            content_type=upload.content_type,
            size=len(upload.content),
            is_public=is_public,
        )
        storage = attachment.file.storage
        name = storage.get_available_name(attachment.file.field.generate_filename(attachment, upload.name))
        try:
            attachment.file.name = storage.save(name, ContentFile(upload.content))
        except OSError as error:
            logger.error("Attachment of %s could not be written: %s", report.tracking_number or "a new report", error)
            if storage.exists(name):
                storage.delete(name)  # the part written before the disk gave out
            raise DomainError(
                _(
                    "Lampiran tidak dapat disimpan karena gangguan penyimpanan di server. "
                    "Belum ada yang tersimpan; coba kirim lagi beberapa saat lagi."
                )
            ) from error
        if saved is not None:
            saved.append(attachment.file.name)
        attachment.save()


def _discard_files(names):
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _next_tracking_number() -> str:
    return _next_tracking_numbers(1)[0]


def _next_tracking_numbers(count) -> list[str]:
    """The next ``count`` tracking numbers of the year, taken at once (the counter row stays
    locked until the caller's transaction ends, so numbers have no gaps)."""
    prefix = settings.ADUAN_TRACKING_PREFIX
    year = timezone.localdate().year
    TrackingCounter.objects.get_or_create(prefix=prefix, year=year)
    TrackingCounter.objects.filter(prefix=prefix, year=year).update(last=F("last") + count)
    last = TrackingCounter.objects.get(prefix=prefix, year=year).last
    return [f"{prefix}-{year}-{number:06d}" for number in range(last - count + 1, last + 1)]


def _resume_clock(report, now):
    """End a hold: every running deadline moves later by the working days spent on hold."""
    paused = workdays.working_days_between(report.hold_started_at, now) if report.hold_started_at else 0
    if report.due_at:
        report.due_at = workdays.shift_by_working_days(report.due_at, paused)
    if report.info_answer_due_at:
        report.info_answer_due_at = workdays.shift_by_working_days(report.info_answer_due_at, paused)
    report.held_from = ""
    report.hold_started_at = None
    return paused


def _require_text(value, message):
    value = (value or "").strip()
    if not value:
        raise DomainError(message)
    return value


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
    coordinators. The keyword arguments are ``_new_report``'s (description is required).
    """
    key = submission.get("submission_key") or None
    if key and (earlier := Report.objects.filter(submission_key=key).first()):
        return earlier
    report, role = _new_report(**submission)
    attachments = submission.get("attachments", ())
    saved_files = []
    try:
        with transaction.atomic():
            report.tracking_number = _next_tracking_number()
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
        if not staff_profile(user).is_coordinator:
            raise NotAllowed()
        role = workflow.COORDINATOR
    elif actor is SYSTEM:
        role = workflow.SYSTEM
    language = reporter_language(channel if role == workflow.CITIZEN else None, language)

    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise DomainError(_("Waktu diterima tidak boleh di masa depan."))
    report = Report(
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
    if kind == Kind.INFORMATION_REQUEST:
        report.info_answer_due_at = deadlines.info_answer_due(received_at)
    return report, role


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


# ---------------------------------------------------------------------------- coordinator


def _apply_classification(report, *, category=None, kind=None, resolution_class=None, region=None):
    changes = {}
    if category is not None and category.pk != report.category_id:
        changes["category"] = [str(report.category or ""), str(category)]
        report.category = category
        if resolution_class is None:
            resolution_class = category.resolution_class
    if kind is not None and kind != report.kind:
        changes["kind"] = [report.kind, kind]
        report.kind = kind
        if kind == Kind.INFORMATION_REQUEST and not report.info_answer_due_at:
            report.info_answer_due_at = deadlines.info_answer_due(report.received_at)
    if resolution_class is not None and resolution_class != report.resolution_class:
        changes["resolution_class"] = [report.resolution_class, resolution_class]
        report.resolution_class = resolution_class
    if region is not None and region.pk != report.region_id:
        changes["region"] = [str(report.region or ""), str(region)]
        report.region = region
    return changes


CLASSIFICATION_FIELDS = ["category", "kind", "resolution_class", "region", "info_answer_due_at"]


def verify_report(report, *, actor, category=None, kind=None, resolution_class=None, region=None, message="") -> Report:
    """Accept a report as a real matter for the city, optionally (re)classifying it."""
    with transaction.atomic():
        report = _lock(report)
        workflow.check("verify", report.status, actor_role(actor, report))
        now = timezone.now()
        from_status = report.status
        if report.status == Status.ON_HOLD:
            _resume_clock(report, now)
        changes = _apply_classification(
            report, category=category, kind=kind, resolution_class=resolution_class, region=region
        )
        report.status = Status.VERIFIED
        report.verified_at = report.verified_at or now
        report.save(
            update_fields=[
                "status",
                "verified_at",
                "due_at",
                "held_from",
                "hold_started_at",
                *CLASSIFICATION_FIELDS,
                "updated_at",
            ]
        )
        record_event(
            report,
            "verified",
            actor=actor,
            role=workflow.COORDINATOR,
            from_status=from_status,
            message=message,
            is_public=True,
            data={"changes": changes},
        )
    return report


def classify_report(report, *, actor, category=None, kind=None, resolution_class=None, region=None) -> Report:
    with transaction.atomic():
        report = _lock(report)
        workflow.check("classify", report.status, actor_role(actor, report))
        changes = _apply_classification(
            report, category=category, kind=kind, resolution_class=resolution_class, region=region
        )
        if not changes:
            return report
        report.save(update_fields=[*CLASSIFICATION_FIELDS, "updated_at"])
        record_event(
            report,
            "classified",
            actor=actor,
            role=workflow.COORDINATOR,
            from_status=report.status,
            data={"changes": changes},
        )
    return report


def hold_report(report, *, actor, question) -> Report:
    """Ask the reporter a question; the clock stops until they answer or the unit resumes."""
    question = _require_text(question, _("Tuliskan pertanyaan untuk pelapor."))
    with transaction.atomic():
        report = _lock(report)
        workflow.check("hold", report.status, actor_role(actor, report))
        from_status = report.status
        report.held_from = report.status
        report.status = Status.ON_HOLD
        report.hold_started_at = timezone.now()
        report.hold_question = question
        report.save(update_fields=["status", "held_from", "hold_started_at", "hold_question", "updated_at"])
        record_event(
            report,
            "held",
            actor=actor,
            role=workflow.COORDINATOR,
            from_status=from_status,
            message=question,
            is_public=True,
        )
    return report


def reply_as_reporter(report, *, actor, message, attachments=()) -> Report:
    """The reporter answers the unit's question; the report returns where it was."""
    message = _require_text(message, _("Tuliskan jawaban Anda."))
    saved_files = []
    try:
        with transaction.atomic():
            report = _lock(report)
            workflow.check("reporter_reply", report.status, actor_role(actor, report))
            from_status = report.status
            now = timezone.now()
            report.status = report.held_from or Status.RECEIVED
            paused = _resume_clock(report, now)
            report.save(
                update_fields=["status", "held_from", "hold_started_at", "due_at", "info_answer_due_at", "updated_at"]
            )
            event = record_event(
                report,
                "reporter_replied",
                actor=actor,
                role=workflow.CITIZEN,
                from_status=from_status,
                message=message,
                is_public=True,
                data={"paused_working_days": paused},
            )
            _save_attachments(report, attachments, event=event, saved=saved_files)
    except Exception:
        _discard_files(saved_files)
        raise
    return report


def add_reporter_message(report, *, actor, message, attachments=()) -> Report:
    """The reporter writes again about an open report (a chat reply, an email answer): the
    message is attached to the report for the unit and the agencies; nothing else changes.
    While the report is on hold the message is the answer, so use reply_as_reporter."""
    message = (message or "").strip()
    if not message and not attachments:
        raise DomainError(_("Pesan kosong."))
    saved_files = []
    try:
        with transaction.atomic():
            report = _lock(report)
            workflow.check("reporter_message", report.status, actor_role(actor, report))
            event = record_event(
                report,
                "reporter_message",
                actor=actor,
                role=workflow.CITIZEN,
                from_status=report.status,
                message=message,
                is_public=True,
            )
            _save_attachments(report, attachments, event=event, saved=saved_files)
    except Exception:
        _discard_files(saved_files)
        raise
    return report


def archive_report(report, *, actor, reason, message="", duplicate_of=None, referral_note="") -> Report:
    """Archive a report: spam, unclear, a duplicate (merged into the original) or outside the
    region's authority (with a referral note for SP4N-LAPOR!)."""
    if reason not in ArchiveReason.values:
        raise DomainError(_("Pilih alasan pengarsipan."))
    if reason == ArchiveReason.DUPLICATE and duplicate_of is None:
        raise DomainError(_("Pilih laporan asli untuk laporan duplikat."))
    if reason == ArchiveReason.OUTSIDE_AUTHORITY:
        referral_note = _require_text(referral_note, _("Tuliskan catatan rujukan ke SP4N-LAPOR!."))
    with transaction.atomic():
        report = _lock(report)
        workflow.check("archive", report.status, actor_role(actor, report))
        if duplicate_of is not None and (duplicate_of.pk == report.pk or duplicate_of.status == Status.ARCHIVED):
            raise DomainError(_("Laporan asli harus laporan lain yang belum diarsipkan."))
        from_status = report.status
        now = timezone.now()
        report.status = Status.ARCHIVED
        report.archived_at = now
        report.archive_reason = reason
        report.duplicate_of = duplicate_of if reason == ArchiveReason.DUPLICATE else None
        report.referral_note = referral_note if reason == ArchiveReason.OUTSIDE_AUTHORITY else ""
        report.held_from, report.hold_started_at, report.due_at = "", None, None
        report.save(
            update_fields=[
                "status",
                "archived_at",
                "archive_reason",
                "duplicate_of",
                "referral_note",
                "held_from",
                "hold_started_at",
                "due_at",
                "updated_at",
            ]
        )
        data = {"reason": reason}
        if report.duplicate_of_id:
            data["duplicate_of"] = duplicate_of.tracking_number
        record_event(
            report,
            "archived",
            actor=actor,
            role=workflow.COORDINATOR,
            from_status=from_status,
            message=message,
            is_public=True,
            data=data,
        )
        if report.duplicate_of_id:
            original = _lock(duplicate_of)
            record_event(
                original,
                "duplicate_merged",
                actor=actor,
                role=workflow.COORDINATOR,
                from_status=original.status,
                data={"duplicate": report.tracking_number},
            )
    return report


def dispose_report(report, *, actor, lead_agency, supporting_agencies=(), instruction="") -> Report:
    """Forward a verified (or returned, or disputed) report to one lead agency and optional
    supporting agencies, each disposition with its own follow-up and resolution deadlines."""
    if lead_agency is None:
        raise DomainError(_("Pilih perangkat daerah utama."))
    with transaction.atomic():
        report = _lock(report)
        workflow.check("dispose", report.status, actor_role(actor, report))
        now = timezone.now()
        from_status = report.status
        already = set(
            report.dispositions.active().filter(state__in=["pending", "accepted"]).values_list("agency_id", flat=True)
        )
        targets = [(lead_agency, Disposition.Role.LEAD)]
        targets += [(a, Disposition.Role.SUPPORT) for a in supporting_agencies if a.pk != lead_agency.pk]
        created = []
        seen = set()
        for agency, role in targets:
            if agency.pk in seen:
                continue
            seen.add(agency.pk)
            if agency.pk in already:
                report.dispositions.active().filter(agency=agency).update(role=role)
                continue
            created.append(
                Disposition.objects.create(
                    report=report,
                    agency=agency,
                    role=role,
                    instruction=instruction,
                    disposed_by=_user(actor),
                    created_at=now,
                    follow_up_due_at=deadlines.follow_up_due(report, now),
                    resolution_due_at=deadlines.resolution_due(report, now),
                )
            )
        report.status = Status.DISPOSED
        report.disposed_at = report.disposed_at or now
        report.due_at = None
        report.save(update_fields=["status", "disposed_at", "due_at", "updated_at"])
        record_event(
            report,
            "disposed",
            actor=actor,
            role=workflow.COORDINATOR,
            from_status=from_status,
            is_public=True,
            data={
                "agencies": [str(d.agency) for d in created],
                "lead": str(lead_agency),
                "instruction": instruction,
            },
        )
    return report


def close_report(report, *, actor, message="") -> Report:
    with transaction.atomic():
        report = _lock(report)
        workflow.check("close", report.status, actor_role(actor, report))
        _close(report, actor=actor, role=workflow.COORDINATOR, action="closed", message=message)
    return report


def answer_objection(report, *, actor, answer) -> Report:
    answer = _require_text(answer, _("Tuliskan tanggapan atas keberatan."))
    with transaction.atomic():
        report = _lock(report)
        workflow.check("answer_objection", report.status, actor_role(actor, report))
        report.objection_answer = answer
        report.objection_answered_at = timezone.now()
        report.save(update_fields=["objection_answer", "objection_answered_at"])
        _close(report, actor=actor, role=workflow.COORDINATOR, action="objection_answered", message=answer)
    return report


def _close(report, *, actor, role, action, message=""):
    from_status = report.status
    report.status = Status.CLOSED
    report.closed_at = timezone.now()
    report.autoclose_due_at = None
    report.save(update_fields=["status", "closed_at", "autoclose_due_at", "updated_at"])
    record_event(report, action, actor=actor, role=role, from_status=from_status, message=message, is_public=True)


# ---------------------------------------------------------------------------- agency


def _agency_check(action, report, disposition, actor):
    role = actor_role(actor, report, disposition)
    workflow.check(action, report.status, role)
    if not disposition.is_active:
        raise InvalidTransition()
    return workflow.check_disposition(action, disposition.state)


def post_follow_up(disposition, *, actor, message, public=True, attachments=()) -> Disposition:
    """A reply for the reporter (``public``) or an internal note, with attachments.

    The first public reply is the agency's first follow-up (its deadline stops) and moves
    the report to ``in_progress``.
    """
    message = _require_text(message, _("Tuliskan isi tindak lanjut."))
    saved_files = []
    try:
        with transaction.atomic():
            report, disposition = _lock_disposition(disposition)
            from_status = report.status
            if public:
                new_state = _agency_check("follow_up", report, disposition, actor)
                now = timezone.now()
                disposition.state = new_state
                disposition.first_follow_up_at = disposition.first_follow_up_at or now
                disposition.save(update_fields=["state", "first_follow_up_at"])
                if report.status == Status.DISPOSED:
                    report.status = Status.IN_PROGRESS
                    report.save(update_fields=["status", "updated_at"])
                action = "follow_up"
            else:
                workflow.check("internal_note", report.status, actor_role(actor, report, disposition))
                if not disposition.is_active:
                    raise InvalidTransition()
                action = "internal_note"
            event = record_event(
                report,
                action,
                actor=actor,
                role=workflow.AGENCY,
                from_status=from_status,
                message=message,
                is_public=public,
                disposition=disposition,
            )
            _save_attachments(report, attachments, event=event, is_public=public, saved=saved_files)
    except Exception:
        _discard_files(saved_files)
        raise
    return disposition


def note_lost_media(report, *, reason) -> Report:
    """A channel could not fetch a photo the reporter sent about this report (the provider
    kept failing): an internal note, so staff can ask for it again. Changes no state."""
    with transaction.atomic():
        report = _lock(report)
        record_event(
            report, "media_lost", actor=SYSTEM, role=workflow.SYSTEM, from_status=report.status, message=reason
        )
    return report


def add_internal_note(report, *, actor, message) -> Report:
    """A coordinator's note on the report, seen by staff only."""
    message = _require_text(message, _("Tuliskan catatan."))
    with transaction.atomic():
        report = _lock(report)
        workflow.check("internal_note", report.status, actor_role(actor, report))
        record_event(
            report, "internal_note", actor=actor, role=workflow.COORDINATOR, from_status=report.status, message=message
        )
    return report


def finish_disposition(disposition, *, actor, message="") -> Disposition:
    """The agency is done. The report is resolved when every active disposition is done.

    An agency must have told the reporter something: either an earlier public follow-up or
    a closing ``message`` (recorded as a public follow-up).
    """
    with transaction.atomic():
        report, disposition = _lock_disposition(disposition)
        new_state = _agency_check("finish_disposition", report, disposition, actor)
        message = (message or "").strip()
        if not message and not disposition.first_follow_up_at:
            raise DomainError(_("Tuliskan tanggapan untuk pelapor sebelum menandai selesai."))
        now = timezone.now()
        from_status = report.status
        if message:
            disposition.first_follow_up_at = disposition.first_follow_up_at or now
            record_event(
                report,
                "follow_up",
                actor=actor,
                role=workflow.AGENCY,
                from_status=from_status,
                message=message,
                is_public=True,
                disposition=disposition,
            )
        disposition.state = new_state
        disposition.done_at = now
        disposition.save(update_fields=["state", "done_at", "first_follow_up_at"])
        if report.status == Status.DISPOSED:
            report.status = Status.IN_PROGRESS
            report.save(update_fields=["status", "updated_at"])
        record_event(
            report,
            "disposition_done",
            actor=actor,
            role=workflow.AGENCY,
            from_status=from_status,
            is_public=True,
            disposition=disposition,
        )
        _resolve_if_complete(report, actor=actor, now=now)
    return disposition


def _resolve_if_complete(report, *, actor, now):
    if report.status not in (Status.DISPOSED, Status.IN_PROGRESS):
        return
    active = list(report.dispositions.active().values_list("state", flat=True))
    if not active or any(state != Disposition.State.DONE for state in active):
        return
    from_status = report.status
    report.status = Status.RESOLVED
    report.resolved_at = now
    report.autoclose_due_at = deadlines.autoclose_due(now)
    report.save(update_fields=["status", "resolved_at", "autoclose_due_at", "updated_at"])
    record_event(report, "resolved", actor=SYSTEM, role=workflow.SYSTEM, from_status=from_status, is_public=True)


def return_disposition(disposition, *, actor, reason) -> Disposition:
    """Return a disposition as not the agency's authority (bukan wewenang). A returned lead
    sends the report back to the coordinator for re-disposition."""
    reason = _require_text(reason, _("Tuliskan alasan pengembalian."))
    with transaction.atomic():
        report, disposition = _lock_disposition(disposition)
        new_state = _agency_check("return_disposition", report, disposition, actor)
        now = timezone.now()
        from_status = report.status
        disposition.state = new_state
        disposition.is_active = False
        disposition.returned_at = now
        disposition.return_reason = reason
        disposition.save(update_fields=["state", "is_active", "returned_at", "return_reason"])
        report.return_count = F("return_count") + 1
        open_left = report.dispositions.open().exists()
        if disposition.role == Disposition.Role.LEAD or not report.dispositions.active().exists():
            report.status = Status.VERIFIED
            report.due_at = deadlines.verify_due(report, now)
        report.save(update_fields=["status", "due_at", "return_count", "updated_at"])
        report.refresh_from_db(fields=["return_count"])
        record_event(
            report,
            "disposition_returned",
            actor=actor,
            role=workflow.AGENCY,
            from_status=from_status,
            message=reason,
            disposition=disposition,
        )
        if report.status != Status.VERIFIED and not open_left:
            _resolve_if_complete(report, actor=actor, now=now)
    return disposition


def extend_information_request(report, *, actor, reason) -> Report:
    """Extend an information request's answer deadline once by 7 working days, with a reason
    the requester sees."""
    reason = _require_text(reason, _("Tuliskan alasan perpanjangan."))
    with transaction.atomic():
        report = _lock(report)
        workflow.check("extend_information", report.status, role_for_report_action(actor, report))
        if report.kind != Kind.INFORMATION_REQUEST:
            raise InvalidTransition(_("Hanya permintaan informasi yang dapat diperpanjang."))
        if report.info_extended_at:
            raise InvalidTransition(_("Perpanjangan hanya dapat dilakukan satu kali."))
        report.info_answer_due_at = workdays.add_working_days(
            report.info_answer_due_at or timezone.now(), deadlines.INFO_EXTENSION_DAYS
        )
        report.info_extended_at = timezone.now()
        report.info_extension_reason = reason
        report.save(update_fields=["info_answer_due_at", "info_extended_at", "info_extension_reason", "updated_at"])
        report.dispositions.open().update(resolution_due_at=report.info_answer_due_at)
        record_event(
            report,
            "information_extended",
            actor=actor,
            role=role_for_report_action(actor, report),
            from_status=report.status,
            message=reason,
            is_public=True,
            data={"new_due": report.info_answer_due_at.isoformat()},
        )
    return report


# ---------------------------------------------------------------------------- reporter


def confirm_resolution(report, *, actor, message="") -> Report:
    with transaction.atomic():
        report = _lock(report)
        workflow.check("confirm", report.status, actor_role(actor, report))
        _close(report, actor=actor, role=workflow.CITIZEN, action="confirmed", message=message.strip())
    return report


def dispute_resolution(report, *, actor, reason) -> Report:
    """The reporter disagrees with the result: the report reopens to the coordinator, who
    disposes it again; the finished dispositions are kept in history."""
    reason = _require_text(reason, _("Tuliskan mengapa Anda belum puas dengan hasilnya."))
    with transaction.atomic():
        report = _lock(report)
        workflow.check("dispute", report.status, actor_role(actor, report))
        now = timezone.now()
        from_status = report.status
        report.dispositions.active().update(is_active=False)
        report.status = Status.VERIFIED
        report.reopen_count = F("reopen_count") + 1
        report.autoclose_due_at = None
        report.due_at = deadlines.verify_due(report, now)
        report.save(update_fields=["status", "reopen_count", "autoclose_due_at", "due_at", "updated_at"])
        report.refresh_from_db(fields=["reopen_count"])
        record_event(
            report,
            "disputed",
            actor=actor,
            role=workflow.CITIZEN,
            from_status=from_status,
            message=reason,
            is_public=True,
        )
    return report


def rate_report(report, *, actor, rating, comment="") -> Report:
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError(_("Nilai harus antara 1 dan 5."))
    with transaction.atomic():
        report = _lock(report)
        workflow.check("rate", report.status, actor_role(actor, report))
        if report.rating is not None:
            raise InvalidTransition(_("Laporan ini sudah dinilai."))
        report.rating = rating
        report.rating_comment = (comment or "").strip()
        report.rated_at = timezone.now()
        report.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        record_event(
            report,
            "rated",
            actor=actor,
            role=workflow.CITIZEN,
            from_status=report.status,
            message=report.rating_comment,
            is_public=True,
            data={"rating": rating},
        )
    return report


def file_objection(report, *, actor, reason) -> Report:
    """An information requester objects (keberatan) to the answer, within 30 working days."""
    reason = _require_text(reason, _("Tuliskan alasan keberatan."))
    with transaction.atomic():
        report = _lock(report)
        workflow.check("file_objection", report.status, actor_role(actor, report))
        if report.kind != Kind.INFORMATION_REQUEST:
            raise InvalidTransition(_("Keberatan hanya untuk permintaan informasi."))
        now = timezone.now()
        if report.objection_filed_at:
            raise InvalidTransition(_("Keberatan sudah pernah diajukan."))
        if report.resolved_at and now > deadlines.objection_window_ends(report.resolved_at):
            raise InvalidTransition(_("Batas waktu pengajuan keberatan (30 hari kerja) sudah lewat."))
        from_status = report.status
        report.status = Status.OBJECTION
        report.objection_filed_at = now
        report.objection_reason = reason
        report.objection_due_at = deadlines.objection_answer_due(now)
        report.autoclose_due_at = None
        report.save(
            update_fields=[
                "status",
                "objection_filed_at",
                "objection_reason",
                "objection_due_at",
                "autoclose_due_at",
                "updated_at",
            ]
        )
        record_event(
            report,
            "objection_filed",
            actor=actor,
            role=workflow.CITIZEN,
            from_status=from_status,
            message=reason,
            is_public=True,
        )
    return report


# ---------------------------------------------------------------------------- system


def auto_close_due_reports(now=None) -> int:
    """Close every resolved report whose reporter stayed silent for 10 working days."""
    now = now or timezone.now()
    closed = 0
    for pk in Report.objects.filter(status=Status.RESOLVED, autoclose_due_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=pk)
            if report.status != Status.RESOLVED or not report.autoclose_due_at or report.autoclose_due_at > now:
                continue
            workflow.check("auto_close", report.status, workflow.SYSTEM)
            _close(report, actor=SYSTEM, role=workflow.SYSTEM, action="auto_closed")
            closed += 1
    return closed


# ---------------------------------------------------------------------------- external systems
#
# A report that lives in another system (SP4N-LAPOR!) follows that system's state: the state
# is *mirrored*, not walked through the coordinator's workflow. Every mirrored change writes
# an event named after the source (``<source>_updated``, ``<source>_synced``,
# ``<source>_disposed``; actor SYSTEM, from/to status), so history, monev and notifications
# see it.

# Aduan states in which the report is with an agency, and the disposition's state then.
DISPOSITION_STATE = {
    Status.DISPOSED: Disposition.State.PENDING,
    Status.IN_PROGRESS: Disposition.State.ACCEPTED,
    Status.RESOLVED: Disposition.State.DONE,
    Status.CLOSED: Disposition.State.DONE,
}
TIMESTAMPS = {  # the moments a state implies have happened
    Status.VERIFIED: ["verified_at"],
    Status.DISPOSED: ["verified_at", "disposed_at"],
    Status.IN_PROGRESS: ["verified_at", "disposed_at"],
    Status.RESOLVED: ["verified_at", "disposed_at", "resolved_at"],
    Status.CLOSED: ["verified_at", "resolved_at", "closed_at"],
    Status.ARCHIVED: ["archived_at"],
}


@dataclass
class ExternalState:
    """What the other system says of one report.

    ``status``: the Aduan status its status maps to (None: leave the status alone);
    ``agency_id``/``agency_name``: the agency it is disposed to (None: unknown);
    ``message``: the ``<source>_synced`` event's public text (the other system's wording);
    ``data``: added to every event's data (e.g. the other system's tracking id);
    ``status_data``: added to the ``<source>_synced`` event's data.
    """

    status: str | None = None
    agency_id: int | None = None
    agency_name: str = ""
    message: str = ""
    data: dict = field(default_factory=dict)
    status_data: dict = field(default_factory=dict)


def _event(report, action, *, from_status, disposition=None, message="", is_public=False, data=None, now, **kw):
    """An unsaved system event (for bulk_create): what ``record_event`` writes, minus the save."""
    return ReportEvent(
        report=report,
        disposition=disposition,
        action=action,
        actor=kw.get("actor"),
        actor_role=kw.get("role", workflow.SYSTEM),
        agency_id=disposition.agency_id if disposition is not None else None,
        from_status=from_status,
        to_status=report.status,
        message=message,
        is_public=is_public,
        data=data or {},
        created_at=now,
    )


def _mirror_status(report, status, now) -> list[str]:
    """Put ``report`` in ``status`` with the moments that state implies; the changed fields."""
    report.status = status
    fields = ["status", "due_at", "autoclose_due_at", "updated_at"]
    for name in TIMESTAMPS.get(status, []):
        if getattr(report, name) is None:
            setattr(report, name, now)
            fields.append(name)
    if status not in (Status.RECEIVED, Status.VERIFIED):
        report.due_at = None
    elif report.due_at is None:
        report.due_at = deadlines.verify_due(report, now)
    report.autoclose_due_at = deadlines.autoclose_due(now) if status == Status.RESOLVED else None
    return fields


def _mirror_disposition(report, agency_id, state, now) -> Disposition:
    """A new active lead disposition to ``agency_id`` in ``state`` (unsaved)."""
    return Disposition(
        report=report,
        agency_id=agency_id,
        role=Disposition.Role.LEAD,
        state=state,
        created_at=now,
        follow_up_due_at=deadlines.follow_up_due(report, now),
        resolution_due_at=deadlines.resolution_due(report, now),
        done_at=now if state == Disposition.State.DONE else None,
        first_follow_up_at=now if state != Disposition.State.PENDING else None,
    )


def mirror_external_state(report, state: ExternalState, *, source, changes=None, sync_status=True) -> Report:
    """Bring a stored report to what the other system ``source`` says of it.

    1. lock the report; apply ``changes`` (field name → value) → ``<source>_updated``;
    2. when ``sync_status`` and the status differs: set it with the moments it implies and
       the deadlines it keeps → ``<source>_synced`` (public);
    3. when the state is with an agency and ``state.agency_id`` is known: make it the one
       active lead disposition (retiring the others) → ``<source>_disposed``; an active
       disposition to it moves on to accepted/done when the state says so.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).select_related("category").get(pk=report.pk)
        now = timezone.now()
        if changes:
            for name, value in changes.items():
                setattr(report, name, value)
            report.save(update_fields=[name.removesuffix("_id") for name in changes] + ["updated_at"])
            fields = sorted(name.removesuffix("_id") for name in changes)
            record_event(
                report,
                f"{source}_updated",
                actor=SYSTEM,
                role=workflow.SYSTEM,
                from_status=report.status,
                data={**state.data, "fields": fields},
            )
        if sync_status and state.status is not None and report.status != state.status:
            from_status = report.status
            report.save(update_fields=_mirror_status(report, state.status, now))
            record_event(
                report,
                f"{source}_synced",
                actor=SYSTEM,
                role=workflow.SYSTEM,
                from_status=from_status,
                message=state.message,
                is_public=True,
                data={**state.data, **state.status_data},
            )
        disposition_state = DISPOSITION_STATE.get(report.status)
        if state.agency_id is None or disposition_state is None:
            return report
        active = list(report.dispositions.filter(is_active=True))
        current = next((d for d in active if d.agency_id == state.agency_id), None)
        if current is not None:
            if current.state != disposition_state and disposition_state in (
                Disposition.State.ACCEPTED,
                Disposition.State.DONE,
            ):
                current.state = disposition_state
                current.done_at = now if disposition_state == Disposition.State.DONE else current.done_at
                current.save(update_fields=["state", "done_at"])
            return report
        if active:
            report.dispositions.filter(is_active=True).update(is_active=False)
        disposition = _mirror_disposition(report, state.agency_id, disposition_state, now)
        disposition.save()
        record_event(
            report,
            f"{source}_disposed",
            actor=SYSTEM,
            role=workflow.SYSTEM,
            from_status=report.status,
            disposition=disposition,
            data={**state.data, "agency": state.agency_name},
        )
    return report


def submit_external_reports(entries, *, source, actor=None) -> list[Report]:
    """Store many new reports that live in the other system ``source``, each at once in the
    state that system gives it: the rows and events of ``submit_report`` followed by
    ``mirror_external_state``, written with a few queries for the whole list.

    ``entries``: (``submit_report`` keyword arguments without attachments, ExternalState,
    extra Report field values such as ``rating``) per report. Every report gets its tracking
    number, a ``submitted`` event (data ``bulk``: true), and as the state requires a
    ``<source>_synced`` event and an active lead disposition with ``<source>_disposed``.
    Every event is announced through ``event_recorded`` after the commit as usual, and
    then the whole list once through ``reports_submitted`` (receivers doing per-report work
    on intake, such as triage, do it there for all of them at once). Answers the reports,
    saved, in the order of ``entries``.
    """
    entries = list(entries)
    if not entries:
        return []
    now = timezone.now()
    built = []
    for fields, state, extra in entries:
        if fields.get("attachments"):
            raise DomainError(_("Laporan dari sistem lain disimpan tanpa lampiran."))
        report, role = _new_report(actor=actor, **fields)
        for name, value in (extra or {}).items():
            setattr(report, name, value)
        built.append((report, role, state))
    with transaction.atomic():
        numbers = _next_tracking_numbers(len(built))
        events, dispositions = [], []
        for (report, role, state), number in zip(built, numbers, strict=True):
            report.tracking_number = number
            submitted = _event(
                report,
                "submitted",
                from_status="",
                is_public=True,
                data={"channel": report.channel, "bulk": True},
                now=now,
                actor=_user(actor),
                role=role,
            )
            events.append(submitted)
            if state.status is not None and state.status != Status.RECEIVED:
                _mirror_status(report, state.status, now)
                data = {**state.data, **state.status_data}
                synced = _event(
                    report,
                    f"{source}_synced",
                    from_status=Status.RECEIVED,
                    message=state.message,
                    is_public=True,
                    data=data,
                    now=now,
                )
                events.append(synced)
            disposition_state = DISPOSITION_STATE.get(report.status)
            if state.agency_id is not None and disposition_state is not None:
                disposition = _mirror_disposition(report, state.agency_id, disposition_state, now)
                dispositions.append(disposition)
                data = {**state.data, "agency": state.agency_name}
                disposed = _event(
                    report, f"{source}_disposed", from_status=report.status, disposition=disposition, data=data, now=now
                )
                events.append(disposed)
        reports = [report for report, _role, _state in built]
        for report in reports:
            report.refresh_masked_words()  # bulk_create does not call save()
        # In this order, each row's foreign keys pick up the pks the previous inserts returned.
        Report.objects.bulk_create(reports)
        Disposition.objects.bulk_create(dispositions)
        ReportEvent.objects.bulk_create(events)
        # bulk_create sends no model signals; receivers of a new event (notify's muting mark)
        # hear of these as of any other.
        using = router.db_for_write(ReportEvent)
        for event in events:
            post_save.send(sender=ReportEvent, instance=event, created=True, update_fields=None, raw=False, using=using)
            transaction.on_commit(lambda event=event: event_recorded.send(sender=ReportEvent, event=event))
        transaction.on_commit(lambda: reports_submitted.send(sender=Report, reports=reports))
    return reports
