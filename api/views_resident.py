"""Residents, without an account: submit, find their report again, follow it and answer.

The same forms as the portal (portal/forms.py) check the input, reports/access.py finds
the report by its secret, and reports/actions/ does the work as ``access.Reporter``."""

from django.core.validators import slug_re
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.response import Response

from agencies.models import Region
from api import forms as api_forms
from api import serializers as s
from api.auth import ApiKeyAuthentication, ResidentThrottle
from api.base import ACTION_ERRORS, BODY_ERRORS, ERRORS, ApiView
from api.errors import check
from api.formschema import serializer_for
from governments.models import Government
from portal import forms as portal_forms
from portal import presenters
from portal.reporter_actions import REPORTER_ACTIONS
from reports import access, actions
from reports.models import Category, Kind, Status

TAG = ["resident"]


def form_data(request):
    """The request's fields for a Django form (JSON object or form fields)."""
    if not isinstance(request.data, dict):
        raise exceptions.ParseError()
    return request.data


GOVERNMENT_PARAMETER = OpenApiParameter(
    "government",
    str,
    OpenApiParameter.QUERY,
    required=False,
    description="Slug pemerintah daerah, mis. 'kota-blitar'; kosong: pemerintah daerah bawaan.",
)


def resident_government(request):
    """The government a resident's request is for: the ``government`` slug (a parameter or
    a field of the body), else the portal's (``/<slug>/api/v1/…``, or the default one).
    An unknown or inactive slug is a 400 on that field."""
    slug = request.query_params.get("government") or ""
    if not slug and isinstance(request.data, dict):
        slug = request.data.get("government") or ""
    slug = str(slug).strip()
    if not slug:
        return request.government
    # Not a slug (a NUL byte, which PostgreSQL refuses in a query): unknown, never asked.
    government = Government.objects.active().filter(slug=slug).first() if slug_re.match(slug) else None
    if government is None:
        raise exceptions.ValidationError(
            {"government": [_("Pemerintah daerah %(slug)s tidak dikenal.") % {"slug": slug[:60]}]}
        )
    return government


class ResidentView(ApiView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [permissions.AllowAny]
    public = True  # residents have no account; an integration may send an API key
    throttle_classes = [ResidentThrottle]
    throttle_scope = "resident"


SubmitRequest = serializer_for(api_forms.ApiReportForm, "ReportSubmitRequest")


class SubmitView(ResidentView):
    throttle_scope = "submit"

    @extend_schema(
        tags=TAG,
        summary="Kirim laporan",
        request={"application/json": SubmitRequest, "multipart/form-data": SubmitRequest},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description=(
                    "Kunci unik per laporan (8–120 karakter: huruf, angka, : . - _), mis. UUID. Mengirim ulang "
                    "dengan kunci yang sama (koneksi putus sebelum jawaban tiba) menjawab laporan yang sama, "
                    "bukan laporan kedua."
                ),
            )
        ],
        responses={201: s.SubmittedSerializer, **BODY_ERRORS},
    )
    def post(self, request):
        government = resident_government(request)
        form = check(api_forms.ApiReportForm(form_data(request), request.FILES, government=government))
        kwargs = form.submit_kwargs()
        if key := request.headers.get("Idempotency-Key", "").strip():
            kwargs["submission_key"] = f"api:{key}"
        if request.auth is not None:  # an integration's key: say which one sent it
            kwargs["channel_reference"] = str(request.auth)[:200]
        report = actions.submit_report(**kwargs)
        return Response(
            {"tracking_number": report.tracking_number, "secret": report.secret, "status": report.status}, status=201
        )


TrackRequest = serializer_for(portal_forms.TrackForm, "TrackRequest")


class TrackView(ResidentView):
    throttle_scope = "track"

    @extend_schema(
        tags=TAG,
        summary="Temukan laporan dengan nomor pelacakan dan nomor HP atau email",
        request=TrackRequest,
        parameters=[GOVERNMENT_PARAMETER],
        responses={200: s.SubmittedSerializer, **BODY_ERRORS},
    )
    def post(self, request):
        form = check(portal_forms.TrackForm(form_data(request)))
        report = access.find_report_for_reporter(form.cleaned_data["tracking_number"], form.cleaned_data["contact"])
        if report is not None and report.government_id != resident_government(request).pk:
            report = None  # found only within its government, like the portal's tracking page
        if report is None:
            # One answer whatever went wrong, so the API does not tell which numbers exist.
            raise exceptions.NotFound(_("Nomor pelacakan dan kontak tidak cocok dengan laporan mana pun."))
        return Response({"tracking_number": report.tracking_number, "secret": report.secret, "status": report.status})


def allowed_for_reporter(report):
    allowed = []
    if report.status == Status.ON_HOLD:
        allowed.append("reply")
    if report.status == Status.RESOLVED:
        allowed += ["confirm", "dispute"]
    if report.status in (Status.RESOLVED, Status.CLOSED) and report.rating is None:
        allowed.append("rate")
    if (
        report.kind == Kind.INFORMATION_REQUEST
        and report.status in (Status.RESOLVED, Status.CLOSED)
        and not report.objection_filed_at
    ):
        allowed.append("objection")
    return allowed


def resident_view(report):
    """What the portal's tracking page shows, as data (portal/views.py track_detail)."""
    events = list(report.events.filter(is_public=True).select_related("agency"))
    attachments = list(report.attachments.filter(is_public=True).select_related("event"))
    dispositions = list(report.dispositions.active().select_related("agency").order_by("role", "created_at"))
    own_files = [a for a in attachments if a.event is None or a.event.action == "submitted"]
    timeline = presenters.timeline(report, events, attachments, public=False)
    return {
        "tracking_number": report.tracking_number,
        "kind": report.kind,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "explanation": str(presenters.STATUS_NEXT.get(report.status, "")),
        "title": report.title,
        "description": report.description,
        "category": s._named(report.category),
        "region": s._named(report.region),
        "address": report.address,
        "received_at": report.received_at,
        "is_anonymous": report.is_anonymous,
        "is_confidential": report.is_confidential,
        "question": report.hold_question if report.status == Status.ON_HOLD else "",
        "agencies": [str(d.agency) for d in dispositions],
        "deadlines": [
            {"text": text, "overdue": overdue} for text, overdue in presenters.deadlines(report, dispositions)
        ],
        "rating": report.rating,
        "timeline": [
            {
                "at": entry.at,
                "action": entry.action,
                "label": str(entry.label),
                "who": str(entry.who),
                "message": entry.message,
                "detail": str(entry.detail),
                "attachments": [s.resident_attachment(a, report.secret) for a in entry.attachments],
            }
            for entry in timeline
        ],
        "files": [s.resident_attachment(a, report.secret) for a in own_files],
        "allowed": allowed_for_reporter(report),
    }


class ResidentReportView(ResidentView):
    @extend_schema(
        tags=TAG,
        summary="Status dan riwayat publik laporan (dengan kunci pribadi)",
        responses={200: s.ResidentReportSerializer, **ERRORS},
    )
    def get(self, request, secret):
        report = access.get_report_by_secret(secret)
        return Response(s.ResidentReportSerializer(resident_view(report)).data)


# The reporter's actions, as the portal's tracking page has them (portal/reporter_actions.py).
RESIDENT_ACTIONS = {name: (spec.form, spec.perform, spec.summary) for name, spec in REPORTER_ACTIONS.items()}


def _resident_action_view(name, form_class, perform, summary):
    request_serializer = serializer_for(form_class, f"Resident{name.title()}Request")
    multipart = "attachments" in form_class.base_fields
    body = (
        {"application/json": request_serializer, "multipart/form-data": request_serializer}
        if multipart
        else request_serializer
    )

    class View(ResidentView):
        @extend_schema(
            tags=TAG,
            summary=summary,
            request=body,
            responses={200: s.ResidentReportSerializer, **ACTION_ERRORS},
            operation_id=f"resident_report_{name}",
        )
        def post(self, request, secret):
            report = access.get_report_by_secret(secret)
            form = check(form_class(form_data(request), request.FILES))
            perform(report, access.Reporter(report.pk), form.cleaned_data)
            report.refresh_from_db()
            return Response(s.ResidentReportSerializer(resident_view(report)).data)

    View.__name__ = View.__qualname__ = f"Resident{name.title()}View"
    return View


RESIDENT_ACTION_VIEWS = {name: _resident_action_view(name, *spec) for name, spec in RESIDENT_ACTIONS.items()}


class CategoryListView(ResidentView):
    pagination_class = None

    @extend_schema(
        tags=["lookup"],
        summary="Kategori aktif",
        parameters=[GOVERNMENT_PARAMETER],
        responses={200: s.CategorySerializer(many=True), 400: ERRORS[400]},  # 400: an unknown government
    )
    def get(self, request):
        rows = Category.objects.filter(is_active=True, government=resident_government(request)).filter(
            Q(parent__isnull=True) | Q(parent__is_active=True)
        )
        return Response(s.CategorySerializer(rows.order_by("parent_id", "name"), many=True).data)


class RegionListView(ResidentView):
    @extend_schema(
        tags=["lookup"],
        summary="Kecamatan dan kelurahan",
        parameters=[GOVERNMENT_PARAMETER],
        responses={200: s.RegionSerializer(many=True), 400: ERRORS[400]},  # 400: an unknown government
    )
    def get(self, request):
        regions = Region.objects.filter(government=resident_government(request)).order_by("level", "name")
        return Response(s.RegionSerializer(regions, many=True).data)
