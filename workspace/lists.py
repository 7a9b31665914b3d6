"""What a report list shows, and the list a report page was opened from: the inbox and
the report list (workspace/views.py) draw their rows with ``listed_reports``; the report
page walks the same order for its previous/next links and for the next report after an
action (report_views.py, action_views.py).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import F
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from reports import access
from reports.models import COORDINATOR_STATES
from workspace import forms


def listed_reports(user, query, *, queue):
    """The filter form and the reports a list shows for ``query`` (its GET parameters), in
    the list's order: the coordinator's queue (``queue``: received and verified by default,
    danger first) or every report the user may see. The report page's next/previous and
    the next report after an action walk the same order."""
    visible = access.reports_visible_to(user)
    form = forms.ReportFilterForm(query, user=user)
    reports = form.apply(visible, default_statuses=COORDINATOR_STATES if queue else None).with_current_deadline()
    # The coordinator's queue puts danger first (triage's urgency flag, copied to the
    # report), then deadlines: the order of the index report_gov_urgent_deadline, so a page
    # reads its own entries of the index instead of sorting the whole queue. A chosen sort
    # key (most supported) comes after danger and before the deadlines.
    order = [*form.ordering(), F("current_deadline").asc(nulls_last=True), "received_at", "pk"]
    return form, reports.order_by("-is_urgent", *order) if queue else reports.order_by(*order)


# The lists a report page remembers (URL name → whether it is the coordinator's queue).
ORIGIN_LISTS = {"workspace:inbox": True, "workspace:reports": False}
# How far ahead the next report is looked for after an action (reports that left the list
# meanwhile are skipped).
NEXT_LOOKAHEAD = 200


@dataclass(frozen=True)
class Origin:
    """The report list (with its filters) a report page was opened from: ``?from=`` on the
    page and its actions, so "kembali ke daftar" keeps the filters and an action moves on
    to the next report of the same list."""

    url: str
    queue: bool
    query: QueryDict

    @property
    def param(self):
        return urlencode({"from": self.url})


def origin_of(request):
    """The list named by ``from`` (a path of this site's report lists and its query), or
    None for anything else: never a redirect to elsewhere."""
    value = request.GET.get("from", "")
    parts = urlsplit(value)
    if not value or parts.scheme or parts.netloc:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name not in ORIGIN_LISTS:
        return None
    query = QueryDict(parts.query, mutable=True)
    url = reverse(match.view_name) + (f"?{query.urlencode()}" if query else "")
    query.pop("page", None)  # next and previous walk the whole list, not one page of it
    return Origin(url, ORIGIN_LISTS[match.view_name], query)


def _listed_ids(user, origin):
    return listed_reports(user, origin.query, queue=origin.queue)[1].values_list("pk", flat=True)


@dataclass(frozen=True)
class Neighbours:
    previous: int | None
    next: int | None
    position: int | None
    count: int


def neighbours(user, origin, pk):
    """The reports before and after ``pk`` in its list (one query of ids)."""
    ids = list(_listed_ids(user, origin))
    if pk not in ids:
        return Neighbours(None, ids[0] if ids else None, None, len(ids))
    at = ids.index(pk)
    return Neighbours(ids[at - 1] if at else None, ids[at + 1] if at + 1 < len(ids) else None, at + 1, len(ids))


def following_ids(user, origin, pk):
    """The ids after ``pk`` in its list, before an action moves it (all of the list when
    ``pk`` is not in it)."""
    ids = list(_listed_ids(user, origin))
    following = ids[ids.index(pk) + 1 :] if pk in ids else [i for i in ids if i != pk]
    return following[:NEXT_LOOKAHEAD]


def next_report(user, origin, following):
    """The first of ``following`` that still matches the list, in the list's order."""
    if not following:
        return None
    return _listed_ids(user, origin).filter(pk__in=following).first()


def report_url(pk, origin):
    url = reverse("workspace:report", args=[pk])
    return f"{url}?{origin.param}" if origin else url
