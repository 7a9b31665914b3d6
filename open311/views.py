"""Open311 GeoReport v2 under /open311/v2/: every URL ends in .json or .xml.

Views parse with open311/params.py, read public reports through open311/presenters.py,
submit through open311/actions.py, and answer errors as GeoReport's list of
{code, description} (400 bad input, 403 API key, 404 unknown, 429 over the key's limit).
"""

import functools
import itertools

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from apikeys.access import ApiKeyError, RateLimited, authenticate
from core.errors import DomainError
from governments.middleware import portal_government
from governments.models import site_name
from open311 import actions, catalogue, params, presenters, render
from open311.errors import Open311Error, not_found
from open311.models import ServiceRequest

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this document last changed (discovery's "changeset").
CHANGESET = "2026-11-29T00:00:00+07:00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# A JSON list of more requests than this is streamed as the database cursor yields them
# (a whole window is never held as objects and a document at once); rows are fetched in
# chunks of STREAM_CHUNK.
STREAM_AFTER = 200
STREAM_CHUNK = 500


def endpoint(*methods):
    """Checks the method and the format suffix, and turns errors into GeoReport errors."""

    def wrap(view):
        @functools.wraps(view)
        def inner(request, *args, fmt, **kwargs):
            if fmt not in render.FORMATS:
                return render.errors(
                    "json", 404, _("Format %(fmt)s tidak tersedia: pakai .json atau .xml.") % {"fmt": fmt}
                )
            if request.method not in methods:
                return render.errors(
                    fmt,
                    405,
                    _("Metode %(m)s tidak didukung.") % {"m": request.method},
                    headers={"Allow": ", ".join(methods)},
                )
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                return render.errors(fmt, error.http_status, error.description, headers=error.headers)
            except RateLimited as error:
                return render.errors(fmt, 429, error.message, headers={"Retry-After": str(error.retry_after)})
            except ApiKeyError as error:
                return render.errors(fmt, error.status, error.message)

        return csrf_exempt(inner)

    return wrap


def _contact(request) -> tuple[str, str]:
    """Who answers for this Open311 (name, URL): on a government's host name that
    government (site_name) at the host the request came to (its port too), else the
    installation at ADUAN_SITE_URL."""
    government = portal_government(request)
    url = f"{request.scheme}://{request.get_host()}" if government is not None and government.host else None
    return site_name(government), url or settings.ADUAN_SITE_URL


@login_not_required
@endpoint("GET")
def discovery(request, fmt):
    name, url = _contact(request)
    base = url + "/open311/v2"  # a client that found it on a government's host stays there
    return render.respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": f"{name} — {url}",
            "key_service": _("Kunci API diterbitkan oleh admin sistem %(site)s.") % {"site": name},
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@login_not_required
@endpoint("GET")
def services(request, fmt):
    government = params.jurisdiction_scope(request.GET)
    return render.respond(fmt, "services", [catalogue.service(c) for c in catalogue.service_categories(government)])


@login_not_required
@endpoint("GET")
def service_definition(request, fmt, code):
    category = catalogue.get_service(code, params.jurisdiction_scope(request.GET))
    if category is None:
        raise not_found(_("service_code %(code)s tidak dikenal.") % {"code": code[:50]})
    return render.respond(fmt, "service_definition", catalogue.definition(category))


@login_not_required
@endpoint("GET", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


def _list(request, fmt):
    government = params.jurisdiction_scope(request.GET)
    filters = params.request_filters(request.GET)
    reports = presenters.public_requests().filter(government=government)
    if "ids" in filters:
        reports = reports.filter(tracking_number__in=filters["ids"])
    else:
        reports = reports.filter(received_at__gte=filters["start"], received_at__lte=filters["end"])
        if filters["codes"]:
            reports = reports.filter(category_id__in=filters["codes"])
        if filters["statuses"]:
            reports = reports.filter(status__in=filters["statuses"])
    size, page = filters["page_size"], filters["page"]
    window = reports.order_by("-received_at", "-pk")[(page - 1) * size : page * size + 1]
    rows = window.iterator(chunk_size=STREAM_CHUNK)
    first = list(itertools.islice(rows, STREAM_AFTER + 1))
    if fmt == "json" and len(first) > STREAM_AFTER and size > STREAM_AFTER:
        # A large window: the rows read so far, then the rest as the cursor yields them.
        headers = _next_link(request, page) if reports.order_by()[page * size : page * size + 1].exists() else {}
        requests = map(presenters.Presenter(), itertools.islice(itertools.chain(first, rows), size))
        return render.stream_json(requests, headers=headers)
    rows = first + list(rows)
    headers = {}
    if len(rows) > size:
        rows = rows[:size]
        headers = _next_link(request, page)
    present = presenters.Presenter()
    return render.respond(fmt, "service_requests", [present(r) for r in rows], headers=headers)


def _next_link(request, page) -> dict:
    query = request.GET.copy()
    query["page"] = str(page + 1)
    return {"Link": f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'}


def _form_data(request) -> QueryDict:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.ADUAN_OPEN311_MAX_REQUEST_BYTES:
        raise Open311Error(
            _("Permintaan terlalu besar (paling besar %(n)d KB).")
            % {"n": settings.ADUAN_OPEN311_MAX_REQUEST_BYTES // 1024}
        )
    if request.content_type not in FORM_TYPES:
        raise Open311Error(_("Content-Type harus application/x-www-form-urlencoded."))
    try:
        data = request.POST
        has_files = bool(request.FILES)
    except (RequestDataTooBig, TooManyFieldsSent):
        raise Open311Error(_("Permintaan terlalu besar.")) from None
    if has_files:
        raise Open311Error(_("Berkas tidak diterima di sini: kirim tautan foto sebagai media_url."))
    return data


def _create(request, fmt):
    data = _form_data(request)
    api_key = authenticate(request, scope="open311.submit")
    values = params.submission(data, params.jurisdiction(data))
    try:
        submitted = actions.submit_request(api_key=api_key, values=values)
    except DomainError as error:
        raise Open311Error(error.message) from None
    report = submitted.report
    notice = _(
        "Laporan diterima dan akan diperiksa unit pengelola pengaduan; laporan tampil di GET requests setelah "
        "diverifikasi."
    )
    return render.respond(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": report.tracking_number,
                "token": submitted.token,
                "service_notice": notice,
                "account_id": submitted.account_id or None,
            }
        ],
    )


@login_not_required
@endpoint("GET")
def request_detail(request, fmt, request_id):
    government = params.jurisdiction_scope(request.GET)
    report = presenters.public_requests().filter(government=government, tracking_number=request_id).first()
    if report is None:
        raise not_found(_("Permintaan %(id)s tidak ditemukan atau belum dipublikasikan.") % {"id": request_id[:40]})
    return render.respond(fmt, "service_requests", [presenters.as_request(report)])


@login_not_required
@endpoint("GET")
def token(request, fmt, token):
    submitted = ServiceRequest.objects.select_related("report").filter(token=token).first()
    if submitted is None:
        raise not_found(_("Token tidak dikenal."))
    return render.respond(
        fmt, "service_requests", [{"service_request_id": submitted.report.tracking_number, "token": submitted.token}]
    )
