"""Staff: a token, the report and disposition lists with the workspace's filters, one
report, and the workspace's actions. Every queryset and object comes from
reports/access.py; every change goes through reports/actions/; the input is checked by
the workspace's own forms (workspace/forms.py, workspace/action_forms.py)."""

import operator
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.response import Response

from accounts import twofactor
from accounts.lockout import cool_off_minutes
from agencies.roles import staff_profile
from api import serializers as s
from api.auth import AddressThrottle, StaffTokenAuthentication
from api.base import ACTION_ERRORS, BODY_ERRORS, ERRORS, ApiView
from api.errors import LockedOut, check
from api.formschema import parameters_for, serializer_for
from api.models import StaffToken
from api.pagination import PageNumberPagination
from api.views_resident import form_data
from core import uploads
from reports import access, actions
from reports.models import Attachment, Referral
from workspace import action_forms as ws_action_forms
from workspace import forms as ws_forms

TAG = ["staff"]


# ---------------------------------------------------------------------------- tokens


class TokenView(ApiView):
    authentication_classes = [StaffTokenAuthentication]  # none needed; keeps 401 answers 401
    permission_classes = [permissions.AllowAny]
    public = True  # where a token is obtained with a password (and locked out like a login)
    throttle_classes = [AddressThrottle]
    throttle_scope = "token"

    @extend_schema(
        tags=["auth"],
        summary="Minta token petugas dengan nama pengguna dan kata sandi",
        request=s.TokenRequestSerializer,
        responses={201: s.TokenSerializer, **BODY_ERRORS},
        auth=[],
    )
    def post(self, request):
        data = s.TokenRequestSerializer(data=form_data(request))
        data.is_valid(raise_exception=True)
        # The Django request goes along so django-axes counts a wrong password here as on
        # the login pages, and refuses a locked-out account (accounts/lockout.py).
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if getattr(request._request, "axes_locked_out", False):
            minutes = cool_off_minutes(request._request)
            message = _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.")
            raise LockedOut(minutes * 60, message % {"minutes": minutes})
        if user is None:
            raise exceptions.AuthenticationFailed(_("Nama pengguna atau kata sandi salah."))
        self._check_second_factor(user, data.validated_data.get("otp", ""))
        profile = staff_profile(user)
        if not profile.is_staff_member:
            raise exceptions.PermissionDenied(_("Akun ini tidak memiliki SK penugasan yang aktif."))
        _token, key = StaffToken.objects.issue(user, data.validated_data.get("name", ""))
        return Response({"token": key, "username": user.get_username(), "roles": sorted(profile.roles)}, status=201)

    def _check_second_factor(self, user, code):
        """A token opens as much as the workspace, so it asks for the same second factor:
        the code when the account has one; none without one where the role requires it."""
        if twofactor.has_second_factor(user):
            if not code:
                raise exceptions.AuthenticationFailed(
                    _("Akun ini memakai verifikasi dua langkah: kirim juga kodenya di field otp."), code="otp_required"
                )
            device, wait = twofactor.check_code(user, code)
            if device is None and wait:
                raise exceptions.Throttled(wait=wait)
            if device is None:
                raise exceptions.AuthenticationFailed(
                    _("Kode verifikasi dua langkah salah atau sudah kedaluwarsa."), code="otp_invalid"
                )
        elif twofactor.is_required(user):
            message = _("Peran Anda wajib memakai verifikasi dua langkah. Pasang dulu di ruang kerja (Akun).")
            raise exceptions.PermissionDenied(message, code="otp_setup_required")


class RevokeTokenView(ApiView):
    @extend_schema(
        tags=["auth"], summary="Cabut token yang sedang dipakai", request=None, responses={204: None, **ERRORS}
    )
    def post(self, request):
        token = request.auth
        if isinstance(token, StaffToken):
            StaffToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        return Response(status=204)


# ---------------------------------------------------------------------------- lists


def _filter_form(form_class, request):
    return check(form_class(request.query_params))


class ReportListView(ApiView):
    pagination_class = PageNumberPagination

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = self.pagination_class()
        return self._paginator

    @extend_schema(
        tags=TAG,
        summary="Daftar laporan yang boleh dilihat (filter seperti kotak masuk)",
        parameters=parameters_for(ws_forms.ReportFilterForm),
        responses={200: s.ReportListSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        form = _filter_form(ws_forms.ReportFilterForm, request)
        reports = (
            form.apply(access.reports_visible_to(request.user))
            .select_related("category__parent", "region")
            .with_current_deadline()
            .order_by(F("current_deadline").asc(nulls_last=True), "received_at", "pk")
        )
        page = self.paginator.paginate_queryset(reports, request, view=self)
        for report in page:
            report.shown_words = access.words_for(request.user, report)
        data = s.ReportListSerializer(page, many=True, context={"now": timezone.now()}).data
        return self.paginator.get_paginated_response(data)


class DispositionListView(ReportListView):
    @extend_schema(
        tags=TAG,
        summary="Daftar disposisi ke perangkat daerah pengguna (semua untuk koordinator)",
        parameters=parameters_for(ws_forms.DispositionFilterForm),
        responses={200: s.DispositionSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        form = _filter_form(ws_forms.DispositionFilterForm, request)
        rows = (
            form.apply(access.dispositions_visible_to(request.user))
            .with_next_due()
            .select_related("report", "agency")
            .open_first()
            .order_by("closed_rank", F("next_due").asc(nulls_last=True), "created_at", "pk")
        )
        page = self.paginator.paginate_queryset(rows, request, view=self)
        return self.paginator.get_paginated_response(s.DispositionSerializer(page, many=True).data)


# ---------------------------------------------------------------------------- one report


def report_detail(request, report):
    """The staff view of one report; the reporter's identity only where reports/access.py
    allows it, never an anonymous reporter's (the workspace's reveal button has no API
    counterpart), and every showing is recorded as an IdentityRead."""
    user = request.user
    report = access.reports_visible_to(user).select_related("category", "region").with_deadline().get(pk=report.pk)
    dispositions = list(report.dispositions.select_related("agency", "report"))
    report.disposition_list = dispositions
    report.event_list = list(report.events.select_related("actor", "agency"))
    report.attachment_list = list(report.attachments.all())
    report.allowed_list = sorted(access.allowed_actions_for(user, report, dispositions).actions)
    show_identity = access.can_see_identity(user, report) and not report.is_anonymous
    if show_identity:
        access.record_identity_read(user, report)
    reading = access.reading_for(user, report)
    report.shown_words = report.words(masked=reading.masked)
    for event in report.event_list:
        event.shown_message = reading.text(event.message)
    context = {"now": timezone.now(), "show_identity": show_identity}
    return s.ReportDetailSerializer(report, context=context).data


class ReportDetailView(ApiView):
    @extend_schema(tags=TAG, summary="Satu laporan", responses={200: s.ReportDetailSerializer, **ERRORS})
    def get(self, request, pk):
        return Response(report_detail(request, access.get_report_for(request.user, pk)))


class DispositionDetailView(ApiView):
    @extend_schema(tags=TAG, summary="Satu disposisi", responses={200: s.DispositionSerializer, **ERRORS})
    def get(self, request, pk):
        return Response(s.DispositionSerializer(access.get_disposition_for(request.user, pk)).data)


class AttachmentView(ApiView):
    @extend_schema(
        tags=TAG,
        summary="Unduh lampiran",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            302: OpenApiResponse(
                description="Berkas di penyimpanan objek (ADUAN_S3_BUCKET): Location adalah URL bertanda tangan "
                "yang berlaku ADUAN_S3_URL_SECONDS detik."
            ),
            **ERRORS,
        },
    )
    def get(self, request, pk):
        item = get_object_or_404(Attachment, pk=pk)
        access.get_report_for(request.user, item.report_id)  # the workspace's own check
        # Http404 (a file gone from the disk) becomes the API's own 404.
        return uploads.serve_stored(
            item.file.storage, item.file.name, name=item.original_name, content_type=item.content_type
        )


# ---------------------------------------------------------------------------- actions

# API name → (workspace form, action, summary); the same pairs as workspace/report_views.py ACTIONS.
REPORT_ACTIONS = {
    "verify": (ws_action_forms.VerifyForm, actions.verify_report, "Verifikasi (dan klasifikasi)"),
    "verify-dispose": (
        ws_action_forms.VerifyDisposeForm,
        actions.verify_and_dispose,
        "Verifikasi dan disposisikan dalam satu langkah",
    ),
    "classify": (ws_action_forms.ClassifyForm, actions.classify_report, "Klasifikasi ulang"),
    "hold": (ws_action_forms.HoldForm, actions.hold_report, "Tunda dan tanya pelapor"),
    "archive": (ws_action_forms.ArchiveForm, actions.archive_report, "Arsipkan"),
    "dispose": (ws_action_forms.DisposeForm, actions.dispose_report, "Disposisikan ke perangkat daerah"),
    "close": (ws_action_forms.CloseForm, actions.close_report, "Tutup laporan"),
    "answer-objection": (ws_action_forms.AnswerObjectionForm, actions.answer_objection, "Tanggapi keberatan"),
    "note": (ws_action_forms.NoteForm, actions.add_internal_note, "Catatan internal"),
    "extend": (ws_action_forms.ExtendForm, actions.extend_information_request, "Perpanjang tenggat informasi"),
}

DISPOSITION_ACTIONS = {
    "follow-up": (
        ws_action_forms.FollowUpForm,
        actions.post_follow_up,
        "Tindak lanjut (untuk pelapor, publik, atau catatan petugas)",
    ),
    "finish": (ws_action_forms.FinishForm, actions.finish_disposition, "Tandai disposisi selesai"),
    "return": (ws_action_forms.ReturnForm, actions.return_disposition, "Kembalikan: bukan wewenang"),
}


def _camel(name):
    return "".join(part.title() for part in name.split("-"))


def _body(form_class, name):
    request_serializer = serializer_for(form_class, name)
    if "attachments" in form_class.base_fields:
        return {"application/json": request_serializer, "multipart/form-data": request_serializer}
    return request_serializer


@dataclass(frozen=True)
class _Target:
    """What an action view acts on: how it loads it (through the access helper, as the
    workspace's action views do), the names in the schema, and what it answers."""

    prefix: str  # of the schema's names: "Staff…Request", "Disposition…View"
    operation: str  # of the operation ids
    serializer: type
    load: Callable  # (user, pk) -> the report or disposition, or 404/403
    answer: Callable  # (request, target, result) -> the response's data
    government: Callable = operator.attrgetter("government_id")  # (target) -> its government's id


def _report_answer(request, report, result):
    return report_detail(request, report)


def _referral_answer(request, report, result):
    """Refer and give back: the report leaves the actor's government, so the answer is the
    referral, not the report (which the actor no longer reads as before)."""
    referral = (
        Referral.objects.filter(report=report)
        .select_related("report", "from_government", "to_government")
        .latest("referred_at", "pk")
    )
    return s.ReferralSerializer(referral).data


def _disposition_answer(request, disposition, result):
    return s.DispositionSerializer(access.get_disposition_for(request.user, disposition.pk)).data


def _unit_answer(request, disposition, result):
    """Dispose down and return up inside one government (reports/actions/units.py): the
    disposition the action made or ended — the unit's new one, or the unit's returned one
    (which the unit reads no more afterwards)."""
    return s.DispositionSerializer(result).data


def _load_report(user, pk):
    return access.get_report_for(user, pk, write=True)  # as workspace report_action


REPORT = _Target("Staff", "staff_report", s.ReportDetailSerializer, _load_report, _report_answer)
REFERRAL = _Target("Staff", "staff_report", s.ReferralSerializer, _load_report, _referral_answer)
_to_act_on = access.get_disposition_to_act_on


def _disposition_government(disposition):
    return disposition.report.government_id


DISPOSITION = _Target(
    "Disposition",
    "staff_disposition",
    s.DispositionSerializer,
    _to_act_on,
    _disposition_answer,
    _disposition_government,
)
UNIT = _Target(
    "Disposition", "staff_disposition", s.DispositionSerializer, _to_act_on, _unit_answer, _disposition_government
)


def _action_view(target, name, form_class, action, summary):
    """One action of the staff API: the workspace's form and action on the report or
    disposition the access helper hands out, the form's choices narrowed as the workspace
    narrows them (the report's government's categories, agencies and kelurahan; a unit of
    the disposition's agency; another government to refer to)."""

    class View(ApiView):
        @extend_schema(
            tags=TAG,
            summary=summary,
            request=_body(form_class, f"{target.prefix}{_camel(name)}Request"),
            responses={200: target.serializer, **ACTION_ERRORS},
            operation_id=f"{target.operation}_{name.replace('-', '_')}",
        )
        def post(self, request, pk):
            loaded = target.load(request.user, pk)
            form = form_class(form_data(request), request.FILES)
            ws_forms.for_governments(form, target.government(loaded))
            if hasattr(form, "bind_to"):
                form.bind_to(loaded)
            check(form)
            result = action(loaded, actor=request.user, **form.cleaned_data)
            return Response(target.answer(request, loaded, result))

    View.__name__ = View.__qualname__ = f"{target.prefix}{_camel(name)}View"
    return View


# Forward to one of the agency's units, and the unit's return to its agency.
UNIT_ACTIONS = {
    "forward-to-unit": (ws_action_forms.ForwardToUnitForm, actions.forward_to_unit, "Teruskan ke unit"),
    "return-to-agency": (
        ws_action_forms.ReturnToAgencyForm,
        actions.return_to_agency,
        "Kembalikan ke perangkat daerah (unit ke perangkat daerahnya)",
    ),
}

# Refer across governments of the installation, and the receiver's return.
REFERRAL_ACTIONS = {
    "refer": (ws_action_forms.ReferForm, actions.refer_report, "Rujuk ke pemerintah daerah lain di instalasi ini"),
    "return-referral": (ws_action_forms.ReturnReferralForm, actions.return_referral, "Kembalikan rujukan"),
}

REPORT_ACTION_VIEWS = {
    **{name: _action_view(REPORT, name, *spec) for name, spec in REPORT_ACTIONS.items()},
    **{name: _action_view(REFERRAL, name, *spec) for name, spec in REFERRAL_ACTIONS.items()},
}
DISPOSITION_ACTION_VIEWS = {
    **{name: _action_view(DISPOSITION, name, *spec) for name, spec in DISPOSITION_ACTIONS.items()},
    **{name: _action_view(UNIT, name, *spec) for name, spec in UNIT_ACTIONS.items()},
}
