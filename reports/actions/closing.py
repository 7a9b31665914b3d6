"""The end of a report: the reporter confirms, disputes or rates; objections to an
information answer; closing by the coordinator or, after the silence, by the system."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, InvalidTransition
from reports import deadlines, workflow
from reports.access import SYSTEM, actor_role
from reports.actions.events import _lock, _require_text, record_event
from reports.models import (
    Kind,
    Report,
    Status,
    refresh_current_deadline,
)

logger = logging.getLogger(__name__)


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
    refresh_current_deadline([report.pk])
    record_event(report, action, actor=actor, role=role, from_status=from_status, message=message, is_public=True)


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
        refresh_current_deadline([report.pk])
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
        if report.resolved_at and now > deadlines.objection_window_ends(report.resolved_at, report.government_id):
            raise InvalidTransition(_("Batas waktu pengajuan keberatan (30 hari kerja) sudah lewat."))
        from_status = report.status
        report.status = Status.OBJECTION
        report.objection_filed_at = now
        report.objection_reason = reason
        report.objection_due_at = deadlines.objection_answer_due(now, report.government_id)
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
        refresh_current_deadline([report.pk])
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
