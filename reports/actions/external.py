"""Reports that live in another system too (SP4N-LAPOR!): mirror its state onto ours,
and store a batch of its reports at once."""

import logging
from dataclasses import dataclass, field

from django.db import router, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from core import fastinsert, phones
from core.errors import DomainError
from reports import deadlines, workflow
from reports.access import SYSTEM
from reports.actions.events import _event, _next_tracking_numbers, _user, record_event
from reports.actions.intake import _new_report
from reports.models import (
    Disposition,
    Report,
    ReportEvent,
    Status,
    refresh_current_deadline,
)
from reports.signals import event_recorded, event_written, reports_submitted, reports_written

logger = logging.getLogger(__name__)

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
    report.autoclose_due_at = deadlines.autoclose_due(now, report.government_id) if status == Status.RESOLVED else None
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
        refresh_current_deadline([report.pk])
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
                refresh_current_deadline([report.pk])
            return report
        if active:
            report.dispositions.filter(is_active=True).update(is_active=False)
        disposition = _mirror_disposition(report, state.agency_id, disposition_state, now)
        disposition.save()
        refresh_current_deadline([report.pk])
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


def _numbers_per_government(reports) -> list[str]:
    """Tracking numbers for ``reports`` in their order, each with its government's prefix
    (one counter update per government in the list)."""
    by_government: dict = {}
    for report in reports:
        by_government.setdefault(report.government_id, []).append(report)
    numbers = {}
    for group in by_government.values():
        for report, number in zip(group, _next_tracking_numbers(len(group), group[0].government), strict=True):
            numbers[id(report)] = number
    return [numbers[id(report)] for report in reports]


def submit_external_reports(entries, *, source, actor=None) -> list[Report]:
    """Store many new reports that live in the other system ``source``, each at once in the
    state that system gives it: the rows and events of ``submit_report`` followed by
    ``mirror_external_state``, written with a few queries for the whole list.

    ``entries``: (``submit_report`` keyword arguments without attachments, ExternalState,
    extra Report field values such as ``rating``) per report. Every report gets its tracking
    number, a ``submitted`` event (data ``bulk``: true), and as the state requires a
    ``<source>_synced`` event and an active lead disposition with ``<source>_disposed``.
    Every event is written (``event_written``) and announced through ``event_recorded``
    after the commit as usual, and
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
        numbers = _numbers_per_government([report for report, _role, _state in built])
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
            report.reporter_phone_e164 = phones.e164_or_blank(report.reporter_phone)
        # In this order, each row's foreign keys pick up the pks the previous inserts took
        # (COPY on PostgreSQL, one prepared INSERT on SQLite: bulk_create's SQL compilation
        # was half of a LAPOR! import).
        fastinsert.insert(reports)
        fastinsert.insert(dispositions)
        fastinsert.insert(events)
        # bulk_create skips the actions' bookkeeping: the deadline column, one UPDATE per batch.
        refresh_current_deadline([report.pk for report in reports])
        # bulk_create sends no model signals; receivers of a new event (and of a written
        # one: the outbox) hear of these as of any other.
        using = router.db_for_write(ReportEvent)
        reports_written.send(sender=Report, reports=reports)
        for event in events:
            post_save.send(
                sender=ReportEvent, instance=event, created=True, update_fields=None, raw=False, using=using, bulk=True
            )
            event_written.send(sender=ReportEvent, event=event, bulk=True)  # reports_written went first
            transaction.on_commit(lambda event=event: event_recorded.send(sender=ReportEvent, event=event))
        transaction.on_commit(lambda: reports_submitted.send(sender=Report, reports=reports))
    return reports
