"""The inbox's views: fixed ones (overdue, returned by an agency, urgent, mine) and the
coordinator's own saved filters, each a query string of the inbox's filters shown with
the number of reports it lists now, counted to COUNT_CAP at most like the inbox itself (at
national size an uncapped count of the overdue or returned reports costs more than the
page)."""

from dataclasses import dataclass

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


def views_for(user, current_query=""):
    """The fixed views and ``user``'s saved ones, each with its count now; ``current``
    marks the one whose filters the inbox shows (``current_query``)."""
    fixed = FIXED_VIEWS if staff_profile(user).is_coordinator else FIXED_VIEWS[:-1]
    views = [InboxView(str(name), query, 0) for name, query in fixed]
    views += [InboxView(s.name, s.query, 0, saved=s) for s in SavedFilter.objects.filter(owner=user)[:MOST_SAVED]]
    current = filter_query(current_query)
    for view in views:
        counted = queue(user, view.query).order_by()[: COUNT_CAP + 1].count()
        view.count, view.exact = min(counted, COUNT_CAP), counted <= COUNT_CAP
        view.current = bool(current) and current == filter_query(view.query)
    return views
