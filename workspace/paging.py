"""Page numbers without counting every matching report (issue 21): at national size the
inbox's COUNT(*) over 100,000 queued reports costs more than the page itself."""

from functools import cached_property

from django.core.paginator import Paginator

# Counted exactly up to here; beyond it the list says "more than 1.000".
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A Paginator that counts no further than it must: up to ``cap`` rows, or to one page
    past the page asked for (``wanted``), whichever is further, with one ``LIMIT``
    subquery. ``exact`` says whether ``count`` is every row or a lower bound; when it is
    not, the last page counted still has a next one, so "Berikutnya ›" walks on as far as
    the rows go, each page counting a little further."""

    def __init__(self, object_list, per_page, *, wanted=None, cap=None):
        super().__init__(object_list, per_page)
        self.cap = cap or COUNT_CAP
        try:
            self.wanted = max(int(wanted), 1)
        except (TypeError, ValueError):
            self.wanted = 1

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        reach = max(self.cap, self.per_page * (self.wanted + 1))
        counted = self.object_list.order_by()[: reach + 1].count()
        return min(counted, reach), counted <= reach

    @property
    def count(self):
        return self._counted[0]

    @property
    def exact(self):
        """Whether ``count`` is every matching row (else at least that many)."""
        return self._counted[1]


def page_of_rows(rows, per_page, wanted, *, cap=None):
    """The page ``wanted`` of ``rows`` (an ordered queryset with its joins), found in two
    steps: the page's ids first, sorted over narrow rows (an id and the sort keys, not
    every column of every joined row: at national size the queue sorts 100,000 reports),
    then those rows with everything the list shows, put back in the page's order.

    The first page reads its ids (one more than a page) before anything is counted: when
    they are all there are (a tracking number searched, a narrow filter) their number is
    the count, and no count runs. ``cap``: count no further than this (a word search's
    count costs more per row than the queue's)."""
    paginator = CappedPaginator(rows.values_list("pk", flat=True), per_page, wanted=wanted, cap=cap)
    if paginator.wanted == 1:
        ids = list(paginator.object_list[: per_page + 1])
        if len(ids) <= per_page:
            paginator.__dict__["_counted"] = (len(ids), True)
        page = paginator.page(1)
        page.object_list = ids[:per_page]
    else:
        page = paginator.get_page(wanted)
    found = rows.order_by().in_bulk(list(page.object_list))
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    return page
