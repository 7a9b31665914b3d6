"""Rotation (mutasi) and who works on what: end an appointment and hand over the person's
open work, assign a disposition to a person of its agency, and the sweep that makes sure
nothing stays with a person who can no longer act.

Every move of work writes an internal ReportEvent on the report (``assigned``,
``handed_over``), so the history keeps who had what and who moved it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Appointment, EndKind, Role
from agencies.roles import is_administrator, staff_profile
from core.errors import DomainError, NotAllowed
from reports.access import SYSTEM
from reports.actions import record_event  # the one writer of ReportEvent rows
from reports.models import OPEN_DISPOSITION_STATES, Disposition
from staffing.models import Assignment

DOER_ROLES = (Role.LIAISON, Role.OPERATOR)


def can_act_for(person, agency_id, at=None) -> bool:
    """Whether ``person`` is a liaison or operator of the agency at ``at`` (now)."""
    if person is None:
        return False
    return (
        person.is_active
        and Appointment.objects.active(at or timezone.now())
        .filter(person=person, agency_id=agency_id, role__in=DOER_ROLES)
        .exists()
    )


def may_assign(actor, agency_id) -> bool:
    """The coordinator, or the agency's liaison, operator or head."""
    profile = staff_profile(actor, at=timezone.now())
    if agency_id in profile.reading_agency_ids:
        return True
    return (
        profile.is_coordinator
        and Agency.objects.filter(pk=agency_id, government_id__in=profile.coordinated_government_ids).exists()
    )


def _name(user):
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _move(disposition, assignment, to, *, actor, action, reason="", at=None):
    """Point the disposition at ``to`` (None: the agency's pool) and write the event."""
    before = assignment.person if assignment is not None else None
    if to is None:
        if assignment is not None:
            assignment.delete()
    elif assignment is None:
        Assignment.objects.create(disposition=disposition, person=to, assigned_by=_user(actor), assigned_at=at)
    else:
        assignment.person, assignment.assigned_by, assignment.assigned_at = to, _user(actor), at
        assignment.save(update_fields=["person", "assigned_by", "assigned_at"])
    report = disposition.report
    data = {
        "from": before.get_username() if before else None,
        "from_name": _name(before),
        "to": to.get_username() if to else None,
        "to_name": _name(to),
    }
    if reason:
        data["reason"] = reason
    if to is None:
        message = _("Dikembalikan ke antrean perangkat daerah (sebelumnya: %(from)s).") % {"from": _name(before)}
    elif before is None:
        message = _("Ditugaskan kepada %(to)s.") % {"to": _name(to)}
    else:
        message = _("Dipindahkan dari %(from)s kepada %(to)s.") % {"from": _name(before), "to": _name(to)}
    role = _role(actor)
    record_event(
        report,
        action,
        actor=actor,
        role=role,
        from_status=report.status,
        message=message,
        disposition=disposition,
        data=data,
        at=at,
    )


def _user(actor):
    return None if actor is SYSTEM else actor


def _role(actor) -> str:
    """The event's actor_role: system, coordinator, agency, or admin (the administrator
    without an appointment)."""
    if actor is SYSTEM:
        return "system"
    profile = staff_profile(actor, at=timezone.now())
    if profile.is_coordinator:
        return "coordinator"
    return "agency" if profile.is_staff_member else "admin"


def _lock(disposition):
    disposition = (
        Disposition.objects.select_for_update(of=("self",)).select_related("report", "agency").get(pk=disposition.pk)
    )
    assignment = Assignment.objects.select_for_update().filter(disposition=disposition).first()
    return disposition, assignment


def assign_disposition(disposition, *, actor, person=None) -> Assignment | None:
    """Give an open disposition to one person of its agency, or back to the pool.

    1. the coordinator or the agency's own liaison, operator or head;
    2. lock the disposition; it must be open (pending or accepted, active);
    3. the person must be a liaison or operator of that agency now;
    4. move it and write an ``assigned`` event.
    """
    with transaction.atomic():
        disposition, assignment = _lock(disposition)
        if not may_assign(actor, disposition.agency_id):
            raise NotAllowed()
        if not disposition.is_open:
            raise DomainError(_("Disposisi ini sudah tidak terbuka."))
        if person is not None and not can_act_for(person, disposition.agency_id):
            raise DomainError(
                _("%(name)s bukan admin penghubung atau operator aktif di %(agency)s.")
                % {"name": _name(person), "agency": disposition.agency}
            )
        current = assignment.person if assignment is not None else None
        if current == person:
            return assignment
        _move(disposition, assignment, person, actor=actor, action="assigned", at=timezone.now())
        return Assignment.objects.filter(disposition=disposition).first()


def end_appointment(appointment, *, actor, kind, at=None, note="", successor=None) -> Appointment:
    """End an appointment early (transfer, retirement, other).

    1. only the administrator; the appointment must not have been ended already, and the
       end must lie inside its period;
    2. a successor must be a liaison or operator of the same agency at the end moment;
    3. ``valid_until`` becomes the end moment: access ends then (agencies/roles.py reads
       only active appointments), with the reason, who ended it and the successor;
    4. when the end is now or past, the person's open work in that agency moves at once
       (to the successor, or back to the agency's pool); a future end is handed over by
       the sweep (``release_stranded_work``) once it passes.
    """
    if not is_administrator(actor):
        raise NotAllowed()
    if kind not in EndKind.values:
        raise DomainError(_("Pilih alasan berakhirnya penunjukan."))
    now = timezone.now()
    at = at or now
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().select_related("person", "agency").get(pk=appointment.pk)
        if appointment.end_kind:
            raise DomainError(_("Penunjukan ini sudah diakhiri."))
        if at < appointment.valid_from:
            raise DomainError(_("Tanggal berakhir tidak boleh sebelum penunjukan mulai berlaku."))
        if appointment.valid_until is not None and at > appointment.valid_until:
            raise DomainError(_("Penunjukan ini sudah berakhir sebelum tanggal tersebut."))
        if successor is not None:
            if successor.pk == appointment.person_id:
                raise DomainError(_("Pengganti harus orang lain."))
            if not can_act_for(successor, appointment.agency_id, at=at):
                raise DomainError(
                    _("%(name)s tidak memiliki penunjukan aktif sebagai admin penghubung atau operator di %(agency)s.")
                    % {"name": _name(successor), "agency": appointment.agency}
                )
        appointment.valid_until = at
        appointment.end_kind = kind
        appointment.end_reason = (note or EndKind(kind).label)[:200]
        appointment.ended_by = actor
        appointment.successor = successor
        appointment.save(update_fields=["valid_until", "end_kind", "end_reason", "ended_by", "successor"])
        if at <= now:
            hand_over(appointment.person, appointment.agency_id, actor=actor, at=now)
    return appointment


def hand_over(person, agency_id, *, actor, at=None) -> int:
    """Move every open disposition of ``agency_id`` assigned to ``person`` to the
    successor named on their latest ended appointment there (when that successor can act
    now) or back to the agency's pool. Nothing moves while the person can still act for
    the agency (another active appointment). Answers the number moved."""
    at = at or timezone.now()
    if can_act_for(person, agency_id, at=at):
        return 0
    ended = (
        Appointment.objects.filter(person=person, agency_id=agency_id, valid_until__lte=at)
        .select_related("successor")
        .order_by("-valid_until", "-pk")
        .first()
    )
    successor = ended.successor if ended is not None and can_act_for(ended.successor, agency_id, at=at) else None
    reason = (ended.end_reason if ended is not None else "") or _("Penunjukan berakhir")
    moved = 0
    ids = list(
        Assignment.objects.filter(
            person=person,
            disposition__agency_id=agency_id,
            disposition__is_active=True,
            disposition__state__in=OPEN_DISPOSITION_STATES,
        ).values_list("disposition_id", flat=True)
    )
    for disposition_id in ids:
        with transaction.atomic():
            disposition, assignment = _lock(Disposition(pk=disposition_id))
            # Re-read under the lock: another worker may have moved it meanwhile.
            if assignment is None or assignment.person_id != person.pk:
                continue
            _move(disposition, assignment, successor, actor=actor, action="handed_over", reason=reason, at=at)
            moved += 1
    return moved


def release_stranded_work(now=None) -> int:
    """The sweep: every open disposition assigned to someone who can no longer act for its
    agency (their appointment expired or was ended with a future date) goes to their
    successor or back to the pool. Safe to run in two workers at once (each move re-checks
    under a row lock). Answers the number moved."""
    now = now or timezone.now()
    pairs = set(
        Assignment.objects.filter(
            disposition__is_active=True, disposition__state__in=OPEN_DISPOSITION_STATES
        ).values_list("person_id", "disposition__agency_id")
    )
    if not pairs:
        return 0
    active = set(
        Appointment.objects.active(now)
        .filter(role__in=DOER_ROLES, person__is_active=True)
        .values_list("person_id", "agency_id")
    )
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.in_bulk({person_id for person_id, _agency in pairs - active})
    return sum(hand_over(people[person_id], agency_id, actor=SYSTEM, at=now) for person_id, agency_id in pairs - active)
