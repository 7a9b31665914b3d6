"""Dispose down and return up inside one government: an agency forwards its disposition
to one of its units (bidang, UPT, kecamatan, kelurahan), which may forward again; a unit
returns it to the agency above. The unit works its disposition as an agency does
(post_follow_up, finish_disposition); the agency stays answerable for its own deadline and
closes its own disposition (finish_disposition), which the unit's done does not."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.tree import active_units
from core.errors import DomainError, InvalidTransition, NotAllowed
from reports import access, deadlines, workflow
from reports.actions.events import _lock_disposition, _require_text, _user, record_event
from reports.models import Disposition, refresh_current_deadline


def _within(own, outer):
    """The earlier of two deadlines (the unit's deadline stays inside its agency's)."""
    if own is None or outer is None:
        return own or outer
    return min(own, outer)


def forward_to_unit(disposition, *, actor, unit, instruction="") -> Disposition:
    """Forward the agency's open disposition to one of its active units.

    1. lock the report and the disposition; the actor must be a liaison, operator or head
       of the disposition's agency, the report in agency work, the disposition open;
    2. the unit must be an active, staffed child of that agency, without an open
       disposition of this report already;
    3. create the unit's disposition (``parent``, ``level`` one below) with deadlines from
       the working-day engine, each no later than the agency's own;
    4. record ``forwarded_to_unit`` (staff only) on the unit's disposition.
    """
    instruction = (instruction or "").strip()
    if unit is None:
        raise DomainError(_("Pilih unit tujuan."))
    with transaction.atomic():
        report, parent = _lock_disposition(disposition)
        role = workflow.AGENCY if access.may_forward_to_unit(actor, parent) else workflow.NOBODY
        workflow.check("forward_to_unit", report.status, role)
        if not parent.is_open:
            raise InvalidTransition()
        if not active_units(parent.agency_id).filter(pk=unit.pk).exists():
            raise DomainError(_("Unit ini bukan unit aktif perangkat daerah ini (atau belum punya petugas)."))
        if parent.children.open().filter(agency=unit).exists():
            raise DomainError(_("Laporan ini sudah diteruskan ke unit tersebut."))
        now = timezone.now()
        follow_up_outer = parent.follow_up_due_at if parent.state == Disposition.State.PENDING else None
        child = Disposition.objects.create(
            report=report,
            parent=parent,
            level=parent.level + 1,
            agency=unit,
            role=parent.role,
            instruction=instruction,
            disposed_by=_user(actor),
            created_at=now,
            follow_up_due_at=_within(
                deadlines.follow_up_due(report, now), _within(follow_up_outer, parent.resolution_due_at)
            ),
            resolution_due_at=_within(deadlines.resolution_due(report, now), parent.resolution_due_at),
        )
        refresh_current_deadline([report.pk])
        record_event(
            report,
            "forwarded_to_unit",
            actor=actor,
            role=workflow.AGENCY,
            from_status=report.status,
            message=instruction,
            disposition=child,
            data={"from": str(parent.agency), "unit": str(unit), "parent": parent.pk},
        )
    return child


def return_to_agency(disposition, *, actor, reason) -> Disposition:
    """A unit gives its disposition back to the agency above, with a reason.

    The unit's disposition ends (returned, inactive: the unit reads nothing after it, as a
    returned agency); the agency's disposition, never closed by the forward, is in its
    queue as before. The report's status and its return count (the coordinator's
    *bukan wewenang*) do not change; monev counts it as a return of the unit's level.
    """
    reason = _require_text(reason, _("Tuliskan alasan pengembalian."))
    with transaction.atomic():
        report, child = _lock_disposition(disposition)
        if child.parent_id is None:
            raise InvalidTransition(_("Disposisi ini dari koordinator; kembalikan ke koordinator."))
        role = access.actor_role(actor, report, child)
        if role != workflow.AGENCY:
            raise NotAllowed()
        workflow.check("return_to_agency", report.status, role)
        if not child.is_active:
            raise InvalidTransition()
        child.state = workflow.check_disposition("return_disposition", child.state)
        child.is_active = False
        child.returned_at = timezone.now()
        child.return_reason = reason
        child.save(update_fields=["state", "is_active", "returned_at", "return_reason"])
        end_below(child)
        refresh_current_deadline([report.pk])
        record_event(
            report,
            "returned_to_agency",
            actor=actor,
            role=workflow.AGENCY,
            from_status=report.status,
            message=reason,
            disposition=child,
            data={"to": str(child.parent.agency)},
        )
    return child


def answer_above(disposition, *, now) -> None:
    """A unit's first reply to the reporter is its agency's first follow-up as well (and of
    every level up to the coordinator's disposition): the reporter heard from the
    government, so no agency above is reminded or escalated for a follow-up it owes no
    more. Each keeps its resolution deadline and finishes its own disposition."""
    parent_id = disposition.parent_id
    while parent_id is not None:
        above = Disposition.objects.filter(pk=parent_id, is_active=True)
        above.filter(state=Disposition.State.PENDING).update(state=Disposition.State.ACCEPTED)
        above.filter(first_follow_up_at__isnull=True).update(first_follow_up_at=now)
        parent_id = Disposition.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()


def end_below(disposition) -> None:
    """The units below a disposition that ended lose it too (their reading ends with it)."""
    below = [disposition.pk]
    while below:
        below = list(Disposition.objects.filter(parent_id__in=below, is_active=True).values_list("pk", flat=True))
        Disposition.objects.filter(pk__in=below).update(is_active=False)


def close_below(disposition, *, now) -> list[str]:
    """The agency finished: its units' open dispositions below are done with it. Returns
    the units' names (the agency's ``disposition_done`` event lists them)."""
    closed, below = [], [disposition.pk]
    while below:
        rows = list(Disposition.objects.filter(parent_id__in=below).open().select_related("agency"))
        Disposition.objects.filter(pk__in=[d.pk for d in rows]).update(state=Disposition.State.DONE, done_at=now)
        closed += [str(d.agency) for d in rows]
        below = list(Disposition.objects.filter(parent_id__in=below).values_list("pk", flat=True))
    return closed
