"""Staffing pages in the workspace: SK coverage (``/kerja/staf/cakupan-sk/``) and the
workload of open dispositions with reassignment (``/kerja/staf/beban-kerja/``).

Who sees what:
- coverage and the signed decree documents: coordinators, executives and the system
  administrator;
- workload: coordinators and executives see every agency, an agency's liaisons, operators
  and head see their own; executives only read; assigning goes through
  staffing.actions.assign_disposition, which checks the actor again.
"""

from collections import Counter, defaultdict

from django.contrib import messages
from django.db.models import Count, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Agency, Appointment, Decree
from agencies.roles import guard, is_administrator, staff_profile
from agencies.storage import decree_documents
from core import uploads
from core.errors import DomainError
from reports.models import Disposition
from staffing import actions
from staffing import coverage as coverage_rules
from staffing.forms import AssignForm, WorkloadFilterForm

LIST_LIMIT = 300


# SK coverage: coordinators, executives and the system administrator (who keeps the decrees).
coverage_reader_required = guard("coverage-reader", lambda profile: profile.sees_everything, administrators=True)


@coverage_reader_required
def coverage(request):
    # The administrator keeps every government's decrees; staff read their government's.
    profile = staff_profile(request.user)
    government_ids = None if is_administrator(request.user) else profile.overseen_government_ids
    rows = coverage_rules.coverage(government_ids=government_ids)
    counts = Counter(row.status for row in rows)
    context = {
        "rows": rows,
        "counts": counts,
        "attention": counts["missing"] + counts["expiring"],
        "horizon": coverage_rules.HORIZON_DAYS,
    }
    return render(request, "staffing/coverage.html", context)


@coverage_reader_required
def decree_document(request, name):
    """A signed decree document, for whoever may read SK coverage. Only names recorded on a
    decree or an appointment are served, so the URL cannot reach any other stored file."""
    if not (Decree.objects.filter(document=name).exists() or Appointment.objects.filter(decree_document=name).exists()):
        raise Http404
    # PDFs (checked for scripts when uploaded) open in the browser's viewer (no CSP sandbox,
    # which would stop it); anything else (an old upload) is only downloaded, as bytes the
    # browser must not sniff into a page. From a bucket: a signed URL (core/uploads.py).
    is_pdf = name.lower().endswith(".pdf")
    return uploads.serve_stored(
        decree_documents().backend,
        name,
        name=name.rsplit("/", 1)[-1],
        content_type="application/pdf" if is_pdf else "application/octet-stream",
        inline=is_pdf,
        sandbox=False,
    )


# The workload page: the whole city, or one's own agencies.
workload_required = guard("workload", lambda profile: profile.sees_everything or bool(profile.reading_agency_ids))


def _visible_agencies(profile):
    agencies = Agency.objects.filter(is_active=True)
    if profile.sees_everything:
        # Their government's agencies and people, nobody else's (the tenancy rule).
        return agencies.filter(government_id__in=profile.overseen_government_ids)
    return agencies.filter(pk__in=profile.reading_agency_ids)


def _doers_by_agency(agency_ids):
    """agency id → [people who may work on its dispositions now], by name."""
    found = defaultdict(dict)
    appointments = (
        Appointment.objects.active()
        .filter(agency_id__in=agency_ids, role__in=actions.DOER_ROLES, person__is_active=True)
        .select_related("person")
        .order_by("person__first_name", "person__username")
    )
    for appointment in appointments:
        found[appointment.agency_id][appointment.person.pk] = appointment.person
    return {agency_id: list(people.values()) for agency_id, people in found.items()}


@workload_required
def workload(request):
    """Open dispositions per agency and per person, oldest first, with a reassign form
    for the coordinator and the agency's own staff."""
    profile = staff_profile(request.user)
    agencies = _visible_agencies(profile)
    form = WorkloadFilterForm(request.GET, agencies=agencies)
    selected = form.cleaned_data.get("agency") if form.is_valid() else None
    now = timezone.now()
    open_work = Disposition.objects.open().filter(agency__in=agencies)
    overdue = Disposition.objects.overdue(now).filter(pk__in=open_work.values("pk"))
    per_agency = list(
        open_work.values("agency_id", "agency__name", "agency__short_name")
        .annotate(
            total=Count("pk"),
            unassigned=Count("pk", filter=Q(assignment__isnull=True)),
            overdue=Count("pk", filter=Q(pk__in=overdue.values("pk"))),
            oldest=Min("created_at"),
        )
        .order_by("oldest")
    )
    per_person = list(
        open_work.filter(assignment__isnull=False)
        .values(
            "agency_id",
            "agency__short_name",
            "agency__name",
            "assignment__person__username",
            "assignment__person__first_name",
            "assignment__person__last_name",
        )
        .annotate(total=Count("pk"), oldest=Min("created_at"))
        .order_by("agency__name", "oldest")
    )
    items = (
        (open_work.filter(agency=selected) if selected else open_work)
        .with_next_due()
        .select_related("report__category__parent", "agency", "assignment__person")
        .order_by("created_at", "pk")[:LIST_LIMIT]
    )
    items = list(items)
    doers = _doers_by_agency({item.agency_id for item in items})
    for item in items:
        item.candidates = doers.get(item.agency_id, [])
        # The same rule as the action's (executives read only).
        item.can_assign = profile.is_coordinator or item.agency_id in profile.reading_agency_ids
        item.overdue_now = bool(item.next_due and item.next_due < now)
    context = {
        "form": form,
        "selected": selected,
        "per_agency": per_agency,
        "per_person": per_person,
        "items": items,
        "limit": LIST_LIMIT,
    }
    return render(request, "staffing/workload.html", context)


@require_POST
@workload_required
def assign(request, pk):
    profile = staff_profile(request.user)
    disposition = get_object_or_404(
        Disposition.objects.select_related("agency"), pk=pk, agency__in=_visible_agencies(profile)
    )
    form = AssignForm(request.POST, candidates=_doers_by_agency([disposition.agency_id]).get(disposition.agency_id, []))
    back = request.POST.get("next") or reverse("staffing:workload")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("staffing:workload")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        actions.assign_disposition(disposition, actor=request.user, person=form.cleaned_data["person"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        person = form.cleaned_data["person"]
        messages.success(
            request,
            _("Disposisi %(number)s ditugaskan kepada %(name)s.")
            % {"number": disposition.report.tracking_number, "name": person.get_full_name() or person.get_username()}
            if person
            else _("Disposisi %(number)s dikembalikan ke antrean perangkat daerah.")
            % {"number": disposition.report.tracking_number},
        )
    return redirect(back)
