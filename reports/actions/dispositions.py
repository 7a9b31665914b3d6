"""The work with the agencies: dispose, follow up, finish, return, extend an
information request."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, InvalidTransition
from reports import deadlines, workflow
from reports.access import SYSTEM, actor_role, role_for_report_action
from reports.actions.events import (
    _discard_files,
    _lock,
    _lock_disposition,
    _require_text,
    _save_attachments,
    _user,
    record_event,
)
from reports.actions.screening import verify_report
from reports.actions.units import answer_above, close_below, end_below, return_to_agency
from reports.models import (
    Audience,
    Disposition,
    Kind,
    Report,
    Status,
    refresh_current_deadline,
)

logger = logging.getLogger(__name__)


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
        already = set(report.dispositions.top_level().open().values_list("agency_id", flat=True))
        targets = [(lead_agency, Disposition.Role.LEAD)]
        targets += [(a, Disposition.Role.SUPPORT) for a in supporting_agencies if a.pk != lead_agency.pk]
        if any(agency.government_id != report.government_id for agency, _role in targets):
            # Another government's agency: that is a referral between governments, not a
            # disposition (docs/architecture.md, "Tenancy").
            raise DomainError(_("Perangkat daerah itu milik pemerintah daerah lain."))
        created = []
        seen = set()
        for agency, role in targets:
            if agency.pk in seen:
                continue
            seen.add(agency.pk)
            if agency.pk in already:
                report.dispositions.top_level().active().filter(agency=agency).update(role=role)
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
        refresh_current_deadline([report.pk])
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


def verify_and_dispose(
    report,
    *,
    actor,
    lead_agency,
    instruction="",
    supporting_agencies=(),
    category=None,
    kind=None,
    resolution_class=None,
    region=None,
    message="",
) -> Report:
    """Verify a report and forward it at once: what most reports need, in one step.

    1. check the agency first (nothing to undo when there is none);
    2. in one transaction, ``verify_report`` (its ``verified`` event, the reporter's
       message) and then ``dispose_report`` (its ``disposed`` event), each checked against
       the workflow table as when done separately;
    3. a refused dispose rolls the verification back too: nothing is stored, nothing is
       announced (the events' notifications wait for the commit).
    """
    if lead_agency is None:
        raise DomainError(_("Pilih perangkat daerah utama."))
    with transaction.atomic():
        report = verify_report(
            report,
            actor=actor,
            category=category,
            kind=kind,
            resolution_class=resolution_class,
            region=region,
            message=message,
        )
        return dispose_report(
            report,
            actor=actor,
            lead_agency=lead_agency,
            supporting_agencies=supporting_agencies,
            instruction=instruction,
        )


# ---------------------------------------------------------------------------- agency


def _agency_check(action, report, disposition, actor):
    role = actor_role(actor, report, disposition)
    workflow.check(action, report.status, role)
    if not disposition.is_active:
        raise InvalidTransition()
    return workflow.check_disposition(action, disposition.state)


def post_follow_up(
    disposition, *, actor, message, audience=Audience.REPORTER, attachments=(), submission_key=""
) -> Disposition:
    """A reply for the reporter (``audience`` reporter, or public to publish it on the
    public report page as well) or an internal note (``audience`` staff), with
    attachments, which share the message's audience.

    The first reply to the reporter is the agency's first follow-up (its deadline stops)
    and moves the report to ``in_progress``.

    ``submission_key`` is the sending form's one-time key (kept in the event's data): a
    follow-up sent again with it (a double click, a resent POST) records nothing more and
    returns the disposition as it is. The check runs with the disposition's row locked, so
    of two sends at once the second sees the first.
    """
    message = _require_text(message, _("Tuliskan isi tindak lanjut."))
    if audience not in Audience.values:
        raise DomainError(_("Pilih siapa yang dapat melihat tindak lanjut ini."))
    to_reporter = audience != Audience.STAFF
    saved_files = []
    try:
        with transaction.atomic():
            report, disposition = _lock_disposition(disposition)
            if submission_key and _already_posted(report, submission_key):
                return disposition
            from_status = report.status
            if to_reporter:
                new_state = _agency_check("follow_up", report, disposition, actor)
                now = timezone.now()
                disposition.state = new_state
                disposition.first_follow_up_at = disposition.first_follow_up_at or now
                disposition.save(update_fields=["state", "first_follow_up_at"])
                # A unit's reply is its agency's too: the reporter heard from the government.
                answer_above(disposition, now=now)
                if report.status == Status.DISPOSED:
                    report.status = Status.IN_PROGRESS
                    report.save(update_fields=["status", "updated_at"])
                # Answered: the agency's deadline is now its resolution's.
                refresh_current_deadline([report.pk])
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
                audience=audience,
                disposition=disposition,
                data={"submission_key": submission_key} if submission_key else None,
            )
            _save_attachments(report, attachments, event=event, is_public=to_reporter, saved=saved_files)
    except Exception:
        _discard_files(saved_files)
        raise
    return disposition


def _already_posted(report, submission_key) -> bool:
    return report.events.filter(action__in=("follow_up", "internal_note"), data__submission_key=submission_key).exists()


def finish_disposition(disposition, *, actor, message="", audience=Audience.REPORTER) -> Disposition:
    """The agency is done. The report is resolved when every active disposition is done.

    An agency must have told the reporter something: either an earlier follow-up or a
    closing ``message`` (recorded as a follow-up for ``audience``: the reporter, or the
    public as well).
    """
    if audience not in (Audience.REPORTER, Audience.PUBLIC):
        raise DomainError(_("Tanggapan penutup ditujukan ke pelapor atau publik."))
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
                audience=audience,
                disposition=disposition,
            )
        disposition.state = new_state
        disposition.done_at = now
        disposition.save(update_fields=["state", "done_at", "first_follow_up_at"])
        # The agency's done closes its units' open work below it; a unit's done is the
        # unit's alone (the agency confirms and finishes its own disposition).
        units_closed = close_below(disposition, now=now)
        if report.status == Status.DISPOSED:
            report.status = Status.IN_PROGRESS
            report.save(update_fields=["status", "updated_at"])
        record_event(
            report,
            "disposition_done",
            actor=actor,
            role=workflow.AGENCY,
            from_status=from_status,
            is_public=disposition.parent_id is None,
            disposition=disposition,
            data={"units_closed": units_closed} if units_closed else None,
        )
        if disposition.parent_id is None:
            _resolve_if_complete(report, actor=actor, now=now)
        refresh_current_deadline([report.pk])
    return disposition


def _resolve_if_complete(report, *, actor, now):
    if report.status not in (Status.DISPOSED, Status.IN_PROGRESS):
        return
    active = list(report.dispositions.top_level().active().values_list("state", flat=True))
    if not active or any(state != Disposition.State.DONE for state in active):
        return
    from_status = report.status
    report.status = Status.RESOLVED
    report.resolved_at = now
    report.autoclose_due_at = deadlines.autoclose_due(now, report.government_id)
    report.save(update_fields=["status", "resolved_at", "autoclose_due_at", "updated_at"])
    record_event(report, "resolved", actor=SYSTEM, role=workflow.SYSTEM, from_status=from_status, is_public=True)


def return_disposition(disposition, *, actor, reason) -> Disposition:
    """Return a disposition as not the agency's authority (bukan wewenang). A returned lead
    sends the report back to the coordinator for re-disposition. A unit's disposition goes
    back up to its agency instead (reports/actions/units.py ``return_to_agency``); the
    units below a returned disposition lose it with it."""
    if disposition.parent_id is not None:
        return return_to_agency(disposition, actor=actor, reason=reason)
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
        end_below(disposition)
        report.return_count = F("return_count") + 1
        open_left = report.dispositions.top_level().open().exists()
        if disposition.role == Disposition.Role.LEAD or not report.dispositions.top_level().active().exists():
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
        refresh_current_deadline([report.pk])
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
        report.info_answer_due_at = deadlines.extended_info_answer_due(report, timezone.now())
        report.info_extended_at = timezone.now()
        report.info_extension_reason = reason
        report.save(update_fields=["info_answer_due_at", "info_extended_at", "info_extension_reason", "updated_at"])
        report.dispositions.open().update(resolution_due_at=report.info_answer_due_at)
        refresh_current_deadline([report.pk])
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
