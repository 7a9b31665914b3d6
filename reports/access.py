"""The one place that decides who may see and act on a report.

Staff rights come from active appointments (agencies/roles.py): coordinators act on every
report, executives read every report, an agency's liaisons and operators act on the
reports disposed to their agency and its head reads them. The reporter acts through the
report's secret link. Views load reports only through these helpers.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404

from agencies.roles import StaffProfile, staff_profile
from reports import workflow
from reports.models import Disposition, IdentityRead, Report


@dataclass(frozen=True)
class Reporter:
    """The person holding a report's secret link (or its tracking number plus contact)."""

    report_id: int


class _System:
    def __repr__(self):
        return "SYSTEM"


SYSTEM = _System()


def reports_visible_to(user):
    profile = staff_profile(user)
    reports = Report.objects.all()
    if profile.sees_everything:
        return reports
    agency_ids = profile.reading_agency_ids
    if agency_ids:
        disposed_here = Disposition.objects.filter(report=OuterRef("pk"), agency_id__in=agency_ids)
        return reports.filter(Exists(disposed_here))
    return reports.none()


def dispositions_visible_to(user):
    """The dispositions of the user's agencies; every one for coordinators and executives."""
    profile = staff_profile(user)
    if profile.sees_everything:
        return Disposition.objects.all()
    return Disposition.objects.filter(agency_id__in=profile.reading_agency_ids)


def get_report_for(user, pk, *, write=False) -> Report:
    """The report ``pk`` if ``user`` may see it (and act on it, with ``write``), else 404/403."""
    try:
        report = reports_visible_to(user).select_related("category__parent", "region__parent").get(pk=pk)
    except (Report.DoesNotExist, ValueError):
        raise Http404 from None
    if write and not can_act(user, report):
        raise PermissionDenied
    return report


def can_act(user, report) -> bool:
    profile = staff_profile(user)
    if profile.is_coordinator:
        return True
    return report.dispositions.filter(agency_id__in=profile.acting_agency_ids, is_active=True).exists()


def get_disposition_for(user, pk, *, write=False) -> Disposition:
    profile = staff_profile(user)
    ids = profile.acting_agency_ids if write else profile.reading_agency_ids
    qs = Disposition.objects.select_related("report", "agency")
    if not (profile.sees_everything and not write):
        qs = qs.filter(agency_id__in=ids)
    try:
        return qs.get(pk=pk)
    except (Disposition.DoesNotExist, ValueError):
        raise Http404 from None


def get_disposition_to_act_on(user, pk) -> Disposition:
    """The disposition ``pk`` if ``user`` acts for its agency. Those who only read it
    (agency head, executive) get 403; everyone else 404, never learning it exists."""
    try:
        return get_disposition_for(user, pk, write=True)
    except Http404:
        get_disposition_for(user, pk)
        raise PermissionDenied from None


def get_report_by_secret(secret) -> Report:
    try:
        return Report.objects.select_related("category__parent", "region__parent").get(secret=secret)
    except Report.DoesNotExist:
        raise Http404 from None


def find_report_for_reporter(tracking_number, contact):
    """Tracking number plus the phone or email given at submission, else None."""
    report = Report.objects.filter(tracking_number__iexact=(tracking_number or "").strip()).first()
    if report is None:
        return None
    contact = (contact or "").strip().lower()
    phone = _digits(contact)
    if contact and report.reporter_email and contact == report.reporter_email.lower():
        return report
    if phone and report.reporter_phone and _digits(report.reporter_phone)[-9:] == phone[-9:] and len(phone) >= 9:
        return report
    return None


def _digits(text):
    return "".join(ch for ch in text if ch.isdigit())


def can_see_identity(user, report) -> bool:
    """Coordinators always; agency staff only when the reporter is not anonymous; the
    public never."""
    profile = staff_profile(user)
    if profile.is_coordinator:
        return True
    if not profile.is_staff_member:
        return False
    return not report.is_anonymous


def record_identity_read(user, report) -> None:
    IdentityRead.objects.create(user=user, report=report)


def actor_role(actor, report, disposition=None) -> str:
    """The workflow role ``actor`` plays on ``report`` (for the transition table)."""
    if actor is SYSTEM:
        return workflow.SYSTEM
    if isinstance(actor, Reporter):
        return workflow.CITIZEN if actor.report_id == report.pk else "nobody"
    profile: StaffProfile = staff_profile(actor)
    if disposition is not None and disposition.agency_id in profile.acting_agency_ids:
        return workflow.AGENCY
    if profile.is_coordinator:
        return workflow.COORDINATOR
    return "nobody"


def role_for_report_action(actor, report) -> str:
    """For actions either a coordinator or the agency may do without naming a disposition."""
    role = actor_role(actor, report)
    if role != "nobody":
        return role
    profile = staff_profile(actor) if not isinstance(actor, (Reporter, _System)) else None
    if profile and report.dispositions.filter(agency_id__in=profile.acting_agency_ids, is_active=True).exists():
        return workflow.AGENCY
    return "nobody"


def require(condition):
    if not condition:
        raise PermissionDenied
