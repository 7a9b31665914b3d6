"""The staff workspace's lists: the start page, the coordinator's inbox (its views, saved
filters and new-report banner), every report the user may see, an agency's dispositions,
and the channel recap. The report page and its actions are in report_views.py and
action_views.py, bulk actions of the inbox in bulk_views.py, manual entry in
entry_views.py.

Views load through reports/access.py, parse with workspace forms, call reports/actions/
and redirect or render.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import F, Max, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.roles import city_reader_required, staff_profile, staff_required
from governments.models import several_governments
from reports import access
from reports.models import Disposition, Report, ReportEvent, Status
from workspace import action_forms, forms, inbox_views, recap
from workspace.lists import listed_reports
from workspace.models import SavedFilter
from workspace.paging import page_of_rows

PAGE_SIZE = 50
# "More than 200" is as useful as "more than 1,000" for a search (it is narrowed, not paged).
SEARCH_COUNT_CAP = 200


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


class LoginView(auth_views.LoginView):
    """Django's login page, named like every other page (aduan/context_processors.py: the
    government of the host name it is on, else the installation), not after the request's
    host, which is what LoginView puts in ``site_name``."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.pop("site_name", None)
        return context


@staff_required
def home(request):
    profile = staff_profile(request.user)
    if profile.is_coordinator:
        return redirect("workspace:inbox")
    if profile.reading_agency_ids:
        return redirect("workspace:dispositions")
    return redirect("workspace:reports")


# ---------------------------------------------------------------------------- report lists


def _report_list(request, *, queue):
    """The coordinator's queue (``queue``: received and verified by default) or every report
    the user may see."""
    visible = access.reports_visible_to(request.user)
    form, reports = listed_reports(request.user, request.GET, queue=queue)
    reports = reports.select_related("category__parent", "region", "owner")
    # A word search counts its matches to SEARCH_COUNT_CAP (each one is a row of the words'
    # index checked against the reader's access), the lists to COUNT_CAP.
    cap = SEARCH_COUNT_CAP if request.GET.get("q", "").strip() else None
    page = page_of_rows(reports, PAGE_SIZE, request.GET.get("page"), cap=cap)
    now = timezone.now()
    for report in page.object_list:
        # The clock stops on hold; a closed or archived report has no deadline left.
        report.deadline_overdue = bool(report.deadline and report.deadline < now and report.status != Status.ON_HOLD)
    context = {
        "form": form,
        "page": page,
        "queue": queue,
        "on_hold_count": visible.filter(status=Status.ON_HOLD).count() if queue else None,
    }
    if queue:
        # The newest report now: the list polls for reports after it (inbox_new).
        context["since"] = Report.objects.aggregate(last=Max("pk"))["last"] or 0
        if staff_profile(request.user).is_coordinator:
            version = ReportEvent.objects.aggregate(last=Max("pk"))["last"] or 0
            context["bulk_form"] = action_forms.BulkForm(
                user=request.user, auto_id="id_bulk_%s", initial={"version": version}
            )
    if _is_htmx(request):
        context["kelurahan_field"] = form.narrowed_kelurahan()
        return render(request, "workspace/_report_results.html", context)
    if queue:
        context["views"] = inbox_views.views_for(request.user, request.GET.urlencode())
        context["several_governments"] = several_governments()
        context["save_form"] = forms.SavedFilterForm(initial={"query": forms.filter_query(request.GET.urlencode())})
    return render(request, "workspace/inbox.html", context)


@staff_required
def inbox(request):
    if not staff_profile(request.user).sees_everything:
        return redirect("workspace:dispositions")
    return _report_list(request, queue=True)


@staff_required
def report_list(request):
    return _report_list(request, queue=False)


@city_reader_required
def inbox_view_counts(request):
    """The views' counts (an HTML fragment the inbox polls every 30 s)."""
    context = {"views": inbox_views.views_for(request.user, request.GET.urlencode())}
    return render(request, "workspace/_inbox_views.html", context)


@city_reader_required
def inbox_new(request):
    """How many reports of the inbox's current filters arrived after ``since`` (an HTML
    fragment the list polls every 30 s): a banner that shows them, or nothing."""
    query = request.GET.copy()
    since = query.pop("since", ["0"])[-1]
    since = int(since) if since.isdigit() and len(since) < 19 else 0
    new = inbox_views.queue(request.user, query.urlencode()).filter(pk__gt=since).count() if since else 0
    context = {"new_count": new, "since": since, "list_url": f"{reverse('workspace:inbox')}?{query.urlencode()}"}
    return render(request, "workspace/_inbox_new.html", context)


def back_to_inbox(request):
    """Where the inbox form came from (its filters and page), else the inbox."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("workspace:inbox")


@city_reader_required
@require_POST
def save_inbox_view(request):
    """Save the inbox's current filters under a name (the same name again: its filters
    are replaced)."""
    form = forms.SavedFilterForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back_to_inbox(request)
    if (
        not SavedFilter.objects.filter(owner=request.user, name=form.cleaned_data["name"]).exists()
        and SavedFilter.objects.filter(owner=request.user).count() >= inbox_views.MOST_SAVED
    ):
        messages.error(
            request, _("Paling banyak %(n)d tampilan tersimpan; hapus satu dulu.") % {"n": inbox_views.MOST_SAVED}
        )
        return back_to_inbox(request)
    saved, _created = SavedFilter.objects.update_or_create(
        owner=request.user, name=form.cleaned_data["name"], defaults={"query": form.cleaned_data["query"]}
    )
    messages.success(request, _("Tampilan “%(name)s” disimpan.") % {"name": saved.name})
    return redirect(f"{reverse('workspace:inbox')}?{saved.query}")


@city_reader_required
@require_POST
def delete_inbox_view(request, pk):
    # Only the owner's own: anyone else's is a 404, as if it did not exist.
    saved = get_object_or_404(SavedFilter, pk=pk, owner=request.user)
    saved.delete()
    messages.success(request, _("Tampilan “%(name)s” dihapus.") % {"name": saved.name})
    return redirect("workspace:inbox")


@staff_required
def dispositions(request):
    form = forms.for_user(forms.DispositionFilterForm(request.GET), request.user)
    rows = (
        form.apply(access.dispositions_visible_to(request.user))
        .with_next_due()
        .select_related("report__category__parent", "report__region", "agency", "parent__agency")
        # Where the agency forwarded it (its units' work), one query for the page.
        .prefetch_related(Prefetch("children", queryset=Disposition.objects.select_related("agency")))
        .open_first()
        .order_by("closed_rank", F("next_due").asc(nulls_last=True), "created_at", "pk")
    )
    context = {"form": form, "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))}
    if _is_htmx(request):
        return render(request, "workspace/_disposition_table.html", context)
    return render(request, "workspace/dispositions.html", context)


# ---------------------------------------------------------------------------- recaps


def _report_list_url(*, channel, statuses, period):
    params = [("channel", channel)] if channel else []
    params += [("status", status) for status in statuses]
    params += [(name, day.isoformat()) for name, day in period.items()]
    return f"{reverse('workspace:reports')}?{urlencode(params)}"


@staff_required
def channel_recap(request):
    """Reports received per channel and status group in a period (this month by default).
    Counts cover the reports the user may see, as the report list does, so an agency's
    staff count only what was disposed to their agency and every count matches the list
    its link opens."""
    form = forms.PeriodForm(request.GET)
    rows = totals = None
    if form.is_valid():
        period = {name: form.cleaned_data[name] for name in ("received_from", "received_to")}
        reports = forms.received_between(access.reports_visible_to(request.user), *period.values())
        rows, totals = recap.channel_recap(reports)
        for row in [*rows, totals]:
            for cell in [*row.cells, row.total]:
                cell.url = _report_list_url(channel=row.channel, statuses=cell.statuses, period=period)
    context = {
        "form": form,
        "rows": rows,
        "totals": totals,
        "groups": [label for label, _statuses in recap.STATUS_GROUPS.values()],
    }
    return render(request, "workspace/channel_recap.html", context)
