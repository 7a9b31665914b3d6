"""The coordinator screens a report: verify, classify, hold (and the reporter's answer),
the reporter's later messages, archive, internal notes."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from reports import deadlines, workflow
from reports.access import SYSTEM, actor_role
from reports.actions.events import _discard_files, _lock, _require_text, _save_attachments, record_event
from reports.models import (
    ArchiveReason,
    Kind,
    Report,
    Status,
    refresh_current_deadline,
)

logger = logging.getLogger(__name__)


def _resume_clock(report, now):
    """End a hold: the running deadlines move later by the working days spent on hold
    (reports/deadlines.py); answers those days."""
    paused = deadlines.resume_after_hold(report, now)
    report.held_from = ""
    report.hold_started_at = None
    return paused


# ---------------------------------------------------------------------------- coordinator


def _apply_classification(report, *, category=None, kind=None, resolution_class=None, region=None):
    # The tenancy rule for a report's classification, whoever calls (the workspace's forms
    # offer only the government's own; the API and any other caller are held here).
    if category is not None and category.government_id != report.government_id:
        raise DomainError(_("Kategori ini milik pemerintah daerah lain; pilih kategori pemerintah daerah laporan ini."))
    if region is not None and region.government_id != report.government_id:
        raise DomainError(
            _("Kelurahan ini milik pemerintah daerah lain; pilih kelurahan pemerintah daerah laporan ini.")
        )
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
            report.info_answer_due_at = deadlines.info_answer_due(report.received_at, report.government_id)
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
        refresh_current_deadline([report.pk])
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
        refresh_current_deadline([report.pk])
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
            refresh_current_deadline([report.pk])
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
        refresh_current_deadline([report.pk])
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


def note_lost_media(report, *, reason) -> Report:
    """A channel could not fetch a photo the reporter sent about this report (the provider
    kept failing): an internal note, so staff can ask for it again. Changes no state."""
    with transaction.atomic():
        report = _lock(report)
        record_event(
            report, "media_lost", actor=SYSTEM, role=workflow.SYSTEM, from_status=report.status, message=reason
        )
    return report


def add_internal_note(report, *, actor, message, submission_key="") -> Report:
    """A coordinator's note on the report, seen by staff only.

    ``submission_key`` is the form's one-time key (kept in the event's data): the note
    sent again with it (a double click, a resent POST) records nothing more. The check
    runs with the report's row locked, so of two sends at once the second sees the first.
    """
    message = _require_text(message, _("Tuliskan catatan."))
    with transaction.atomic():
        report = _lock(report)
        if (
            submission_key
            and report.events.filter(action="internal_note", data__submission_key=submission_key).exists()
        ):
            return report
        workflow.check("internal_note", report.status, actor_role(actor, report))
        record_event(
            report,
            "internal_note",
            actor=actor,
            role=workflow.COORDINATOR,
            from_status=report.status,
            message=message,
            data={"submission_key": submission_key} if submission_key else None,
        )
    return report
