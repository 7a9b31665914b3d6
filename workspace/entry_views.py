"""Manual entry of a report that came by phone, radio, walk-in or social media, with the
possible duplicates beside the form."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from agencies.roles import coordinator_required, staff_profile
from core.errors import DomainError
from reports import access, actions
from reports.models import Channel
from workspace import entry_forms, similar
from workspace.forms import for_governments

LAST_CHANNEL_KEY = "workspace_last_channel"


def _similar_to(request, text, region):
    return similar.similar_reports(access.reports_visible_to(request.user), text, region=region)


def _for_coordinator(form, user):
    """The categories of the governments the user coordinates (the report's government)."""
    return for_governments(form, staff_profile(user).coordinated_government_ids)


@coordinator_required
def manual_entry(request):
    found = []
    if request.method == "POST":
        form = _for_coordinator(entry_forms.ManualReportForm(request.POST, request.FILES), request.user)
        if form.is_valid():
            try:
                report = actions.submit_report(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                request.session[LAST_CHANNEL_KEY] = report.channel
                return redirect("workspace:manual_entry_saved", pk=report.pk)
        # A rejected form comes back as typed, with the possible duplicates of its text
        # (the panel works without JavaScript this way too).
        found = _similar_to(request, request.POST.get("description", ""), form.cleaned_data.get("region"))
    else:
        # The channel the user saved last (a call-center shift stays on one channel), else
        # the call center; received-at is when the form opened, i.e. when the call began.
        form = entry_forms.ManualReportForm(
            initial={
                "channel": request.session.get(LAST_CHANNEL_KEY, Channel.CALL_CENTER),
                "received_at": timezone.localtime().replace(second=0, microsecond=0),
            }
        )
        _for_coordinator(form, request.user)
    form.fields["description"].widget.attrs.update({"autofocus": True, "accesskey": "i", "data-shortcut": "i"})
    # Possible duplicates while typing, by htmx: the description (debounced) or the
    # kelurahan asks for the panel; a newer request replaces one still under way. Without
    # JavaScript the panel comes with a refused form, as before.
    similar = {
        "hx-get": reverse("workspace:similar_reports"),
        "hx-target": "#similar-results",
        "hx-sync": "closest form:replace",
    }
    form.fields["description"].widget.attrs.update(
        {**similar, "hx-trigger": "input changed delay:400ms", "hx-include": "[name=region]"}
    )
    form.fields["region"].widget.attrs.update({**similar, "hx-trigger": "change", "hx-include": "[name=description]"})
    return render(request, "workspace/manual_entry.html", {"form": form, "similar": found})


@coordinator_required
def manual_entry_saved(request, pk):
    """The tracking number to read out to the caller, and the way to the next report."""
    report = access.get_report_for(request.user, pk)
    next_channel = Channel(request.session.get(LAST_CHANNEL_KEY, report.channel))
    return render(request, "workspace/manual_entry_saved.html", {"report": report, "next_channel": next_channel})


@coordinator_required
def similar_reports(request):
    """Up to five open reports resembling the text typed in a manual entry (an HTML
    fragment). Coordinators only: they are the ones entering reports by hand."""
    form = entry_forms.SimilarReportsForm(request.GET)
    if not form.is_valid():
        return render(request, "workspace/_similar.html", {"similar": [], "refused": True}, status=400)
    text = form.cleaned_data["q"] or form.cleaned_data["description"]
    found = _similar_to(request, text, form.cleaned_data["region"])
    return render(request, "workspace/_similar.html", {"similar": found, "searched": bool(text)})
