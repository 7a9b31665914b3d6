"""The one place that decides who may see and act on a report.

Staff rights come from active appointments (agencies/roles.py): coordinators act on every
report of their government, executives read every report of theirs, an agency's liaisons
and operators act on the reports disposed to their agency and its head reads them. The
tenancy rule lives here: nobody reads another government's reports, dispositions or
figures (docs/architecture.md, "Tenancy"). The reporter acts through the
report's secret link. Views load reports only through these helpers.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404

from agencies.models import Role
from agencies.roles import StaffProfile, staff_profile
from agencies.tree import has_active_units
from core import phones
from core.masking import mask_personal_data
from governments.models import Government
from reports import workflow
from reports.models import Audience, Disposition, IdentityRead, Referral, Report, ReportEvent, ReportWords


@dataclass(frozen=True)
class Reporter:
    """The person holding a report's secret link (or its tracking number plus contact)."""

    report_id: int


class _System:
    def __repr__(self):
        return "SYSTEM"


SYSTEM = _System()


def reports_visible_to(user):
    """Every report of their government for coordinators and executives; for an agency's
    staff, the reports with an active disposition to their agency. A disposition that was
    returned or taken away ends the agency's reading of the report: what comes after (the
    next agency's notes, the reporter's contact) is not theirs. Their own dispositions stay
    in their list (dispositions_visible_to) with what they wrote (own_history)."""
    profile = staff_profile(user)
    reports = Report.objects.all()
    if profile.sees_everything:
        return reports.filter(_overseen(profile))
    agency_ids = profile.reading_agency_ids
    if agency_ids:
        disposed_here = Disposition.objects.filter(report=OuterRef("pk"), agency_id__in=agency_ids, is_active=True)
        return reports.filter(Exists(disposed_here))
    return reports.none()


def _overseen(profile, prefix=""):
    """The Q of the reports of the governments ``profile`` oversees (coordinator or
    executive there)."""
    ids = sorted(profile.overseen_government_ids)
    if len(ids) == 1:
        return Q(**{f"{prefix}government_id": ids[0]})
    return Q(**{f"{prefix}government_id__in": ids})


def reports_counted_for(user):
    """The reports behind the user's monev figures: every report of their government for
    coordinators and executives; for an agency's staff, every report ever disposed to their
    agency — a returned one still counts for the agency (as a return) and is listed there,
    by its tracking number, category, place and status; opening it shows own_history_for."""
    profile = staff_profile(user)
    if profile.sees_everything:
        return Report.objects.filter(_overseen(profile))
    if profile.reading_agency_ids:
        ever = Disposition.objects.filter(report=OuterRef("pk"), agency_id__in=profile.reading_agency_ids)
        return Report.objects.filter(Exists(ever))
    return Report.objects.none()


@dataclass(frozen=True)
class FiguresScope:
    """The government whose monev figures a page shows, and whether the user oversees it
    (``own``: its drill-downs, report lists and recaps are theirs too) or reads it as the
    province above it (figures only)."""

    government_id: int
    own: bool


def figures_government_for(user, wanted=None) -> FiguresScope:
    """The government whose figures ``user`` reads: ``wanted`` (an id, from ``?government=``)
    when it is one of StaffProfile.figures_government_ids — an overseen government, or a
    kabupaten/kota of an overseen province — else 404; none wanted: their own (the lowest
    overseen id). A city's staff never read the province's or a sibling's figures, and an
    agency's staff (also a province's) no government's but their own agency's."""
    profile = staff_profile(user)
    overseen = sorted(profile.overseen_government_ids)
    if wanted in (None, ""):
        if not overseen:
            raise Http404
        return FiguresScope(overseen[0], True)
    try:
        wanted = int(wanted)
    except (TypeError, ValueError):
        raise Http404 from None
    if wanted not in profile.figures_government_ids:
        raise Http404
    return FiguresScope(wanted, wanted in overseen)


def dispositions_visible_to(user):
    """The dispositions of the user's agencies; every one of their government for
    coordinators and executives."""
    profile = staff_profile(user)
    if profile.sees_everything:
        return Disposition.objects.filter(_overseen(profile, "report__"))
    return Disposition.objects.filter(agency_id__in=profile.reading_agency_ids)


def get_report_for(user, pk, *, write=False) -> Report:
    """The report ``pk`` if ``user`` may see it (and act on it, with ``write``), else 404/403."""
    try:
        report = reports_visible_to(user).select_related("category__parent", "region__parent", "owner").get(pk=pk)
    except (Report.DoesNotExist, ValueError):
        raise Http404 from None
    if write and not can_act(user, report):
        raise PermissionDenied
    return report


def can_act(user, report) -> bool:
    profile = staff_profile(user)
    if profile.coordinates(report.government_id):
        return True
    return report.dispositions.filter(agency_id__in=profile.acting_agency_ids, is_active=True).exists()


def own_history_for(user, pk):
    """For agency staff whose agency's dispositions of report ``pk`` all ended (returned,
    or taken away when the coordinator disposed again): the report and those dispositions,
    to show what the agency itself wrote, and nothing that came after. 404 for anyone else."""
    profile = staff_profile(user)
    mine = (
        list(
            Disposition.objects.filter(report_id=pk, agency_id__in=profile.reading_agency_ids)
            .select_related("agency", "report")
            .order_by("created_at", "pk")
        )
        if str(pk).isdigit()
        else []
    )
    if not mine or any(d.is_active for d in mine):
        raise Http404
    return mine[0].report, mine


def get_disposition_for(user, pk, *, write=False) -> Disposition:
    profile = staff_profile(user)
    ids = profile.acting_agency_ids if write else profile.reading_agency_ids
    qs = Disposition.objects.select_related("report", "agency")
    if profile.sees_everything and not write:
        qs = qs.filter(_overseen(profile, "report__") | Q(agency_id__in=ids))
    else:
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
    """Tracking number plus the phone (in any spelling: core/phones.py) or email given at
    submission, else None."""
    report = Report.objects.filter(tracking_number__iexact=(tracking_number or "").strip()).first()
    if report is None:
        return None
    contact = (contact or "").strip().lower()
    if contact and report.reporter_email and contact == report.reporter_email.lower():
        return report
    phone = phones.e164_or_blank(contact)
    if phone and phone == report.reporter_phone_e164:
        return report
    return None


def portal_referred_to(government, reports) -> tuple[str, str | None] | None:
    """(slug, host name) of the active government that one of ``reports`` (a queryset
    narrowed to one report: by public tracking number, by secret) is at now, if
    ``government`` referred it there (on, perhaps, through others), else None: the
    resident's first link, on the referring government's portal, leads to the report's
    new portal."""
    return (
        reports.filter(referrals__from_government=government, government__is_active=True)
        .exclude(government=government)
        .values_list("government__slug", "government__host")
        .first()
    )


def can_see_identity(user, report) -> bool:
    """Coordinators of the report's government always, but for an anonymous report
    referred to them by another government (the reporter trusted the first one only);
    agency staff only when the reporter is not anonymous; the public, and the referring
    government once the report left it, never."""
    profile = staff_profile(user)
    if profile.coordinates(report.government_id):
        return not (report.is_anonymous and referred_in(report))
    if report.government_id not in profile.government_ids():
        return False  # the public, and staff of another government
    return not report.is_anonymous


def referred_in(report) -> bool:
    """Whether ``report`` is now at a government other than the one it was first sent to
    (its first referral's sender). A list reads it for every row with
    ``with_first_referrer`` (one query for the list, not one per report)."""
    if hasattr(report, "first_referrer"):
        first = report.first_referrer
    else:
        first = _first_referrals(report.referrals.all()).values_list("from_government_id", flat=True).first()
    return first is not None and first != report.government_id


def _first_referrals(referrals):
    return referrals.order_by("referred_at", "pk")


def with_first_referrer(reports):
    """``reports`` with ``first_referrer``: the government that first referred each (None
    if never referred), for ``referred_in`` without a query per report."""
    first = _first_referrals(Referral.objects.filter(report=OuterRef("pk"))).values("from_government_id")[:1]
    return reports.annotate(first_referrer=Subquery(first))


# ---------------------------------------------------------------------------- referred away


def referred_out_by(user):
    """The reports a government the user oversees (coordinator or executive) referred to
    another government and that have not come back: read-only for them (get_referred_for),
    listed in the workspace's "Dirujuk ke pemerintah lain". Kept apart from
    reports_visible_to, so no inbox, search or action ever reaches them."""
    profile = staff_profile(user)
    ids = sorted(profile.overseen_government_ids)
    if not ids:
        return Report.objects.none()
    # The few active referrals first (the partial index referral_out_active), then their
    # reports by primary key: never a walk through every report of the installation.
    out = Referral.objects.active().filter(from_government_id__in=ids).values("report_id")
    return Report.objects.filter(pk__in=out).exclude(government_id__in=ids)


def get_referred_for(user, pk) -> Report:
    """The report ``pk`` if a government ``user`` oversees referred it away (404 else)."""
    try:
        return referred_out_by(user).select_related("government", "category").get(pk=pk)
    except (Report.DoesNotExist, ValueError):
        raise Http404 from None


def referred_history_for(user, report):
    """What the referring government reads of a report it referred away: everything up to
    and including its own referral (its own work), then only what the reporter reads and
    the referral steps (referred, returned). The receiver's internal notes, and its
    dispositions' staff-only follow-ups, stay the receiver's."""
    profile = staff_profile(user)
    ids = profile.overseen_government_ids
    referral = (
        Referral.objects.active()
        .filter(report=report, from_government_id__in=ids)
        .order_by("-referred_at", "-pk")
        .values_list("referred_at", flat=True)
        .first()
    )
    events = ReportEvent.objects.filter(report=report)
    if referral is not None:
        events = events.filter(
            Q(created_at__lte=referral) | ~Q(audience=Audience.STAFF) | Q(action__in=["referred", "referral_returned"])
        )
    return events.select_related("actor").order_by("created_at", "pk")


def record_identity_read(user, report) -> None:
    IdentityRead.objects.create(user=user, report=report)


# ---------------------------------------------------------------------------- the report's words

# Staff search a report by its own words where they read them without a reveal: every
# report but an anonymous one, which they search (and read) masked. The public searches
# masked words only (Report.objects.search with own_words=None).
STAFF_SEARCH_OWN_WORDS = Q(is_anonymous=False)


def reads_own_words(user, report, *, revealed=False) -> bool:
    """Whether ``user`` reads the report's own words (title, description, address and the
    messages on it) or their masked twins. Own words go with the reporter's identity: staff
    read them on a named report; on an anonymous report only a coordinator who revealed
    the identity (an audited read) does, everyone else reads a NIK, phone number, email or
    name written into the text as a label. The public never reads them."""
    if not can_see_identity(user, report):
        return False
    return revealed or not report.is_anonymous


@dataclass(frozen=True)
class Reading:
    """How one reader reads one report's free text: ``text(value)`` masks what this reader
    may not read (any message, instruction, reason or note on the report)."""

    masked: bool
    names: tuple = ()

    def text(self, value: str) -> str:
        return mask_personal_data(value, names=self.names) if self.masked and value else value


def reading_for(user, report, *, revealed=False) -> Reading:
    masked = not reads_own_words(user, report, revealed=revealed)
    return Reading(masked=masked, names=(report.reporter_name,) if masked else ())


def words_for(user, report, *, revealed=False) -> ReportWords:
    return report.words(masked=reading_for(user, report, revealed=revealed).masked)


def search_for_staff(reports, text):
    return reports.search(text, own_words=STAFF_SEARCH_OWN_WORDS)


def actor_role(actor, report, disposition=None) -> str:
    """The workflow role ``actor`` plays on ``report`` (for the transition table)."""
    if actor is SYSTEM:
        return workflow.SYSTEM
    if isinstance(actor, Reporter):
        return workflow.CITIZEN if actor.report_id == report.pk else workflow.NOBODY
    profile: StaffProfile = staff_profile(actor)
    if disposition is not None and disposition.agency_id in profile.acting_agency_ids:
        return workflow.AGENCY
    if profile.coordinates(report.government_id):
        return workflow.COORDINATOR
    return workflow.NOBODY


@dataclass(frozen=True)
class Part:
    """The part a user plays on a report now: their workflow role, their own active
    disposition when they act for an agency, and the report actions open to them."""

    role: str
    disposition: Disposition | None
    actions: frozenset


def allowed_actions_for(user, report, dispositions) -> Part:
    """What ``user`` may do to ``report`` now; ``dispositions`` are the report's (loaded by
    the caller with what its page needs). The workspace's forms and the staff API's
    ``allowed_actions`` both come from here, so they never disagree."""
    profile = staff_profile(user)
    # The user's own active disposition makes them the agency on this report.
    mine = next((d for d in dispositions if d.is_active and d.agency_id in profile.acting_agency_ids), None)
    role = actor_role(user, report, mine)
    actions = set()
    if role != workflow.NOBODY:
        # Single actions and the chains of them (verify-and-dispose) alike.
        actions = workflow.allowed_actions(report.status, role) | workflow.allowed_chains(report.status, role)
    if mine is not None:
        actions = _unit_steps(actions, mine)
    if role == workflow.COORDINATOR:
        actions = _referral_steps(actions, report)
    return Part(role, mine if role == workflow.AGENCY else None, frozenset(actions))


def _referral_steps(actions, report):
    """Refer: only when the installation has another active government. Return the
    referral: only for a report another government referred to this one. One query."""
    actions = set(actions)
    if not {"refer", "return_referral"} & actions:
        return actions
    others = Exists(Government.objects.active().exclude(pk=report.government_id))
    referred = Exists(Referral.objects.active().filter(report=report.pk, to_government_id=report.government_id))
    row = Report.objects.filter(pk=report.pk).annotate(o=others, r=referred).values_list("o", "r").first()
    may_refer, was_referred = row or (False, False)
    if not may_refer:
        actions.discard("refer")
    if not was_referred:
        actions.discard("return_referral")
    return actions


def _unit_steps(actions, mine):
    """A unit's disposition goes back up to its agency, the agency's to the coordinator; an
    agency forwards only to an active unit with staff (agencies/tree.py)."""
    actions = set(actions)
    actions.discard("return_disposition" if mine.parent_id else "return_to_agency")
    if "forward_to_unit" in actions and not has_active_units(mine.agency_id):
        actions.discard("forward_to_unit")
    return actions


def role_for_report_action(actor, report) -> str:
    """For actions either a coordinator or the agency may do without naming a disposition."""
    role = actor_role(actor, report)
    if role != workflow.NOBODY:
        return role
    profile = staff_profile(actor) if not isinstance(actor, (Reporter, _System)) else None
    if profile and report.dispositions.filter(agency_id__in=profile.acting_agency_ids, is_active=True).exists():
        return workflow.AGENCY
    return workflow.NOBODY


def may_forward_to_unit(user, disposition) -> bool:
    """Whether ``user`` may forward ``disposition`` to a unit of its agency: the agency's
    liaison or operator (who act for it) or its head, who decides who in the agency works
    a report."""
    profile = staff_profile(user) if not isinstance(user, (Reporter, _System)) else None
    return bool(profile) and disposition.agency_id in profile.agency_ids(Role.LIAISON, Role.OPERATOR, Role.AGENCY_HEAD)


def require(condition):
    if not condition:
        raise PermissionDenied
