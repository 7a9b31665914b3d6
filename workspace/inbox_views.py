"""The inbox's views: fixed ones (overdue, returned by an agency, urgent, mine) and the
coordinator's own saved filters, each a query string of the inbox's filters shown with
the number of reports it lists now, counted to COUNT_CAP at most like the inbox itself (at
national size an uncapped count of the overdue or returned reports costs more than the
page).

The counts are kept in the cache for COUNTS_SECONDS per user, their role set and their
views' queries, under the generation of each of the user's governments: any event or
saved report of a government (``changed``, connected in workspace/apps.py) starts a new
generation, so a count never outlives a change by more than the time it took to make
it; what changes with no event (a deadline passing) shows within COUNTS_SECONDS, as
the sidebar's 30 s poll would."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from agencies.roles import staff_profile
from reports import access
from reports.models import COORDINATOR_STATES
from workspace.forms import OWNER_ME, ReportFilterForm, filter_query
from workspace.models import SavedFilter
from workspace.paging import COUNT_CAP

# Name, query string; "Milik saya" only for those who can own a report (coordinators).
FIXED_VIEWS = [
    (_("Lewat tenggat"), "overdue=on"),
    (_("Dikembalikan OPD"), "returned=on"),
    (_("Mendesak"), "urgent=on"),
    (_("Milik saya"), f"owner={OWNER_ME}"),
]
# Enough for anyone's own views, few enough that counting them stays quick.
MOST_SAVED = 20


@dataclass
class InboxView:
    name: str
    query: str
    count: int
    saved: SavedFilter | None = None
    current: bool = False
    # Whether ``count`` is every report of the view (else it has more than COUNT_CAP).
    exact: bool = True


def queue(user, query):
    """The inbox (received and verified unless the query names statuses) of ``user``,
    narrowed by the filters of ``query``: what the inbox lists for that query string."""
    form = ReportFilterForm(QueryDict(query), user=user)
    return form.apply(access.reports_visible_to(user), default_statuses=COORDINATOR_STATES)


COUNTS_SECONDS = 30
GENERATION_SECONDS = 24 * 3600


def _generation_key(government_id):
    return f"workspace:inbox-generation:{government_id}"


def changed(government_id):
    """A report of ``government_id`` changed: the views' counts kept for its staff are
    stale (a new generation; the old entries expire on their own)."""
    key = _generation_key(government_id)
    try:
        cache.incr(key)
    except ValueError:  # not kept yet (or expired): any new value differs from the last
        cache.add(key, 1, GENERATION_SECONDS)


def on_report_saved(sender, instance, **kwargs):
    changed(instance.government_id)


def on_event_written(sender, event, bulk=False, **kwargs):
    if not bulk:  # a bulk write's governments are marked once, by on_reports_written
        changed(event.report.government_id)


def on_reports_written(sender, reports, **kwargs):
    """Many reports written at once (an import batch): each government once, not a cache
    round trip per event (121,000 for a 50,000-row LAPOR! import)."""
    for government_id in sorted({report.government_id for report in reports}):
        changed(government_id)


def _counts_key(user, profile, queries):
    governments = sorted(profile.government_ids())
    generations = cache.get_many([_generation_key(g) for g in governments])
    scope = (
        user.pk,
        sorted((role, sorted(ids)) for role, ids in profile.governments_by_role.items()),
        sorted(profile.acting_agency_ids),
        sorted(profile.reading_agency_ids),
        [(g, generations.get(_generation_key(g), 0)) for g in governments],
        queries,
    )
    return "workspace:inbox-views:" + hashlib.sha256(repr(scope).encode()).hexdigest()


def views_for(user, current_query=""):
    """The fixed views and ``user``'s saved ones, each with its count now (kept for
    COUNTS_SECONDS unless a report of the user's governments changes); ``current``
    marks the one whose filters the inbox shows (``current_query``)."""
    profile = staff_profile(user)
    fixed = FIXED_VIEWS if profile.is_coordinator else FIXED_VIEWS[:-1]
    views = [InboxView(str(name), query, 0) for name, query in fixed]
    views += [InboxView(s.name, s.query, 0, saved=s) for s in SavedFilter.objects.filter(owner=user)[:MOST_SAVED]]
    key = _counts_key(user, profile, [view.query for view in views])
    counts = cache.get(key)
    if counts is None:
        counts = [queue(user, view.query).order_by()[: COUNT_CAP + 1].count() for view in views]
        cache.set(key, counts, COUNTS_SECONDS)
    current = filter_query(current_query)
    for view, counted in zip(views, counts, strict=True):
        view.count, view.exact = min(counted, COUNT_CAP), counted <= COUNT_CAP
        view.current = bool(current) and current == filter_query(view.query)
    return views
