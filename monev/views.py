"""Monev pages: the staff dashboard and its drill-down lists, the recap downloads, and the
public transparency page with its open data.

Coordinators and executives see the whole city and every agency's scorecard; agency staff
see their own agency's figures beside the city's. A number's link opens the reports
behind it, narrowed to the reports the user may see (reports/access.py).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.roles import staff_profile, staff_required
from core import singleflight, workdays
from governments.middleware import portal_government
from governments.models import Government
from monev import charts, dashboard, figures, periods, public, recap, sums
from monev.forms import DrilldownForm, MonevFilterForm
from reports import access

PAGE_SIZE = 50


def _own_agency(request):
    """None for coordinators and executives; else the agency whose figures the user reads
    (``?agency=`` may pick another of the user's agencies)."""
    profile = staff_profile(request.user)
    if profile.sees_everything:
        return None
    ids = sorted(profile.reading_agency_ids)
    if not ids:
        raise PermissionDenied
    wanted = request.GET.get("agency")
    chosen = int(wanted) if wanted and wanted.isdigit() and int(wanted) in ids else ids[0]
    return Agency.objects.get(pk=chosen)


def _filter_form(request, government_id=None):
    agency = _own_agency(request)
    government_id = government_id if government_id is not None else overseen_government(request)
    form = MonevFilterForm(request.GET, fixed_agency=agency, government_id=government_id)
    return form, agency


def overseen_government(request):
    """The government whose figures a coordinator or executive reads: theirs (the lowest id
    when appointed in several, until the province's monev picks one)."""
    ids = sorted(staff_profile(request.user).overseen_government_ids)
    return ids[0] if ids else None


@staff_required
def dashboard_view(request):
    """The user's own board; ``?government=`` opens a kabupaten/kota of the province the
    user oversees, figures only (reports.access.figures_government_for decides)."""
    child, government_id = None, None
    if request.GET.get("government"):
        scope = access.figures_government_for(request.user, request.GET["government"])
        government_id = scope.government_id  # one of several the user oversees, or a child
        if not scope.own:
            child = Government.objects.get(pk=scope.government_id)
    form, agency = _filter_form(request, government_id)
    context = {"form": form, "own_agency": agency, "child": child, "chosen_government": government_id}
    if form.is_valid():
        flt = form.to_filter()
        form.show_applied()
        context["period"] = _period_context(flt, form.default)
        context["board_html"] = _board_html(flt, agency, figures_only=child is not None, chosen=government_id)
        query = _encode(_chosen(flt.scope_params(), government_id))
        # A child's recaps too: figures only, under its own letterhead (recap_download).
        context["downloads"] = {fmt: f"{reverse('monev:recap', args=[fmt])}?{query}" for fmt in ("xlsx", "pdf")}
        if child is not None:
            province = {"start": flt.start.isoformat(), "end": flt.end.isoformat()}
            context["province_url"] = f"{reverse('monev:dashboard')}?{_encode(province)}"
            context["province"] = Government.objects.filter(pk=child.parent_id).first()
    return render(request, "monev/dashboard.html", context)


def _period_context(flt, default):
    """The period a page applied, for its heading; ``default`` (periods.DefaultPeriod or
    None) says why when no period was asked for and this month had too little."""
    today = timezone.localdate()
    return {
        "start": flt.start,
        "end": flt.end,
        "running": flt.start <= today <= flt.end,
        "note": default.note if default else "",
    }


def _chosen(params, government_id):
    """``params`` with ``government`` when the page was asked for a chosen government
    (``?government=``): its links then open that government's lists and recaps, not the
    user's default one."""
    return {**params, "government": government_id} if government_id else params


def _board_html(flt, agency, *, figures_only=False, chosen=None):
    """The dashboard's body, rendered once per filter, agency and language and cached like
    the board it shows (its links are the same for every user; the drill-down narrows the
    list to what the user may see). ``figures_only``: a kabupaten/kota read by its
    province — no link to a report list, no report named. ``chosen``: the government
    ``?government=`` picked, which its links carry."""
    key = ":".join(
        [
            "monev:html",
            flt.key(),
            str(agency.pk if agency else 0),
            "f" if figures_only else "",
            f"g{chosen}" if chosen else "",
            get_language(),
            workdays.calendar_version(),
        ]
    )

    def rendered():
        board = dashboard.build(flt, with_scorecard=agency is None)
        context = {"own_agency": agency, **_board_context(board, link=not figures_only, government=chosen)}
        if figures_only:
            context.update(figures_only=True, most_supported=[])
        elif board.tree:
            context["tree"] = _tree_context(board)
        if agency is not None:
            context["own_row"] = dashboard.score_row(agency, board.figures)
            context["city_row"] = dashboard.city_row(flt)
            context["units_part"] = sums.units_part(flt, agency.pk)
        elif flt.agency and not figures_only:  # a coordinator looking at one agency: its units too
            context["units_part"] = sums.units_part(flt, flt.agency)
        return render_to_string("monev/_board.html", context)

    closed = flt.end < timezone.localdate()
    html = singleflight.cached(key, rendered, settings.ADUAN_MONEV_CACHE_SECONDS * (12 if closed else 1))
    return mark_safe(html)  # noqa: S308 - rendered by our own template with autoescaping


def _tree_context(board):
    """The province's rows, each opening its kabupaten/kota's board for the same period."""
    period = {"start": board.filter.start.isoformat(), "end": board.filter.end.isoformat()}
    rows = [
        (row, f"{reverse('monev:dashboard')}?{_encode({'government': row.government.pk, **period})}")
        for row in board.tree.rows
    ]
    return {"rows": rows, "whole": board.tree.whole}


def _encode(params):
    return urlencode(params)


def _board_context(board, *, link, government=None):
    flt = board.filter

    def url(metric, scope=flt, **extra):
        return dashboard.drilldown_url(scope, metric, government=government, **extra) if link else ""

    fig = board.figures
    headline = [(label, value, url(metric)) for metric, label, value in dashboard.metric_rows(fig)]
    breakdowns = []
    for dimension, rows in board.breakdowns.items():
        peak = max((r.counts["received"] for r in rows), default=0)
        items = [
            {
                "label": row.label,
                "counts": [(row.counts[m], url(m, flt.with_(**{dimension: row.value}))) for m in figures.COUNT_METRICS],
                "bar": charts.bar_percent(row.counts["received"], peak),
            }
            for row in rows
        ]
        breakdowns.append({"dimension": dimension, "label": figures.DIMENSIONS[dimension], "rows": items})
    archived = [
        (label, fig.archived_by_reason.get(reason, 0), url("archived", reason=reason))
        for reason, label in figures.ArchiveReason.choices
    ]
    backlog = [
        (label, fig.backlog.get(name, 0), url("backlog", bucket=name)) for name, label, *_r in figures.BACKLOG_BUCKETS
    ]
    for row in board.scorecard:
        scope = flt.with_(agency=row.agency.pk)
        row.disposed_url, row.resolved_url = url("disposed", scope), url("resolved", scope)
    map_points = board.map  # cached with the board; the links are added here
    for point in map_points:
        point.url = url("received", flt.with_(kelurahan=point.region.pk))
    return {
        "board": board,
        "fig": fig,
        "headline": headline,
        "metrics": list(figures.COUNT_METRICS.values()),
        "breakdowns": breakdowns,
        "archived": archived,
        "backlog": backlog,
        "steps": [(figures.STEPS[s], share) for s, share in fig.on_time.items()],
        "links": {m: url(m) for m in figures.METRICS},
        "trend_svg": charts.trend_svg(board.trend),
        "trend_rows_svg": charts.trend_rows_svg(board.trend),
        "map_points": map_points,
        "map_json": [
            {"name": p.region.name, "n": p.count, "lat": p.latitude, "lng": p.longitude, "url": p.url}
            for p in map_points
            if p.latitude is not None
        ],
        "scorecard": board.scorecard,
        "map_tile_url": settings.ADUAN_MAP_TILE_URL,
        "map_attribution": settings.ADUAN_MAP_ATTRIBUTION,
        "map_center": settings.ADUAN_MAP_CENTER,
        "city": board.city,
        "supports": board.supports,
        "most_supported": [
            (row, reverse("workspace:report", args=[row.pk]) if link else "") for row in board.most_supported
        ],
    }


def _own_figures_only(request):
    """The report lists are of a government the user oversees (``?government=``
    picks one of several, else their own): a kabupaten/kota opened from its province shows
    figures only, so 404 here. Answers the government id, or None for the default."""
    if not request.GET.get("government"):
        return None
    scope = access.figures_government_for(request.user, request.GET["government"])
    if not scope.own:
        raise Http404
    return scope.government_id


@staff_required
def drilldown(request):
    """The reports behind one number: the dashboard's filter plus ``metric`` (and an
    archive ``reason`` or backlog ``bucket``), narrowed to what the user may see."""
    chosen = _own_figures_only(request)
    form, _agency = _filter_form(request, chosen)
    pick = DrilldownForm(request.GET)
    if not (form.is_valid() and pick.is_valid()):
        return render(request, "monev/drilldown.html", {"form": form, "error": True}, status=400)
    flt = form.to_filter()
    reports = figures.report_set(
        flt, pick.cleaned_data["metric"], **{k: pick.cleaned_data[k] for k in ("reason", "bucket")}
    )
    if not staff_profile(request.user).sees_everything:
        reports = reports.filter(pk__in=access.reports_counted_for(request.user).values("pk"))
    reports = reports.select_related("category__parent", "region").order_by("-received_at", "-pk")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "metric_label": figures.METRICS[pick.cleaned_data["metric"]],
        "flt": flt,
        "back": f"{reverse('monev:dashboard')}?{_encode(_chosen(flt.scope_params(), chosen))}",
    }
    return render(request, "monev/drilldown.html", context)


@staff_required
def recap_download(request, fmt):
    """The recap of the user's board; ``?government=`` one of the governments they oversee,
    or a kabupaten/kota of their province (reports.access.figures_government_for) — then
    figures only, as its board: no list of reports, under the child's own letterhead and
    signature block (the recap is of the child's figures)."""
    government_id, figures_only = None, False
    if request.GET.get("government"):
        scope = access.figures_government_for(request.user, request.GET["government"])
        government_id, figures_only = scope.government_id, not scope.own
    form, agency = _filter_form(request, government_id)
    if not form.is_valid():
        return HttpResponse(_("Filter tidak valid."), status=400, content_type="text/plain; charset=utf-8")
    flt = form.to_filter()
    board = dashboard.build(flt, with_scorecard=agency is None)
    visible = None if agency is None else access.reports_counted_for(request.user)
    name = f"rekap-monev-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}"
    if fmt == "xlsx":
        content = recap.xlsx(board, visible=visible, figures_only=figures_only)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = recap.pdf(board, figures_only=figures_only)
        content_type = "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# ---------------------------------------------------------------------------- public


def _public_filter(request):
    """The public page's form, its filter, and the default period when none was asked for
    (also when the form is invalid: the page then shows the default beside the errors)."""
    form = public.PublicPeriodForm(request.GET)
    # A government's own portal (/kota-kediri/transparansi/, its host name) shows its
    # figures; the un-prefixed page the default government's (Filter.government None). The
    # form has the period only: no area, agency or category of another government.
    government = getattr(portal_government(request), "pk", None)
    if form.is_valid():
        flt = form.to_filter().with_(government=government)
        form.show_applied()
        return form, flt, form.default
    default = periods.default_period(timezone.localdate())
    return form, figures.Filter(default.start, default.end, government=government), default


@login_not_required
def transparency(request):
    form, flt, default = _public_filter(request)
    board = dashboard.build(flt, with_scorecard=True, dimensions=public.DIMENSIONS)
    context = {"form": form, "period": _period_context(flt, default), **public.page_context(board)}
    context["query"] = _encode(flt.scope_params())
    return render(request, "monev/transparency.html", context)


@login_not_required
def open_data(request, fmt):
    _form, flt, _default = _public_filter(request)
    board = dashboard.build(flt, with_scorecard=True, dimensions=public.DIMENSIONS)
    data = public.open_data(board)
    name = f"data-terbuka-aduan-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}"
    if fmt == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    else:
        response = HttpResponse(public.as_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
