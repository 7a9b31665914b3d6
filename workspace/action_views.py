"""The report page's actions: each POST runs one action of ``report_views.ACTIONS``
through ``_run`` (the page's version checked with the report locked); a refused one
renders the report page again with its form as typed."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.roles import staff_required
from core.errors import DomainError, InvalidTransition, NotAllowed
from reports import access
from reports.models import Report
from workspace.forms import for_governments
from workspace.lists import following_ids, next_report, origin_of, report_url
from workspace.report_views import ACTIONS, Rejected, auto_id, changes_since, report_page


def _refusal_status(error):
    """The API's answer to the same refusal (api/errors.py)."""
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, InvalidTransition):
        return 409
    return 400


def _run(request, target, report_pk, slug, spec):
    """Done: to the next report of the list the page came from (when there is one and the
    action finished the work here), else back to the report page (post/redirect/get).
    Refused: the report page again, with this form as typed and the reasons beside its
    fields; nothing is stored.

    Stale: when someone else changed the report after the page that sent the form was
    loaded (its ``version``), nothing is done: 409, and the page lists what changed. The
    report's row stays locked from that check through the action, so no change slips in
    between."""
    form = spec.form(request.POST, request.FILES, auto_id=auto_id(slug))
    report = target.report if hasattr(target, "report") else target
    for_governments(form, report.government_id)
    if hasattr(form, "bind_to"):
        form.bind_to(target)  # choices that depend on the object acted on
    origin = origin_of(request)
    status = 400
    stale = []
    if form.is_valid():
        # The list's order before the action moves this report out of it.
        following = following_ids(request.user, origin, report_pk) if origin and not spec.stays else None
        try:
            with transaction.atomic():
                Report.objects.select_for_update(of=("self",)).filter(pk=report_pk).first()
                stale = changes_since(request.user, report_pk, request.POST.get("version", ""))
                if not stale:
                    spec.perform(target, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            status = _refusal_status(error)
        else:
            if not stale:
                return _after_action(request, report_pk, spec, origin, following)
            form.add_error(
                None,
                _(
                    "Laporan ini diubah orang lain sejak Anda membukanya; tindakan Anda belum dijalankan. "
                    "Periksa perubahannya, lalu kirim lagi bila masih perlu."
                ),
            )
            status = 409
    # Loaded again: the refused action may have touched the objects it was given.
    report = access.get_report_for(request.user, report_pk)
    return report_page(request, report, rejected=Rejected(slug, form), stale_events=stale, status=status)


def _after_action(request, report_pk, spec, origin, following):
    if following is None:
        messages.success(request, spec.done)
        if spec.leaves:
            return redirect(origin.url if origin else "workspace:inbox")
        return redirect(report_url(report_pk, origin))
    done = Report.objects.values_list("tracking_number", flat=True).get(pk=report_pk)
    messages.success(request, f"{done}: {spec.done}")
    next_pk = next_report(request.user, origin, following)
    if next_pk is None:
        messages.info(request, _("Tidak ada laporan berikutnya di daftar ini."))
        return redirect(origin.url)
    return redirect(report_url(next_pk, origin))


@staff_required
@require_POST
def report_action(request, pk, action):
    spec = ACTIONS.get(action)
    if spec is None or spec.on_disposition:
        raise Http404
    report = access.get_report_for(request.user, pk, write=True)
    return _run(request, report, report.pk, action, spec)


@staff_required
@require_POST
def disposition_action(request, pk, action):
    spec = ACTIONS.get(action)
    if spec is None or not spec.on_disposition:
        raise Http404
    disposition = access.get_disposition_to_act_on(request.user, pk)
    return _run(request, disposition, disposition.report_id, action, spec)
