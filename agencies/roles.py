"""Who a staff member is right now, derived only from their active appointments.

``staff_profile(user)`` is the one place that turns a login into roles and agencies; the
report access helper (reports/access.py) builds on it.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from agencies.models import Appointment, Role


@dataclass(frozen=True)
class StaffProfile:
    user_id: int | None
    roles: frozenset = field(default_factory=frozenset)
    # agency ids per role, e.g. {"liaison": {3}}
    agencies_by_role: dict = field(default_factory=dict)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles)

    @property
    def is_coordinator(self) -> bool:
        return Role.COORDINATOR in self.roles

    @property
    def is_executive(self) -> bool:
        return Role.EXECUTIVE in self.roles

    @property
    def sees_everything(self) -> bool:
        """Coordinators and executives see every report (executives read-only)."""
        return self.is_coordinator or self.is_executive

    def agency_ids(self, *roles) -> frozenset:
        roles = roles or tuple(self.agencies_by_role)
        ids = set()
        for role in roles:
            ids |= self.agencies_by_role.get(role, set())
        return frozenset(ids)

    @property
    def acting_agency_ids(self) -> frozenset:
        """Agencies for which this person may post follow-ups, finish and return work."""
        return self.agency_ids(Role.LIAISON, Role.OPERATOR)

    @property
    def reading_agency_ids(self) -> frozenset:
        return self.agency_ids(Role.LIAISON, Role.OPERATOR, Role.AGENCY_HEAD)


ANONYMOUS_PROFILE = StaffProfile(user_id=None)


def staff_profile(user, at=None) -> StaffProfile:
    """Roles of ``user`` from appointments active at ``at``; cached on the user for a request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_PROFILE
    cached = getattr(user, "_aduan_profile", None)
    if at is None and cached is not None:
        return cached
    agencies_by_role: dict = {}
    rows = Appointment.objects.active(at or timezone.now()).filter(person=user).values_list("role", "agency_id")
    for role, agency_id in rows:
        agencies_by_role.setdefault(role, set()).add(agency_id)
    profile = StaffProfile(user_id=user.pk, roles=frozenset(agencies_by_role), agencies_by_role=agencies_by_role)
    if at is None:
        user._aduan_profile = profile
    return profile
