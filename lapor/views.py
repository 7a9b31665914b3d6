"""Staff pages of the SP4N-LAPOR! bridge under /kerja/lapor/: import (upload → dry-run
preview → confirm), the unmapped values with proposals, export, and referrals. Views
parse with lapor/forms.py, load reports through reports/access.py and change state only
through lapor/actions.py and lapor/jobs.py."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from agencies.models import Agency
from agencies.roles import coordinator_required, staff_required
from core.dbrouter import replica_reads
from core.errors import DomainError
from lapor import actions, exporter, jobs, proposals
from lapor.forms import ExportForm, MappingForm, ReferredForm, UploadForm
from lapor.models import AgencyMapping, CategoryMapping, ImportJob, Referral, StatusMapping
from lapor.reader import LaporFileError
from reports import access
from reports.models import Category, Disposition

RECENT_JOBS = 10


def _queue():
    return [
        (_("Status"), StatusMapping.objects.unmapped().count(), "admin:lapor_statusmapping_changelist"),
        (_("Kategori"), CategoryMapping.objects.unmapped().count(), "admin:lapor_categorymapping_changelist"),
        (_("Instansi"), AgencyMapping.objects.unmapped().count(), "admin:lapor_agencymapping_changelist"),
    ]


@coordinator_required
def import_page(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.create_import_job(actor=request.user, upload=form.cleaned_data["file"])
        except LaporFileError as problem:
            error = problem.message
        else:
            return redirect("lapor:import_job", pk=job.pk)
    # A preview lists every superseded row: not loaded for the list.
    recent = ImportJob.objects.select_related("uploaded_by").defer("preview", "result")[:RECENT_JOBS]
    return render(
        request,
        "lapor/import.html",
        {"form": form, "error": error, "jobs": recent, "queue": _queue()},
        status=400 if request.method == "POST" else 200,
    )


@coordinator_required
def import_job(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("uploaded_by"), pk=pk)
    summary = job.result if job.state in (ImportJob.State.IMPORTED, ImportJob.State.FAILED) else job.preview
    running = job.state in (ImportJob.State.CHECKING, ImportJob.State.IMPORTING)
    context = {"job": job, "summary": summary, "running": running}
    if request.headers.get("HX-Request"):
        # htmx polls the status while the worker runs; once it is done the whole page is
        # loaded again (state, summary and buttons), which also ends the polling.
        response = render(request, "lapor/_job_status.html", context)
        if not running:
            response["HX-Refresh"] = "true"
        return response
    return render(request, "lapor/import_job.html", {**context, "queue": _queue()})


@require_POST
@coordinator_required
def import_confirm(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    if jobs.confirm_import_job(job, actor=request.user):
        messages.success(request, _("Impor dimulai. Halaman ini menampilkan hasilnya setelah selesai."))
    else:
        messages.error(request, _("Impor ini sudah dikonfirmasi atau dibatalkan."))
    return redirect("lapor:import_job", pk=job.pk)


@require_POST
@coordinator_required
def import_discard(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    if jobs.discard_import_job(job, actor=request.user):
        messages.success(request, _("Impor dibatalkan; berkasnya dihapus."))
    return redirect("lapor:import")


def _options(categories, agencies):
    return {
        "category": [(category.pk, str(category)) for category in categories],
        "agency": [(a.pk, f"{a.name} ({a.short_name})" if a.short_name else a.name) for a in agencies],
    }


@coordinator_required
def mappings(request):
    """The LAPOR! categories and agencies nobody has mapped yet, each with a proposal (by
    name, abbreviation or the reports' texts: lapor/proposals.py); one form accepts every
    ticked one, and the reports already imported are filled in the background."""
    categories = list(Category.objects.filter(is_active=True).select_related("parent").order_by("parent__name", "name"))
    agencies = list(Agency.objects.filter(is_active=True).order_by("name"))
    rows = proposals.unmapped(categories=categories, agencies=agencies)
    data = request.POST if request.method == "POST" else None  # an empty POST is still a POST
    form = MappingForm(data, proposals=rows["category"] + rows["agency"], targets=_options(categories, agencies))
    if request.method == "POST" and form.is_valid():
        try:
            count = actions.accept_mappings(actor=request.user, choices=form.cleaned_data["choices"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d nilai dipetakan. Laporan yang sudah diimpor dilengkapi di latar belakang.",
                    "%(n)d nilai dipetakan. Laporan yang sudah diimpor dilengkapi di latar belakang.",
                    count,
                )
                % {"n": count},
            )
            return redirect("lapor:mappings")
    sections = [
        ("category", _("Kategori"), [row for row in form.rows if row[0].kind == "category"]),
        ("agency", _("Instansi"), [row for row in form.rows if row[0].kind == "agency"]),
    ]
    context = {"form": form, "sections": sections, "statuses": StatusMapping.objects.unmapped()}
    return render(request, "lapor/mappings.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@coordinator_required
def mappings_fill(request):
    actions.schedule_fill(actor=request.user)
    messages.success(request, _("Laporan yang sudah diimpor dilengkapi menurut pemetaan, di latar belakang."))
    return redirect("lapor:mappings")


@staff_required
@replica_reads
def export(request):
    form = ExportForm(request.GET or None, user=request.user)
    if "format" in request.GET and form.is_valid():
        data = form.cleaned_data
        start = timezone.make_aware(timezone.datetime.combine(data["received_from"], timezone.datetime.min.time()))
        end = timezone.make_aware(timezone.datetime.combine(data["received_to"], timezone.datetime.max.time()))
        reports = access.reports_visible_to(request.user).filter(received_at__gte=start, received_at__lte=end)
        agency = data.get("agency")
        if agency is not None:
            reports = reports.filter(Exists(Disposition.objects.filter(report=OuterRef("pk"), agency=agency)))
        period = f"{data['received_from']:%d-%m-%Y} s.d. {data['received_to']:%d-%m-%Y}"
        agency_name = agency.name if agency else exporter.default_agency_name(request.user)
        name = f"laporan-{data['received_from']:%Y%m%d}-{data['received_to']:%Y%m%d}"
        if data["format"] == "csv":
            body = exporter.write_csv(request.user, reports, agency_name=agency_name, period_text=period)
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            name += ".csv"
        else:
            body = exporter.write_xlsx(request.user, reports, agency_name=agency_name, period_text=period)
            response = HttpResponse(
                body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            name += ".xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "lapor/export.html", {"form": form})


@coordinator_required
def referrals(request):
    actions.backfill_referrals()
    rows = Referral.objects.select_related("report", "referred_by").order_by("state", "-created_at")[:200]
    return render(request, "lapor/referrals.html", {"rows": rows})


@coordinator_required
def referral(request, pk):
    """The referral with the text to copy into SP4N-LAPOR! (the reporter's identity is in
    it, so opening the page is an audited identity read) and the "dirujuk" form."""
    item = get_object_or_404(Referral.objects.select_related("report__category__parent", "report__region"), pk=pk)
    form = ReferredForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.mark_referred(item, actor=request.user, lapor_tracking_id=form.cleaned_data["lapor_tracking_id"])
        except DomainError as error:
            form.add_error("lapor_tracking_id", error.message)
        else:
            messages.success(request, _("Laporan ditandai sudah dirujuk ke SP4N-LAPOR!."))
            return redirect("lapor:referrals")
    access.record_identity_read(request.user, item.report)
    return render(
        request,
        "lapor/referral.html",
        {"item": item, "text": actions.referral_text(item.report), "form": form},
        status=400 if request.method == "POST" else 200,
    )
