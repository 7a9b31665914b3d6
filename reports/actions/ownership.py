"""Who in the complaint unit is on a report: a coordinator takes it (Ambil), assigns it to
a colleague, or lets it go. Ownership is a claim, not a lock: every coordinator may still
act on the report, and the report page says whose it is."""

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.roles import staff_profile
from core.errors import DomainError
from reports import workflow
from reports.access import actor_role
from reports.actions.events import _lock, record_event
from reports.models import Report


def _name(user):
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def assign_report(report, *, actor, owner) -> Report:
    """Make ``owner`` the report's owner (``None``: nobody's any more).

    1. locks the report and checks "assign" against the workflow table for the actor
       (coordinators only, open reports only);
    2. refuses an owner who is not a coordinator with an active appointment (SK) now;
    3. saves ``owner``; nothing else changes, and an unchanged owner writes nothing;
    4. writes an internal event: ``taken`` (the actor took it), ``owner_assigned`` (given
       to a colleague) or ``owner_released``, with both names in ``data``.
    """
    with transaction.atomic():
        report = _lock(report)
        workflow.check("assign", report.status, actor_role(actor, report))
        if owner is not None and not staff_profile(owner).is_coordinator:
            raise DomainError(
                _("%(name)s bukan koordinator dengan SK aktif; laporan hanya dapat ditugaskan ke koordinator.")
                % {"name": _name(owner)}
            )
        previous = report.owner
        if (previous.pk if previous else None) == (owner.pk if owner else None):
            return report
        report.owner = owner
        report.save(update_fields=["owner", "updated_at"])
        if owner is None:
            action = "owner_released"
        elif owner.pk == actor.pk:
            action = "taken"
        else:
            action = "owner_assigned"
        record_event(
            report,
            action,
            actor=actor,
            role=workflow.COORDINATOR,
            from_status=report.status,
            data={"owner": _name(owner), "previous_owner": _name(previous)},
        )
    return report


def take_report(report, *, actor) -> Report:
    """The acting coordinator takes the report (Ambil): ``assign_report`` to themself."""
    return assign_report(report, actor=actor, owner=actor)


def release_report(report, *, actor) -> Report:
    """The report is nobody's again (Lepas)."""
    return assign_report(report, actor=actor, owner=None)
