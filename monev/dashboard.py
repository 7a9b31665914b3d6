"""What the dashboard, the recaps and the public page show, assembled once from
monev/figures.py, so the recap's numbers are the dashboard's for the same filter."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from agencies.models import Agency, Region
from core import singleflight, workdays
from governments.models import Government, home_government
from monev import figures, periods, sums, support
from monev import tree as levels
from monev.catalogue import INDICATORS, PUBLIC_DIMENSIONS
from monev.figures import Filter
from reports.models import Report

# Scorecard indicators: (key, label, how to read it from Figures, higher is better)


def rating(key, value) -> str:
    """green, amber or red against settings.ADUAN_MONEV_TARGETS; "" with no target or value."""
    targets = settings.ADUAN_MONEV_TARGETS.get(key)
    if value is None or not targets:
        return ""
    green, amber = targets
    higher_better = next(i[3] for i in INDICATORS if i[0] == key)
    if higher_better:
        return "green" if value >= green else "amber" if value >= amber else "red"
    return "green" if value <= green else "amber" if value <= amber else "red"


@dataclass
class Indicator:
    key: str
    label: str
    value: object
    rag: str


@dataclass
class ScoreRow:
    agency: Agency | None
    figures: figures.Figures
    indicators: list
    rank: int | None = None
    score: float | None = None


def score_row(agency, fig) -> ScoreRow:
    indicators = [Indicator(key, label, read(fig), "") for key, label, read, _higher in INDICATORS]
    for ind in indicators:
        ind.rag = rating(ind.key, ind.value)
    shares = [i.value for i in indicators[:2] if i.value is not None]
    return ScoreRow(agency, fig, indicators, score=round(sum(shares) / len(shares), 1) if shares else None)


def scorecard(flt: Filter, *, refresh=False) -> list[ScoreRow]:
    """Every agency with a disposition in the scope, ranked by the mean of its on-time
    shares (follow-up and resolution); agencies with nothing to measure come last."""
    per_agency = sums.cached_compute_by_agency(flt, refresh=refresh)
    rows = [score_row(a, per_agency[a.pk]) for a in Agency.objects.filter(pk__in=list(per_agency))]
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), str(r.agency)))
    for i, row in enumerate(rows, 1):
        row.rank = i if row.score is not None else None
    return rows


def city_row(flt: Filter, *, refresh=False) -> ScoreRow:
    return score_row(None, sums.cached_compute(flt.with_(agency=None), refresh=refresh))


@dataclass
class MapPoint:
    region: Region
    kecamatan: str
    count: int
    latitude: float | None
    longitude: float | None
    url: str = ""


def map_points(flt: Filter, *, url_for=None) -> list[MapPoint]:
    """Reports received per kelurahan in the period (from the rollup); a kelurahan's marker
    sits at the mean of its reports' map points (Region has no boundaries), when any report
    has one."""
    counts = sums.received_per_kelurahan(flt)
    centres = kelurahan_centres(flt.government_id)
    points = []
    for region in Region.objects.filter(pk__in=list(counts)).select_related("parent"):
        centre = centres.get(region.pk, {})
        lat, lng = centre.get("lat"), centre.get("lng")
        point = MapPoint(
            region,
            region.parent.name if region.parent_id else "",
            counts[region.pk],
            float(lat) if lat is not None else None,
            float(lng) if lng is not None else None,
        )
        if url_for:
            point.url = url_for(flt.with_(kelurahan=region.pk), "received")
        points.append(point)
    points.sort(key=lambda p: (-p.count, p.region.name))
    return points


CENTRES_SECONDS = 6 * 3600


def kelurahan_centres(government_id: int) -> dict:
    """kelurahan id → {"lat", "lng"}: the mean of its reports' map points, for every
    kelurahan of the government at once and cached for hours (the same for every filter,
    and it moves little), so a new filter does not read the reports for its map. Per
    government: in a province's installation a city's cold board reads the city's reports,
    not the province's (docs/performance.md, "Province-sized")."""
    key = f"monev:kelurahan-centres:{government_id}"
    centres = cache.get(key)
    if centres is None:
        centres = {
            row["region_id"]: row
            for row in Report.objects.filter(government_id=government_id, region__isnull=False, latitude__isnull=False)
            .order_by()
            .values("region_id")
            .annotate(lat=Avg("latitude"), lng=Avg("longitude"))
        }
        cache.set(key, centres, CENTRES_SECONDS)
    return centres


def drilldown_url(flt: Filter, metric: str, **extra) -> str:
    params = {**flt.scope_params(), "metric": metric, **{k: v for k, v in extra.items() if v}}
    return f"{reverse('monev:reports')}?{urlencode(params)}"


@dataclass
class Dashboard:
    filter: Filter
    figures: figures.Figures
    trend: list
    breakdowns: dict  # dimension → list[BreakdownRow]
    scorecard: list = field(default_factory=list)
    city: ScoreRow | None = None
    map: list = field(default_factory=list)
    supports: int = 0  # residents' "me too" given in the period (monev/support.py)
    most_supported: list = field(default_factory=list)
    # A province's kabupaten/kota as rows and the province as a whole (monev/tree.py);
    # None for a government without children.
    tree: levels.Tree | None = None
    built_at: datetime = field(default_factory=timezone.now)


def build(flt: Filter, *, with_scorecard=True, dimensions=None, refresh=False, refresh_figures=None) -> Dashboard:
    """Everything the dashboard shows for ``flt``, cached like sums.cached_compute (the
    page, the recaps and the public page of one filter share one entry). ``refresh``
    computes it again (and the figures under it, unless ``refresh_figures`` is False) and
    stores it: the warm-up's way."""
    dimensions = dimensions or [d for d in figures.DIMENSIONS if not (d == "agency" and flt.agency)]
    key = board_key(flt, with_scorecard=with_scorecard, dimensions=dimensions)

    def built():
        with figures.analytic_queries():
            inner = refresh if refresh_figures is None else refresh_figures
            return _build(flt, with_scorecard=with_scorecard, dimensions=dimensions, refresh=inner)

    # Built by one request at a time: a board running out while many have it open is
    # built once, not once per request (core/singleflight.py).
    return singleflight.cached(key, built, figures.cache_seconds(flt), refresh=refresh)


def board_key(flt: Filter, *, with_scorecard, dimensions) -> str:
    return f"monev:board:{flt.key()}:{int(with_scorecard)}:{','.join(dimensions)}:{workdays.calendar_version()}"


def _build(flt: Filter, *, with_scorecard, dimensions, refresh=False) -> Dashboard:
    board = Dashboard(
        filter=flt,
        figures=sums.cached_compute(flt, refresh=refresh),
        trend=sums.trend(flt),
        breakdowns=sums.breakdowns(flt, dimensions, refresh=refresh),
    )
    if with_scorecard:
        board.scorecard = scorecard(flt, refresh=refresh)
        board.city = city_row(flt)
        board.tree = levels.tree(flt, refresh=refresh)
    board.map = map_points(flt)
    board.supports = support.supports_in_period(flt)
    board.most_supported = support.most_supported(flt)
    return board


def warm(*, now=None) -> list[str]:
    """Build again, before their cache entries run out, the boards people open first: each
    active government's dashboard for this month and last month (the coordinators' board:
    its Filter carries the government, as monev/views.py builds it), and its public page
    for the default period (this month, or last month early on: monev/periods.py) — the
    un-prefixed page (no government) for the default government, /<slug>/transparansi/
    for the others. One pass per government, three boards each; a board whose entry still
    has more than two warm-up intervals to live is left alone (last month's lives 12 times
    longer). Returns what was rebuilt: the default government's boards by their plain
    label, another's with its slug."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    this_month = figures.period_bounds("month", today)
    last_month = figures.period_bounds("month", today.replace(day=1) - timedelta(days=1))
    default = periods.default_period(today)
    home = home_government()
    targets = []
    for government in Government.objects.active().order_by("pk"):
        is_home = home is not None and government.pk == home.pk
        suffix = "" if is_home else f" ({government.slug})"
        public = Filter(default.start, default.end, government=None if is_home else government.pk)
        targets += [
            (f"dashboard, this month{suffix}", Filter(*this_month, government=government.pk), None),
            (f"dashboard, last month{suffix}", Filter(*last_month, government=government.pk), None),
            (f"public page, default period{suffix}", public, PUBLIC_DIMENSIONS),
        ]
    margin = 2 * 60 * settings.ADUAN_MONEV_WARM_MINUTES
    rebuilt, fresh = [], set()
    for label, flt, dimensions in targets:
        dims = dimensions or [d for d in figures.DIMENSIONS if not (d == "agency" and flt.agency)]
        board = cache.get(board_key(flt, with_scorecard=True, dimensions=dims))
        if board is not None and board.built_at + timedelta(seconds=figures.cache_seconds(flt) - margin) > now:
            continue
        build(flt, with_scorecard=True, dimensions=dims, refresh=True, refresh_figures=flt not in fresh)
        fresh.add(flt)
        rebuilt.append(label)
    return rebuilt


def metric_rows(fig: figures.Figures):
    """(metric, label, value) of the counts shown as the dashboard's headline."""
    return [(m, label, getattr(fig, m)) for m, label in figures.COUNT_METRICS.items()]
