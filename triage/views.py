"""The coordinator's triage buttons on a report page (apply a suggestion, merge a likely
duplicate, say a likely duplicate is not the same problem) and the page of how good the
suggestions have been. Thin: load through reports/access.py, call triage/actions.py (or
read triage/quality.py), redirect back or render."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.roles import coordinator_required
from core.errors import DomainError
from reports import access
from triage import actions, calibration, quality, store
from triage.forms import MergeForm, RejectDuplicateForm
from triage.models import Suggestion


@coordinator_required
@require_POST
def accept_suggestion(request, pk, rank):
    report = access.get_report_for(request.user, pk, write=True)
    suggestion = get_object_or_404(Suggestion.objects.select_related("report", "category"), report=report, rank=rank)
    try:
        actions.accept_suggestion(suggestion, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Kategori saran diterapkan: %(category)s.") % {"category": suggestion.category})
    return redirect("workspace:report", pk=report.pk)


def _pair(request, pk, form_class, field, missing):
    """The report (to act on) and the other report of a pair form's ``field``, both loaded
    through reports/access.py; or the redirect back with the form's errors / ``missing``."""
    report = access.get_report_for(request.user, pk, write=True)
    back = redirect("workspace:report", pk=report.pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return report, None, form, back
    try:
        other = access.get_report_for(request.user, form.cleaned_data[field])
    except Http404:
        messages.error(request, missing)
        return report, None, form, back
    return report, other, form, back


@coordinator_required
@require_POST
def merge_duplicate(request, pk):
    report, original, form, back = _pair(request, pk, MergeForm, "original", _("Laporan asli tidak ditemukan."))
    if original is None:
        return back
    try:
        actions.merge_duplicate(report, actor=request.user, original=original, message=form.cleaned_data["message"])
    except DomainError as error:
        messages.error(request, error.message)
        return back
    messages.success(
        request,
        _("Laporan digabungkan ke %(number)s; pelapornya ikut menerima kabar laporan asli.")
        % {"number": original.tracking_number},
    )
    return redirect("workspace:report", pk=original.pk)


@coordinator_required
@require_POST
def reject_duplicate(request, pk):
    """ "Bukan masalah yang sama" on one of the report's likely duplicates."""
    report, candidate, _form, back = _pair(
        request, pk, RejectDuplicateForm, "candidate", _("Laporan itu tidak ditemukan.")
    )
    if candidate is None:
        return back
    try:
        actions.reject_duplicate(report, actor=request.user, candidate=candidate)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(number)s dicatat bukan masalah yang sama dan tidak lagi disarankan sebagai duplikat.")
            % {"number": candidate.tracking_number},
        )
    return back


@coordinator_required
def suggestion_quality(request):
    """Accepted against overridden suggestions of the last 30 days, per suggested category,
    over the reports this coordinator may see; and the model's age and the decisions since;
    and the likely duplicates merged against said not the same, with the threshold in use."""
    model = store.current_model()
    trained_at = actions.model_trained_at(model)
    context = {
        "quality": quality.suggestion_quality(access.reports_visible_to(request.user)),
        "days": quality.DAYS,
        "model": model,
        "trained_at": trained_at,
        "decisions_since_model": quality.decisions_since(trained_at),
        "retrain_after": settings.ADUAN_TRIAGE_RETRAIN_DECISIONS,
        "duplicates": quality.duplicate_decisions(access.reports_visible_to(request.user)),
        "calibration": calibration.current(),
    }
    return render(request, "triage/quality.html", context)
