"""Reports this government referred to another government of the installation (issue 20,
"Refer across governments"): the list "Dirujuk ke pemerintah lain" and each report's
read-only page — its progress and what the reporter reads, never an action, never the
receiver's internal notes (reports/access.py ``referred_out_by``, ``referred_history_for``)."""

from django.db.models import Prefetch
from django.shortcuts import render

from agencies.roles import city_reader_required
from reports import access
from reports.models import Referral
from workspace.paging import page_of_rows

PAGE_SIZE = 50


def _active_referrals(user):
    ids = access.staff_profile(user).overseen_government_ids
    return Prefetch(
        "referrals",
        queryset=Referral.objects.active()
        .filter(from_government_id__in=ids)
        .select_related("to_government", "referred_by")
        .order_by("-referred_at", "-pk"),
        to_attr="referred_out",
    )


@city_reader_required
def referred_out(request):
    reports = (
        access.referred_out_by(request.user)
        .select_related("government", "category")
        .prefetch_related(_active_referrals(request.user))
        .order_by("-updated_at", "-pk")
    )
    page = page_of_rows(reports, PAGE_SIZE, request.GET.get("page"))
    return render(request, "workspace/referred_out.html", {"page": page})


@city_reader_required
def referred_report(request, pk):
    report = access.get_referred_for(request.user, pk)
    referral = (
        Referral.objects.active()
        .filter(report=report, from_government_id__in=access.staff_profile(request.user).overseen_government_ids)
        .select_related("to_government", "referred_by")
        .order_by("-referred_at", "-pk")
        .first()
    )
    context = {
        "report": report,
        "referral": referral,
        "headline": report.headline(masked=True),
        "events": access.referred_history_for(request.user, report),
        # The referring government reads the report as the public does: masked words.
        "reading": access.reading_for(request.user, report),
    }
    return render(request, "workspace/referred_report.html", context)
