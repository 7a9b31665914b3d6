"""Who a staff member is right now, derived only from their active appointments.

``staff_profile(user)`` is the one place that turns a login into roles and agencies; the
report access helper (reports/access.py) builds on it. The guards every staff view and
action uses live here too:

- ``@staff_required``: a login with an active appointment (else the login page, or a
  friendly 403 that says an appointment is missing);
- ``@coordinator_required``: the same, as a coordinator of the complaint unit (else 403);
- ``require_coordinator(user)``: inside an action, NotAllowed for anyone else.

Every view is guarded unless marked public (``public``, Django's ``login_not_required``):
LoginRequiredMiddleware sends anonymous visitors to the login page, and
tests/test_url_guards.py fails on a URL that is neither public nor guarded here.
"""

from dataclasses import dataclass, field
from functools import cached_property, wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required, login_required
from django.shortcuts import render
from django.utils import timezone

from agencies.models import Appointment, Role
from core.errors import NotAllowed
from governments.models import Government


@dataclass(frozen=True)
class StaffProfile:
    user_id: int | None
    roles: frozenset = field(default_factory=frozenset)
    # agency ids per role, e.g. {"liaison": {3}}
    agencies_by_role: dict = field(default_factory=dict)
    # government ids per role: the governments of those agencies (the tenancy rule: a
    # coordinator or executive oversees their own government, nobody else's)
    governments_by_role: dict = field(default_factory=dict)

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
        """Coordinators and executives see every report of their government (executives
        read-only): ``overseen_government_ids``."""
        return self.is_coordinator or self.is_executive

    def government_ids(self, *roles) -> frozenset:
        roles = roles or tuple(self.governments_by_role)
        ids = set()
        for role in roles:
            ids |= self.governments_by_role.get(role, set())
        return frozenset(ids)

    @property
    def government_id(self) -> int | None:
        """The one government this person works for (every active appointment is in its
        agencies), else None: no appointment, or appointments in several governments. What
        the staff site, the password-reset email, the authenticator app and the LAPOR!
        export are named after (governments.models.site_name_of)."""
        ids = self.government_ids()
        return next(iter(ids)) if len(ids) == 1 else None

    @property
    def overseen_government_ids(self) -> frozenset:
        """The governments whose every report, disposition and figure this person reads."""
        return self.government_ids(Role.COORDINATOR, Role.EXECUTIVE)

    @property
    def coordinated_government_ids(self) -> frozenset:
        """The governments whose reports this person acts on as coordinator."""
        return self.government_ids(Role.COORDINATOR)

    @cached_property
    def figures_government_ids(self) -> frozenset:
        """The governments whose monev figures this person reads: the overseen ones, and
        the kabupaten/kota whose province they oversee (Government.parent) — their figures
        only, never their reports, people or lists (docs/architecture.md, "Tenancy"). An
        agency's staff read their agency's figures, not a government's: none here, also in
        a province. One query, once per profile (a request)."""
        overseen = self.overseen_government_ids
        if not overseen:
            return frozenset()
        children = Government.objects.filter(parent_id__in=overseen).values_list("pk", flat=True)
        return overseen | frozenset(children)

    def reads_figures_of(self, government_id) -> bool:
        return government_id in self.figures_government_ids

    def coordinates(self, government_id) -> bool:
        return government_id in self.coordinated_government_ids

    def oversees(self, government_id) -> bool:
        return government_id in self.overseen_government_ids

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
    governments_by_role: dict = {}
    rows = (
        Appointment.objects.active(at or timezone.now())
        .filter(person=user)
        .values_list("role", "agency_id", "agency__government_id")
    )
    for role, agency_id, government_id in rows:
        agencies_by_role.setdefault(role, set()).add(agency_id)
        governments_by_role.setdefault(role, set()).add(government_id)
    profile = StaffProfile(
        user_id=user.pk,
        roles=frozenset(agencies_by_role),
        agencies_by_role=agencies_by_role,
        governments_by_role=governments_by_role,
    )
    if at is None:
        user._aduan_profile = profile
    return profile


def active_coordinators(at=None, *, government_id=None):
    """The users appointed coordinator of the complaint unit now (or at ``at``), of
    ``government_id`` when given: the people a report may be assigned to. Ordered by name
    for a select."""
    appointed = Appointment.objects.active(at or timezone.now()).filter(role=Role.COORDINATOR)
    if government_id is not None:
        appointed = appointed.filter(agency__government_id=government_id)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=appointed.values("person_id"))
        .order_by("first_name", "last_name", "username")
    )


# ---------------------------------------------------------------------------- guards

# A public view: anyone, no login (the portal, webhooks, Open311, health). The name says
# why the view is open where the decorator is used.
public = login_not_required


def is_administrator(user) -> bool:
    """The system administrator: the people who may use the admin site."""
    return bool(user is not None and user.is_active and (user.is_superuser or user.is_staff))


def guard(kind, check, *, administrators=False):
    """A view decorator: logged in, with an active appointment whose profile passes
    ``check(profile)`` (else the login page, a friendly 403 that says an appointment is
    missing, or 403). ``administrators``: the admin site's users pass too, appointment or
    not. ``kind`` names the guard for tests/test_url_guards.py."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if administrators and is_administrator(request.user):
                return view(request, *args, **kwargs)
            profile = staff_profile(request.user)
            if not profile.is_staff_member:
                return render(request, "errors/no_appointment.html", status=403)
            if not check(profile):
                return render(request, "errors/403.html", status=403)
            return view(request, *args, **kwargs)

        guarded = login_required(wrapper)
        guarded.access_guard = kind
        return guarded

    return decorator


staff_required = guard("staff", lambda profile: True)
staff_required.__doc__ = "Logged in, with an active appointment; otherwise the login page or a friendly 403."
coordinator_required = guard("coordinator", lambda profile: profile.is_coordinator)
coordinator_required.__doc__ = "Logged in as a coordinator of the complaint unit; other staff get 403."
# Coordinators and executives: the whole city's figures and lists.
city_reader_required = guard("city-reader", lambda profile: profile.sees_everything)


def account_required(view):
    """Logged in, appointment or not: a person's own account pages (two-factor setup)."""
    guarded = login_required(view)
    guarded.access_guard = "account"
    return guarded


def require_coordinator(user) -> None:
    """For actions: only a coordinator may do this (NotAllowed otherwise)."""
    if not staff_profile(user).is_coordinator:
        raise NotAllowed()
