"""The public map of reports (/peta/), its GeoJSON, and the nearby reports the report form
shows before sending ("Sudah dilaporkan? Dukung laporan ini").

Every report comes from ``Report.objects.public()`` and sits where portal/map_points.py
says the public may see it: an anonymous report at its kelurahan's centre, never its pin.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal import map_points
from portal.follow_views import follow_box
from portal.map_forms import MapFilterForm, NearbyForm
from reports.actions.support import SUPPORTABLE

LIST_SIZE = 50  # rows in the list beside the map; the map shows up to ADUAN_MAP_MAX_REPORTS
NEAR_KM = 2.0  # "Dekat saya"
NEARBY_KM = 1.0  # nearby reports on the form, when it has a pin
NEARBY_DAYS = 90
NEARBY_SIZE = 5


def _mapped_reports(form):
    """The filtered public reports, newest first, at most ADUAN_MAP_MAX_REPORTS, as a list
    of (report, km or None); with "near me", those within NEAR_KM, nearest first. And
    whether the limit cut the list."""
    limit = settings.ADUAN_MAP_MAX_REPORTS
    reports = form.filter(map_points.public_reports(form.government)).order_by("-received_at", "-pk")
    near = form.near_point
    if near:
        reports = map_points.around(reports, near, NEAR_KM)
    rows = list(reports[: limit + 1])
    truncated = len(rows) > limit
    rows = rows[:limit]
    if near:
        return map_points.within(rows, near, NEAR_KM), truncated
    return [(report, None) for report in rows], truncated


@login_not_required
@require_GET
def public_map(request):
    form = MapFilterForm(request.GET or None, government=request.government)
    rows, truncated = _mapped_reports(form)
    query = request.GET.urlencode()
    without_near = request.GET.copy()
    without_near.pop("near", None)
    config = {
        **map_points.base_config(request.government),
        "data": reverse("portal:map_data") + (f"?{query}" if query else ""),
        "near": list(form.near_point) if form.near_point else None,
    }
    return render(
        request,
        "portal/map.html",
        {
            "form": form,
            "rows": rows[:LIST_SIZE],
            "count": len(rows),
            "truncated": truncated,
            "limit": settings.ADUAN_MAP_MAX_REPORTS,
            "map": config,
            "near": form.near_point,
            "near_km": int(NEAR_KM),
            "without_near": without_near.urlencode(),
            # "Ikuti" starts from the map's category filter.
            **follow_box(
                initial={"category": form.cleaned_data["category"].pk} if form.filters_category else {},
                government=request.government,
            ),
        },
    )


@login_not_required
@require_GET
def map_data(request):
    """GeoJSON of the map's reports, with ``limit`` and ``truncated`` beside the features."""
    form = MapFilterForm(request.GET or None, government=request.government)
    rows, truncated = _mapped_reports(form)
    features = [map_points.feature(report, title=report.headline(masked=True)) for report, _km in rows]
    body = {
        "type": "FeatureCollection",
        "features": [f for f in features if f is not None],
        "limit": settings.ADUAN_MAP_MAX_REPORTS,
        "truncated": truncated,
    }
    return JsonResponse(body, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_GET
def nearby(request):
    """htmx: open public reports of the chosen sub-category near the pin (or in the chosen
    kelurahan) from the last NEARBY_DAYS days, so a resident can support one instead of
    sending the same report again."""
    form = NearbyForm(request.GET)
    rows = []
    if form.is_valid() and form.cleaned_data["category"]:
        data = form.cleaned_data
        since = timezone.now() - dt.timedelta(days=NEARBY_DAYS)
        reports = map_points.public_reports(request.government).filter(
            category=data["category"], status__in=SUPPORTABLE, received_at__gte=since
        )
        if data["point"]:
            candidates = map_points.around(reports, data["point"], NEARBY_KM).order_by("-received_at")[:200]
            rows = map_points.within(candidates, data["point"], NEARBY_KM)[:NEARBY_SIZE]
        elif data["region"]:
            rows = [(r, None) for r in reports.filter(region=data["region"]).order_by("-received_at")[:NEARBY_SIZE]]
    return render(request, "portal/_nearby.html", {"rows": rows})
