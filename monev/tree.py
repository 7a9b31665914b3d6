"""Monev up the tree (issue 20): a province's kabupaten/kota as rows, and the province as a
whole, read from the rollup like every other figure (monev/sums.py) — each government's
own cells are its scope ``-government_id`` (monev.rollup.government_scope), so a row per
child is one grouped query over those scopes, whatever the number of children or reports.

Who may read these is the one access helper's business (``StaffProfile.figures_government_ids``,
``reports.access.figures_government_for``): a province's coordinators and executives read
their children's figures, never their reports, people or lists.

A child's row reads only the period: the province's classification filters (category,
kecamatan…) are the province's own and mean nothing in a kabupaten.
"""

from dataclasses import dataclass

from governments.models import Government
from monev import figures, sums
from monev.figures import Figures, Filter, Share
from monev.rollup import government_scope

# The working-day histograms of a completion (a complaint's or an information request's).
DONE_MEASURES = (*sums.HISTOGRAMS["resolution"], *sums.HISTOGRAMS["information"])


@dataclass
class GovernmentRow:
    """One government's figures in a period, as the province's dashboard and recap show them."""

    government: Government | None  # None: the province as a whole
    figures: Figures
    resolution_days_mean: float | None  # working days, first completion of each disposition

    @property
    def received(self) -> int:
        return self.figures.received

    @property
    def on_time(self) -> Share:
        """Completions on time (complaints and information requests together)."""
        steps = self.figures.on_time
        hits = steps["resolution"].hits + steps["information"].hits
        return Share(hits, steps["resolution"].total + steps["information"].total)

    @property
    def returned(self) -> int:
        """Returns of the agency level: dispositions given back to the complaint unit."""
        return self.figures.returned

    @property
    def referred(self) -> int:
        """Reports the government referred to another government of the installation."""
        return self.figures.referred_out

    @property
    def referral_returned(self) -> int:
        """Returns of the government level: referrals it gave back to the referring one."""
        return self.figures.referral_returned

    @property
    def rating_mean(self) -> float | None:
        return self.figures.rating_mean


def children(government_id: int) -> list[Government]:
    return list(Government.objects.filter(parent_id=government_id).order_by("name"))


def _mean_days(rows) -> float | None:
    total = n_all = 0
    for measure, value, n in rows:
        if measure in DONE_MEASURES:
            total += value * n
            n_all += n
    return round(total / n_all, 1) if n_all else None


def _row(government, rows, backlog=None) -> GovernmentRow:
    return GovernmentRow(government, sums._fold(rows, backlog), _mean_days(rows))


def _period_only(flt: Filter) -> Filter:
    return Filter(flt.start, flt.end, government=flt.government_id)


def _grouped(flt: Filter, scopes: list[int]):
    """scope → (measure, value, n) rows and scope → backlog counts, for ``scopes`` in one
    grouped query each."""
    base = _period_only(flt)
    grouped, backlog = {}, {}
    with figures.analytic_queries():
        for scope, measure, value, n in sums._period_rows(base, scopes, "agency"):
            grouped.setdefault(scope, []).append((measure, value, n))
        for scope, *counts in sums._backlog_rows(base, scopes, "agency"):
            backlog[scope] = counts
    return grouped, backlog


def children_rows(flt: Filter, kids=None) -> list[GovernmentRow]:
    """A row per kabupaten/kota of ``flt``'s government (Government.parent) with every
    figure of the child's own board, in three queries: the children, and the rollup's
    period rows and backlog spans grouped by their scopes (none without children)."""
    kids = children(flt.government_id) if kids is None else kids
    if not kids:
        return []
    return _tree(flt, kids).rows


def _tree(flt: Filter, kids) -> "Tree":
    """The children's rows and the whole from the same two grouped queries: the whole is
    the province's own scope plus every child's, its rows merged (counts add up, medians and
    means come from the merged histograms), so no row of the rollup is read twice."""
    own = government_scope(flt.government_id)
    scopes = {government_scope(g.pk): g for g in kids}
    grouped, backlog = _grouped(flt, [own, *scopes])
    rows = [_row(g, grouped.get(scope, []), backlog.get(scope)) for scope, g in scopes.items()]
    merged = [row for scope in (own, *scopes) for row in grouped.get(scope, [])]
    spans = [backlog[scope] for scope in (own, *scopes) if scope in backlog]
    total = [sum(n or 0 for n in column) for column in zip(*spans, strict=True)] if spans else None
    return Tree(rows, _row(None, merged, total))


def whole_row(flt: Filter, kids) -> GovernmentRow:
    """The province as a whole: its own reports plus its children's."""
    return _tree(flt, kids).whole


@dataclass
class Tree:
    """What the province's pages add: a row per child and the province as a whole."""

    rows: list
    whole: GovernmentRow


def tree(flt: Filter, *, refresh=False) -> Tree | None:
    """The children's rows and the whole of ``flt``'s government, cached like the other
    figures; None for a government without kabupaten/kota (one query)."""

    def work(f):
        kids = children(f.government_id)
        if not kids:
            return None
        return _tree(f, kids)

    key = f"monev:tree:{_period_only(flt).key()}"
    found = sums._cached(key, flt, lambda f: work(f) or False, refresh=refresh)
    return found or None
