"""A demo Kota Blitar: regions, agencies, categories, staff with decrees, and reports.

Every report is created and moved through reports.actions, under a simulated clock
(demo/clock.py), so its events, deadlines and tracking number are exactly what the live
system would have written on those days. Same seed, same city. This module is the loader
(``load``) and the demo's logins; the town's places, agencies and people with their
decrees are built in demo/people.py, the reports story by story in demo/stories.py, from
the tables of demo/data.py and the texts of demo/texts.py. What callers (demo/province.py,
bench/, tests) took from this module is still importable from it.
"""

import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Appointment
from demo.clock import Clock, _office_hours, simulated_time
from demo.data import CONFUSED_WITH, DEMO_PASSWORD, FORWARD_INSTRUCTION, STAFF, STAFFED, UNIT_FOLLOW_UP
from demo.people import (
    DECREES,
    YEAR_DAYS,
    _Cat,
    _issue_decree,
    _make_agencies,
    _make_canned_replies,
    _make_categories,
    _make_regions,
    _make_users,
)
from demo.province_data import KEDIRI_STAFF, PROVINCE_STAFF
from demo.stories import CHANNELS, INFO_STORIES, STORIES, TYPED_IN, Town, _ReportBuilder
from governments.models import home_government
from notify import muted
from reports import actions
from reports.models import Disposition, Report, Status
from triage import actions as triage_actions

# The loader's own names, and what demo/province.py, bench/ and the tests read from this
# module before it was split (still importable from here).
__all__ = [
    "CHANNELS",
    "CONFUSED_WITH",
    "DECREES",
    "DEMO_PASSWORD",
    "INFO_STORIES",
    "KEDIRI_STAFF",
    "STAFF",
    "STAFFED",
    "STORIES",
    "TYPED_IN",
    "YEAR_DAYS",
    "Clock",
    "DemoResult",
    "Town",
    "_Cat",
    "_ReportBuilder",
    "_issue_decree",
    "_make_agencies",
    "_make_regions",
    "_office_hours",
    "demo_logins",
    "has_city",
    "load",
    "simulated_time",
]

# ---------------------------------------------------------------------------- the loader


@dataclass
class DemoResult:
    reports: int
    users: list = field(default_factory=list)


def has_city() -> bool:
    return Agency.objects.exists()


def load(*, reports=300, seed=2026) -> DemoResult:
    """Build the whole demo in one transaction: Kota Blitar (the installation's first
    government, ``reports`` reports), then its province and a second city
    (demo/province.py). Call only on a database with no agencies."""
    rng = random.Random(seed)
    real_now = timezone.now()
    government = home_government()
    # Muted through the commit: the thousands of demo events notify nobody.
    with muted(), transaction.atomic():
        regions = _make_regions(government)
        agencies = _make_agencies(government)
        categories = _make_categories(agencies, government)
        # The keyword rules first: every report is triaged after its submission commits
        # (by the task worker, or at once when a coordinator decides on it first), and the
        # coordinators' decisions are measured against those suggestions.
        triage_actions.seed_keyword_rules()
        _make_canned_replies()
        users = _make_users(agencies, real_now, government)
        builder = _ReportBuilder(rng, real_now, regions, agencies, categories, users, Town(government))
        builder.run(reports)
        _forward_to_units(agencies, users)
        # Imported here: demo/province.py builds on this module's loader.
        from demo import province

        province.load(city=government, users=users, now=real_now, seed=seed, reports=province.second_city_size(reports))
        # After the commit, and after the events' own hooks (those run first, in the
        # order they were registered): the model learns from the coordinators' decisions.
        transaction.on_commit(_train_triage)
    return DemoResult(reports=reports, users=demo_logins())


def _forward_to_units(agencies, users):
    """DPUPR forwards its newest open report to its Bidang Bina Marga, which answers the
    reporter (dispose down, issue 20): the first command shows a unit's inbox, the
    agency's view of its unit's work and the units' part of its monev."""
    dpupr = agencies["DPUPR"]
    open_work = (
        Disposition.objects.top_level()
        .open()
        .filter(agency=dpupr, report__status__in=[Status.DISPOSED, Status.IN_PROGRESS])
        .order_by("-created_at", "-pk")
    )
    disposition = open_work.first()
    if disposition is None:
        return
    unit = actions.forward_to_unit(
        disposition, actor=users["penghubung_dpupr"], unit=agencies["Bina Marga"], instruction=FORWARD_INSTRUCTION
    )
    actions.post_follow_up(unit, actor=users["penghubung_binamarga"], message=UNIT_FOLLOW_UP)


def _train_triage():
    """Train the triage model on the demo's verified reports, as the nightly job would,
    then read again the reports no coordinator has classified yet, so their pages show
    the model's suggestions. A demo too small to train on keeps the keyword rules."""
    try:
        triage_actions.train_model()
    except triage_actions.TooFewExamples:
        return
    for report in Report.objects.filter(status__in=[Status.RECEIVED, Status.ON_HOLD]).order_by("pk"):
        triage_actions.triage_report(report)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, agency) of the demo users present in the database: Kota Blitar's,
    then the province's and Kota Kediri's (their agency followed by their government)."""
    rows = []
    admin = get_user_model().objects.filter(username="admin", is_superuser=True).first()
    if admin:
        rows.append(("admin", _("Admin sistem (superuser)"), "—"))
    home = [username for username, *_ in STAFF]
    names = home + [username for username, *_ in PROVINCE_STAFF + KEDIRI_STAFF]
    appointments = (
        Appointment.objects.active()
        .filter(person__username__in=names)
        .select_related("person", "agency__government")
        .order_by("person__username")
    )
    by_user = {a.person.username: a for a in appointments}
    for username in names:
        if username in by_user:
            a = by_user[username]
            where = str(a.agency) if username in home else f"{a.agency.short_name}, {a.agency.government}"
            rows.append((username, str(a.get_role_display()), where))
    return rows
