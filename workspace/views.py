"""The staff workspace: inboxes, the report page with its action forms, manual entry.

Views load through reports/access.py, parse with workspace/forms.py, call
reports/actions/ and redirect; a refused action renders the report page again with its
form as typed and the reason beside the fields (400, or 409/403 as the API answers).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.roles import coordinator_required, staff_profile, staff_required
from core import uploads
from core.errors import DomainError, InvalidTransition, NotAllowed
from notify import fallback
from reports import access, actions
from reports.models import COORDINATOR_STATES, Attachment, Channel, Kind, Status
from triage.models import ReportTriage
from workspace import forms, recap, similar

PAGE_SIZE = 50
LAST_CHANNEL_KEY = "workspace_last_channel"


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


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
    form = forms.ReportFilterForm(request.GET)
    urgent = Exists(ReportTriage.objects.filter(report=OuterRef("pk"), is_urgent=True))
    reports = (
        form.apply(visible, default_statuses=COORDINATOR_STATES if queue else None)
        .select_related("category__parent", "region")
        .with_deadline()
        .annotate(is_urgent=urgent)
    )
    # The coordinator's queue puts danger first (triage's urgency flag), then deadlines.
    order = [F("deadline").asc(nulls_last=True), "received_at", "pk"]
    reports = reports.order_by("-is_urgent", *order) if queue else reports.order_by(*order)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
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
    if _is_htmx(request):
        context["kelurahan_field"] = form.narrowed_kelurahan()
        return render(request, "workspace/_report_results.html", context)
    return render(request, "workspace/inbox.html", context)


@staff_required
def inbox(request):
    if not staff_profile(request.user).sees_everything:
        return redirect("workspace:dispositions")
    return _report_list(request, queue=True)


@staff_required
def report_list(request):
    return _report_list(request, queue=False)


@staff_required
def dispositions(request):
    form = forms.DispositionFilterForm(request.GET)
    rows = (
        form.apply(access.dispositions_visible_to(request.user))
        .with_next_due()
        .select_related("report__category__parent", "report__region", "agency")
        .open_first()
        .order_by("closed_rank", F("next_due").asc(nulls_last=True), "created_at", "pk")
    )
    context = {"form": form, "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))}
    if _is_htmx(request):
        return render(request, "workspace/_disposition_table.html", context)
    return render(request, "workspace/dispositions.html", context)


# ---------------------------------------------------------------------------- the report page


@dataclass(frozen=True)
class ActionSpec:
    """One action of the report page: its form, the action it calls (the form's cleaned
    data are its keyword arguments), the box's title and button, the message when done,
    and whether it acts on the user's disposition rather than the report."""

    form: type
    perform: object
    title: str
    button: str
    done: str
    on_disposition: bool = False


# URL slug → spec, in the order the boxes appear for a coordinator; the agency's after.
ACTIONS = {
    "verifikasi": ActionSpec(
        forms.VerifyForm,
        actions.verify_report,
        gettext_lazy("Verifikasi"),
        gettext_lazy("Verifikasi laporan"),
        gettext_lazy("Laporan diverifikasi."),
    ),
    "disposisi": ActionSpec(
        forms.DisposeForm,
        actions.dispose_report,
        gettext_lazy("Disposisikan"),
        gettext_lazy("Disposisikan"),
        gettext_lazy("Laporan didisposisikan."),
    ),
    "tunda": ActionSpec(
        forms.HoldForm,
        actions.hold_report,
        gettext_lazy("Tunda dan tanya pelapor"),
        gettext_lazy("Tunda dan kirim pertanyaan"),
        gettext_lazy("Laporan ditunda; pertanyaan dikirim ke pelapor."),
    ),
    "klasifikasi": ActionSpec(
        forms.ClassifyForm,
        actions.classify_report,
        gettext_lazy("Klasifikasi ulang"),
        gettext_lazy("Simpan klasifikasi"),
        gettext_lazy("Klasifikasi disimpan."),
    ),
    "tutup": ActionSpec(
        forms.CloseForm,
        actions.close_report,
        gettext_lazy("Tutup laporan"),
        gettext_lazy("Tutup laporan"),
        gettext_lazy("Laporan ditutup."),
    ),
    "jawab-keberatan": ActionSpec(
        forms.AnswerObjectionForm,
        actions.answer_objection,
        gettext_lazy("Tanggapi keberatan"),
        gettext_lazy("Kirim tanggapan"),
        gettext_lazy("Tanggapan atas keberatan dikirim."),
    ),
    "catatan": ActionSpec(
        forms.NoteForm,
        actions.add_internal_note,
        gettext_lazy("Catatan internal"),
        gettext_lazy("Simpan catatan"),
        gettext_lazy("Catatan internal disimpan."),
    ),
    "arsipkan": ActionSpec(
        forms.ArchiveForm,
        actions.archive_report,
        gettext_lazy("Arsipkan"),
        gettext_lazy("Arsipkan laporan"),
        gettext_lazy("Laporan diarsipkan."),
    ),
    "perpanjang": ActionSpec(
        forms.ExtendForm,
        actions.extend_information_request,
        gettext_lazy("Perpanjang tenggat informasi (sekali, +7 hari kerja)"),
        gettext_lazy("Perpanjang"),
        gettext_lazy("Tenggat jawaban diperpanjang."),
    ),
    "tindak-lanjut": ActionSpec(
        forms.FollowUpForm,
        actions.post_follow_up,
        gettext_lazy("Tindak lanjut"),
        gettext_lazy("Kirim tindak lanjut"),
        gettext_lazy("Tindak lanjut disimpan."),
        on_disposition=True,
    ),
    "selesai": ActionSpec(
        forms.FinishForm,
        actions.finish_disposition,
        gettext_lazy("Tandai selesai"),
        gettext_lazy("Tandai disposisi selesai"),
        gettext_lazy("Disposisi ditandai selesai."),
        on_disposition=True,
    ),
    "kembalikan": ActionSpec(
        forms.ReturnForm,
        actions.return_disposition,
        gettext_lazy("Kembalikan: bukan wewenang"),
        gettext_lazy("Kembalikan ke koordinator"),
        gettext_lazy("Disposisi dikembalikan ke koordinator."),
        on_disposition=True,
    ),
}
# The coordinator's boxes: the workflow action that opens each one.
COORDINATOR_BOXES = [
    ("verify", "verifikasi"),
    ("dispose", "disposisi"),
    ("hold", "tunda"),
    ("classify", "klasifikasi"),
    ("close", "tutup"),
    ("answer_objection", "jawab-keberatan"),
    ("internal_note", "catatan"),
    ("archive", "arsipkan"),
]


@dataclass
class ActionBox:
    slug: str
    form: object
    url: str
    title: str
    button: str
    rejected: bool = False


@dataclass
class Rejected:
    """A refused action: its URL name and its bound form, errors included."""

    slug: str
    form: object


def _auto_id(slug):
    # Several forms share the page, so each one's ids carry its action.
    return f"id_{slug}_%s"


def _action_boxes(report, allowed, mine, rejected=None):
    """The action forms this user may use now. ``mine``: the user's own active disposition
    when they act for an agency, else None (the coordinator). ``rejected``: a refused
    action, whose box shows the form as it was sent instead of an empty one."""
    boxes = []

    def add(slug, **kwargs):
        spec = ACTIONS[slug]
        builder = getattr(spec.form, "for_report", None)
        kwargs["auto_id"] = _auto_id(slug)
        is_rejected = rejected is not None and rejected.slug == slug
        if is_rejected:
            form = rejected.form
        else:
            form = builder(report, **kwargs) if builder else spec.form(**kwargs)
        if spec.on_disposition:
            url = reverse("workspace:disposition_action", args=[mine.pk, slug])
        else:
            url = reverse("workspace:report_action", args=[report.pk, slug])
        boxes.append(ActionBox(slug, form, url, spec.title, spec.button, rejected=is_rejected))

    if mine is None:
        for action, slug in COORDINATOR_BOXES:
            if action in allowed:
                add(slug)
    else:
        open_state = mine.is_open
        can_reply = "follow_up" in allowed and open_state
        if can_reply or "internal_note" in allowed:
            add("tindak-lanjut", allow_public=can_reply)
        if "finish_disposition" in allowed and open_state:
            add("selesai")
        if "return_disposition" in allowed and open_state:
            add("kembalikan")
    if "extend_information" in allowed and report.kind == Kind.INFORMATION_REQUEST and not report.info_extended_at:
        add("perpanjang")
    return boxes


def _report_page(request, report, *, reveal=False, rejected=None, status=200):
    """The report page; with ``rejected`` (a refused action), that action's box holds the
    form as typed, with its errors, answered with ``status``."""
    user = request.user
    profile = staff_profile(user)
    dispositions = list(report.dispositions.select_related("agency").with_next_due())
    part = access.allowed_actions_for(user, report, dispositions)

    attachments = list(report.attachments.all())
    events = list(report.events.select_related("actor", "agency"))
    by_event = {}
    for attachment in attachments:
        by_event.setdefault(attachment.event_id, []).append(attachment)
    for event in events:
        event.attachment_list = by_event.get(event.pk, [])

    # Anonymous identities stay behind a button (and an audit row) even for coordinators,
    # and so do the personal data written into an anonymous report's text.
    may_see_identity = access.can_see_identity(user, report)
    show_identity = may_see_identity and (reveal or not report.is_anonymous)
    if show_identity:
        access.record_identity_read(user, report)
    reading = access.reading_for(user, report, revealed=reveal)

    boxes = _action_boxes(report, part.actions, part.disposition, rejected)
    rejected_box = next((box for box in boxes if box.rejected), None)
    if rejected is not None and rejected_box is None:
        # No box to show the form in (the report moved on meanwhile, or the action is not
        # this user's): the reasons go on top of the page.
        for errors in rejected.form.errors.values():
            for error in errors:
                messages.error(request, error)
    context = {
        "report": report,
        "words": report.words(masked=reading.masked),
        "reading": reading,
        "dispositions": dispositions,
        "my_disposition": part.disposition,
        "events": events,
        "attachments": attachments,
        "show_identity": show_identity,
        "can_reveal": may_see_identity and not show_identity,
        "action_boxes": boxes,
        "rejected_box": rejected_box,
        "read_only": not boxes,
        # Messages to the reporter that failed for good, and what went out instead.
        "undelivered": fallback.undelivered(report) if profile.is_coordinator else [],
    }
    return render(request, "workspace/report.html", context, status=status)


@staff_required
def report_detail(request, pk):
    try:
        report = access.get_report_for(request.user, pk)
    except Http404:
        # An agency whose disposition ended keeps what it wrote, and reads nothing after.
        report, mine = access.own_history_for(request.user, pk)
        return _own_history_page(request, report, mine)
    return _report_page(request, report)


def _own_history_page(request, report, mine):
    events = report.events.filter(Q(disposition__in=mine) | Q(actor_role="agency", agency__in=[d.agency for d in mine]))
    context = {
        "report": report,
        "headline": report.headline(masked=True),
        "dispositions": mine,
        "events": events.select_related("actor", "agency").order_by("created_at", "pk"),
    }
    return render(request, "workspace/own_history.html", context)


@staff_required
@require_POST
def reveal_identity(request, pk):
    report = access.get_report_for(request.user, pk)
    access.require(access.can_see_identity(request.user, report))
    return _report_page(request, report, reveal=True)


@staff_required
def attachment(request, pk):
    item = get_object_or_404(Attachment, pk=pk)
    # Raises 404 unless the user is staff of this report (the coordinator, an executive, or
    # an agency it was disposed to): the same people who see its internal notes, so this
    # one check also covers the attachments of internal notes (is_public=False).
    access.get_report_for(request.user, item.report_id)
    return uploads.file_response(item.file.open("rb"), name=item.original_name, content_type=item.content_type)


# ---------------------------------------------------------------------------- actions


def _refusal_status(error):
    """The API's answer to the same refusal (api/errors.py)."""
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, InvalidTransition):
        return 409
    return 400


def _run(request, target, report_pk, slug, spec):
    """Done: back to the report page (post/redirect/get). Refused: the report page again,
    with this form as typed and the reasons beside its fields; nothing is stored."""
    form = spec.form(request.POST, request.FILES, auto_id=_auto_id(slug))
    status = 400
    if form.is_valid():
        try:
            spec.perform(target, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            status = _refusal_status(error)
        else:
            messages.success(request, spec.done)
            return redirect("workspace:report", pk=report_pk)
    # Loaded again: the refused action may have touched the objects it was given.
    report = access.get_report_for(request.user, report_pk)
    return _report_page(request, report, rejected=Rejected(slug, form), status=status)


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


# ---------------------------------------------------------------------------- manual entry


def _similar_to(request, text, region):
    return similar.similar_reports(access.reports_visible_to(request.user), text, region=region)


@coordinator_required
def manual_entry(request):
    found = []
    if request.method == "POST":
        form = forms.ManualReportForm(request.POST, request.FILES)
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
        form = forms.ManualReportForm(
            initial={
                "channel": request.session.get(LAST_CHANNEL_KEY, Channel.CALL_CENTER),
                "received_at": timezone.localtime().replace(second=0, microsecond=0),
            }
        )
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
    form = forms.SimilarReportsForm(request.GET)
    if not form.is_valid():
        return render(request, "workspace/_similar.html", {"similar": [], "refused": True}, status=400)
    text = form.cleaned_data["q"] or form.cleaned_data["description"]
    found = _similar_to(request, text, form.cleaned_data["region"])
    return render(request, "workspace/_similar.html", {"similar": found, "searched": bool(text)})


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
