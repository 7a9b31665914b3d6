"""Bulk actions of the coordinator's inbox: one action on the chosen reports, each through
the same action as on its own page, in its own transaction."""

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from agencies.roles import coordinator_required
from core.errors import DomainError
from reports import actions
from reports.models import Report
from workspace import action_forms
from workspace.report_views import changes_since
from workspace.views import back_to_inbox

# Bulk operation → the action every chosen report goes through, its arguments from the
# form, and what the summary says of the reports it was done to.
BULK = {
    action_forms.BulkForm.ARCHIVE_SPAM: (
        actions.archive_report,
        lambda data: {"reason": "spam"},
        gettext_lazy("Diarsipkan sebagai spam"),
    ),
    action_forms.BulkForm.ARCHIVE_DUPLICATE: (
        actions.archive_report,
        lambda data: {"reason": "duplicate", "duplicate_of": data["duplicate_of"]},
        gettext_lazy("Diarsipkan sebagai duplikat"),
    ),
    action_forms.BulkForm.DISPOSE: (
        actions.dispose_report,
        lambda data: {"lead_agency": data["lead_agency"]},
        gettext_lazy("Didisposisikan"),
    ),
    action_forms.BulkForm.ASSIGN: (
        actions.assign_report,
        lambda data: {"owner": data["owner"]},
        gettext_lazy("Ditugaskan"),
    ),
}


def _unless_changed(perform, user, version):
    """``perform``, but refused for a report someone other than ``user`` changed after event
    ``version`` (the list's newest when it was drawn), as a single action on the report page
    is: its row locked from the check through the action (apply_to_each's transaction)."""
    if version is None:
        return perform

    def checked(report, **arguments):
        Report.objects.select_for_update(of=("self",)).filter(pk=report.pk).first()
        if changes_since(user, report.pk, str(version)):
            raise DomainError(
                _("Diubah orang lain sejak daftar ini dibuka; dilewati. Buka laporannya untuk melihat perubahannya.")
            )
        return perform(report, **arguments)

    return checked


@coordinator_required
@require_POST
def inbox_bulk(request):
    """One action on the chosen reports, each through the same action as on its own page
    and in its own transaction; back to the inbox with a summary: what was done, and each
    refused report with its reason."""
    form = action_forms.BulkForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back_to_inbox(request)
    perform, arguments, done_label = BULK[form.cleaned_data["operation"]]
    outcomes = actions.apply_to_each(
        form.cleaned_data["reports"],
        _unless_changed(perform, request.user, form.cleaned_data["version"]),
        actor=request.user,
        **arguments(form.cleaned_data),
    )
    done = [o.report.tracking_number for o in outcomes if o.done]
    refused = [o for o in outcomes if not o.done]
    if done:
        messages.success(
            request,
            ngettext("%(what)s: %(n)d laporan (%(numbers)s).", "%(what)s: %(n)d laporan (%(numbers)s).", len(done))
            % {"what": done_label, "n": len(done), "numbers": ", ".join(done)},
        )
    if refused:
        messages.warning(
            request,
            ngettext("%(n)d laporan ditolak:", "%(n)d laporan ditolak:", len(refused)) % {"n": len(refused)},
        )
        for outcome in refused:
            messages.warning(request, f"{outcome.report.tracking_number}: {outcome.reason}")
    return back_to_inbox(request)
