"""The staff workspace: inboxes, the report page with its action forms, manual entry.

Views load through reports/access.py, parse with workspace/forms.py, call
reports/actions/ and redirect; a refused action renders the report page again with its
form as typed and the reason beside the fields (400, or 409/403 as the API answers).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Max, Q
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from agencies.models import Agency
from agencies.roles import city_reader_required, coordinator_required, staff_profile, staff_required
from core import uploads
from core.errors import DomainError, InvalidTransition, NotAllowed
from notify import canned, fallback
from reports import access, actions, deadlines
from reports.models import COORDINATOR_STATES, Attachment, Channel, Disposition, Kind, Report, ReportEvent, Status
from workspace import forms, inbox_views, presence, recap, similar
from workspace.models import SavedFilter
from workspace.paging import page_of_rows

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


def _listed_reports(user, query, *, queue):
    """The filter form and the reports a list shows for ``query`` (its GET parameters), in
    the list's order: the coordinator's queue (``queue``: received and verified by default,
    danger first) or every report the user may see. The report page's next/previous and
    the next report after an action walk the same order."""
    visible = access.reports_visible_to(user)
    form = forms.ReportFilterForm(query, user=user)
    reports = form.apply(visible, default_statuses=COORDINATOR_STATES if queue else None).with_current_deadline()
    # The coordinator's queue puts danger first (triage's urgency flag, copied to the
    # report), then deadlines: the order of the index report_urgent_deadline, so a page
    # reads its own entries of the index instead of sorting the whole queue. A chosen sort
    # key (most supported) comes after danger and before the deadlines.
    order = [*form.ordering(), F("current_deadline").asc(nulls_last=True), "received_at", "pk"]
    return form, reports.order_by("-is_urgent", *order) if queue else reports.order_by(*order)


def _report_list(request, *, queue):
    """The coordinator's queue (``queue``: received and verified by default) or every report
    the user may see."""
    visible = access.reports_visible_to(request.user)
    form, reports = _listed_reports(request.user, request.GET, queue=queue)
    reports = reports.select_related("category__parent", "region", "owner")
    page = page_of_rows(reports, PAGE_SIZE, request.GET.get("page"))
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
            context["bulk_form"] = forms.BulkForm(user=request.user, auto_id="id_bulk_%s")
    if _is_htmx(request):
        context["kelurahan_field"] = form.narrowed_kelurahan()
        return render(request, "workspace/_report_results.html", context)
    if queue:
        context["views"] = inbox_views.views_for(request.user, request.GET.urlencode())
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


def _back_to_inbox(request):
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
        return _back_to_inbox(request)
    if (
        not SavedFilter.objects.filter(owner=request.user, name=form.cleaned_data["name"]).exists()
        and SavedFilter.objects.filter(owner=request.user).count() >= inbox_views.MOST_SAVED
    ):
        messages.error(
            request, _("Paling banyak %(n)d tampilan tersimpan; hapus satu dulu.") % {"n": inbox_views.MOST_SAVED}
        )
        return _back_to_inbox(request)
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


# Bulk operation → the action every chosen report goes through, its arguments from the
# form, and what the summary says of the reports it was done to.
BULK = {
    forms.BulkForm.ARCHIVE_SPAM: (
        actions.archive_report,
        lambda data: {"reason": "spam"},
        gettext_lazy("Diarsipkan sebagai spam"),
    ),
    forms.BulkForm.ARCHIVE_DUPLICATE: (
        actions.archive_report,
        lambda data: {"reason": "duplicate", "duplicate_of": data["duplicate_of"]},
        gettext_lazy("Diarsipkan sebagai duplikat"),
    ),
    forms.BulkForm.DISPOSE: (
        actions.dispose_report,
        lambda data: {"lead_agency": data["lead_agency"]},
        gettext_lazy("Didisposisikan"),
    ),
    forms.BulkForm.ASSIGN: (
        actions.assign_report,
        lambda data: {"owner": data["owner"]},
        gettext_lazy("Ditugaskan"),
    ),
}


@coordinator_required
@require_POST
def inbox_bulk(request):
    """One action on the chosen reports, each through the same action as on its own page
    and in its own transaction; back to the inbox with a summary: what was done, and each
    refused report with its reason."""
    form = forms.BulkForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_inbox(request)
    perform, arguments, done_label = BULK[form.cleaned_data["operation"]]
    outcomes = actions.apply_to_each(
        form.cleaned_data["reports"], perform, actor=request.user, **arguments(form.cleaned_data)
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
    return _back_to_inbox(request)


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


# ---------------------------------------------------------------------------- the list a report came from

# The lists a report page remembers (URL name → whether it is the coordinator's queue).
ORIGIN_LISTS = {"workspace:inbox": True, "workspace:reports": False}
# How far ahead the next report is looked for after an action (reports that left the list
# meanwhile are skipped).
NEXT_LOOKAHEAD = 200


@dataclass(frozen=True)
class Origin:
    """The report list (with its filters) a report page was opened from: ``?from=`` on the
    page and its actions, so "kembali ke daftar" keeps the filters and an action moves on
    to the next report of the same list."""

    url: str
    queue: bool
    query: QueryDict

    @property
    def param(self):
        return urlencode({"from": self.url})


def _origin(request):
    """The list named by ``from`` (a path of this site's report lists and its query), or
    None for anything else: never a redirect to elsewhere."""
    value = request.GET.get("from", "")
    parts = urlsplit(value)
    if not value or parts.scheme or parts.netloc:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name not in ORIGIN_LISTS:
        return None
    query = QueryDict(parts.query, mutable=True)
    url = reverse(match.view_name) + (f"?{query.urlencode()}" if query else "")
    query.pop("page", None)  # next and previous walk the whole list, not one page of it
    return Origin(url, ORIGIN_LISTS[match.view_name], query)


def _listed_ids(user, origin):
    return _listed_reports(user, origin.query, queue=origin.queue)[1].values_list("pk", flat=True)


@dataclass(frozen=True)
class Neighbours:
    previous: int | None
    next: int | None
    position: int | None
    count: int


def _neighbours(user, origin, pk):
    """The reports before and after ``pk`` in its list (one query of ids)."""
    ids = list(_listed_ids(user, origin))
    if pk not in ids:
        return Neighbours(None, ids[0] if ids else None, None, len(ids))
    at = ids.index(pk)
    return Neighbours(ids[at - 1] if at else None, ids[at + 1] if at + 1 < len(ids) else None, at + 1, len(ids))


def _following(user, origin, pk):
    """The ids after ``pk`` in its list, before an action moves it (all of the list when
    ``pk`` is not in it)."""
    ids = list(_listed_ids(user, origin))
    following = ids[ids.index(pk) + 1 :] if pk in ids else [i for i in ids if i != pk]
    return following[:NEXT_LOOKAHEAD]


def _next_report(user, origin, following):
    """The first of ``following`` that still matches the list, in the list's order."""
    if not following:
        return None
    return _listed_ids(user, origin).filter(pk__in=following).first()


def _report_url(pk, origin):
    url = reverse("workspace:report", args=[pk])
    return f"{url}?{origin.param}" if origin else url


# ---------------------------------------------------------------------------- the report page


@dataclass(frozen=True)
class ActionSpec:
    """One action of the report page: its form, the action it calls (the form's cleaned
    data are its keyword arguments), the box's title and button, the message when done,
    whether it acts on the user's disposition rather than the report, and whether the
    user stays on the report afterwards (a step with more to do on it: verify alone,
    classify, a note, ownership) instead of moving on to the next report of the list it
    came from."""

    form: type
    perform: object
    title: str
    button: str
    done: str
    on_disposition: bool = False
    stays: bool = False


# URL slug → spec, in the order the boxes appear for a coordinator; the agency's after.
ACTIONS = {
    "verifikasi-teruskan": ActionSpec(
        forms.VerifyDisposeForm,
        actions.verify_and_dispose,
        gettext_lazy("Verifikasi & teruskan"),
        gettext_lazy("Verifikasi dan disposisikan"),
        gettext_lazy("Laporan diverifikasi dan didisposisikan."),
    ),
    "verifikasi": ActionSpec(
        forms.VerifyForm,
        actions.verify_report,
        gettext_lazy("Verifikasi saja"),
        gettext_lazy("Verifikasi laporan"),
        gettext_lazy("Laporan diverifikasi."),
        stays=True,
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
        stays=True,
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
        stays=True,
    ),
    "arsipkan": ActionSpec(
        forms.ArchiveForm,
        actions.archive_report,
        gettext_lazy("Arsipkan"),
        gettext_lazy("Arsipkan laporan"),
        gettext_lazy("Laporan diarsipkan."),
    ),
    "ambil": ActionSpec(
        forms.TakeForm,
        actions.take_report,
        gettext_lazy("Ambil"),
        gettext_lazy("Ambil laporan ini"),
        gettext_lazy("Laporan ini sekarang milik Anda."),
        stays=True,
    ),
    "tugaskan": ActionSpec(
        forms.AssignForm,
        actions.assign_report,
        gettext_lazy("Tugaskan ke koordinator"),
        gettext_lazy("Tugaskan"),
        gettext_lazy("Laporan ditugaskan."),
        stays=True,
    ),
    "lepas": ActionSpec(
        forms.ReleaseForm,
        actions.release_report,
        gettext_lazy("Lepas"),
        gettext_lazy("Lepas (tanpa pemilik)"),
        gettext_lazy("Laporan kini tanpa pemilik."),
        stays=True,
    ),
    "perpanjang": ActionSpec(
        forms.ExtendForm,
        actions.extend_information_request,
        gettext_lazy("Perpanjang tenggat informasi (sekali, +7 hari kerja)"),
        gettext_lazy("Perpanjang"),
        gettext_lazy("Tenggat jawaban diperpanjang."),
        stays=True,
    ),
    "tindak-lanjut": ActionSpec(
        forms.FollowUpForm,
        actions.post_follow_up,
        gettext_lazy("Tindak lanjut"),
        gettext_lazy("Kirim tindak lanjut"),
        gettext_lazy("Tindak lanjut disimpan."),
        on_disposition=True,
        stays=True,
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
    ("verify_dispose", "verifikasi-teruskan"),  # a chain (reports/workflow.py CHAINS)
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

    @property
    def fields(self):
        """The form's fields but those it folds away (``collapsed_fields``)."""
        folded = getattr(self.form, "collapsed_fields", ())
        return [field for field in self.form if field.name not in folded]

    @property
    def folded_fields(self):
        folded = getattr(self.form, "collapsed_fields", ())
        return [field for field in self.form if field.name in folded]


@dataclass
class Rejected:
    """A refused action: its URL name and its bound form, errors included."""

    slug: str
    form: object


def _auto_id(slug):
    # Several forms share the page, so each one's ids carry its action.
    return f"id_{slug}_%s"


def _action_boxes(report, allowed, mine, rejected=None, origin=None):
    """The action forms this user may use now. ``mine``: the user's own active disposition
    when they act for an agency, else None (the coordinator). ``rejected``: a refused
    action, whose box shows the form as it was sent instead of an empty one. ``origin``:
    the list the page came from, which the forms carry on."""
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
        if origin:
            url = f"{url}?{origin.param}"
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


def _report_page(request, report, *, reveal=False, rejected=None, stale_events=(), status=200):
    """The report page; with ``rejected`` (a refused action), that action's box holds the
    form as typed, with its errors, answered with ``status``; ``stale_events``: what others
    did since the refused form's page was loaded. Opened from a list (``?from=``), it links
    back to it and to the reports before and after."""
    user = request.user
    origin = _origin(request)
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

    boxes = _action_boxes(report, part.actions, part.disposition, rejected, origin)
    rejected_box = next((box for box in boxes if box.rejected), None)
    # The version the page was loaded at (its last event): every form sends it back, and
    # an action on a report that others changed since is refused (_run).
    version = max((event.pk for event in events), default=0)
    presence.note_viewer(report.pk, user)
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
        "version": version,
        "stale_events": stale_events,
        "other_viewers": presence.other_viewers(report.pk, user),
        # Take, assign, release: beside the owner's name rather than among the boxes.
        "ownership": _ownership_forms(report, user) if "assign" in part.actions else None,
        # Messages to the reporter that failed for good, and what went out instead.
        "undelivered": fallback.undelivered(report) if profile.is_coordinator else [],
        "origin": origin,
        "neighbours": _neighbours(user, origin, report.pk) if origin else None,
        "canned_replies": canned.replies_for(part.role) if boxes else [],
    }
    return render(request, "workspace/report.html", context, status=status)


def _ownership_forms(report, user):
    """The take / release buttons and the assign select, for those who may use them."""
    urls = {slug: reverse("workspace:report_action", args=[report.pk, slug]) for slug in ("ambil", "tugaskan", "lepas")}
    return {
        "urls": urls,
        "may_take": report.owner_id != user.pk,
        "may_release": report.owner_id is not None,
        "assign_form": forms.AssignForm(auto_id=_auto_id("tugaskan")),
    }


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
def report_presence(request, pk):
    """The report page's notices, polled every 20 s: who else has it open, whose it is,
    and what others did since the page was loaded (``version``, its last event then)."""
    report = access.get_report_for(request.user, pk)
    presence.note_viewer(report.pk, request.user)
    version = request.GET.get("version", "")
    context = {
        "report": report,
        "version": version,
        "other_viewers": presence.other_viewers(report.pk, request.user),
        "stale_events": _changes_since(request.user, report.pk, version),
    }
    return render(request, "workspace/_presence.html", context)


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


@staff_required
def canned_reply(request, pk):
    """A canned reply's text filled for report ``pk`` (text/plain), for the message box the
    staff member chose it in (static/js/workspace.js inserts it): {nomor}, {opd} — the
    agency chosen in that form, else the user's own, the lead agency, or triage's
    suggestion — and {tenggat}, the deadline that agency gets or has, else the
    coordinator's. Only for those who may act on the report."""
    report = access.get_report_for(request.user, pk, write=True)
    form = forms.CannedReplyForm(request.GET)
    if not form.is_valid():
        raise Http404
    part = access.allowed_actions_for(request.user, report, list(report.dispositions.select_related("agency")))
    reply = next((r for r in canned.replies_for(part.role) if r.pk == form.cleaned_data["reply"]), None)
    if reply is None:
        raise Http404
    agency, deadline = _agency_and_deadline(report, part.disposition, form.cleaned_data["lead_agency"])
    values = {
        "nomor": report.tracking_number,
        "opd": agency.name if agency else "",
        "tenggat": canned.indonesian_date(deadline) if deadline else "",
    }
    return HttpResponse(canned.fill(reply.body, values), content_type="text/plain; charset=utf-8")


def _agency_and_deadline(report, mine, chosen):
    if mine is not None:
        return mine.agency, mine.next_due_at
    if chosen is not None:
        # The disposition the coordinator is about to make: its resolution deadline.
        return chosen, deadlines.resolution_due(report, timezone.now())
    lead = report.dispositions.active().filter(role=Disposition.Role.LEAD).select_related("agency").first()
    if lead is not None:
        return lead.agency, lead.next_due_at
    suggested = forms.suggested_lead_agency(report)
    agency = Agency.objects.filter(pk=suggested).first() if suggested else None
    return agency, report.due_at


# ---------------------------------------------------------------------------- actions


def _refusal_status(error):
    """The API's answer to the same refusal (api/errors.py)."""
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, InvalidTransition):
        return 409
    return 400


def _changes_since(user, report_pk, version):
    """The events others wrote on the report after event ``version`` (the page's last when
    it was loaded); none when the form carried no version (a client that does not send it)."""
    if not (version.isdigit() and len(version) < 19):
        return []
    since = ReportEvent.objects.filter(report_id=report_pk, pk__gt=int(version)).exclude(actor=user)
    return list(since.select_related("actor", "agency").order_by("created_at", "pk"))


def _run(request, target, report_pk, slug, spec):
    """Done: to the next report of the list the page came from (when there is one and the
    action finished the work here), else back to the report page (post/redirect/get).
    Refused: the report page again, with this form as typed and the reasons beside its
    fields; nothing is stored.

    Stale: when someone else changed the report after the page that sent the form was
    loaded (its ``version``), nothing is done: 409, and the page lists what changed. The
    report's row stays locked from that check through the action, so no change slips in
    between."""
    form = spec.form(request.POST, request.FILES, auto_id=_auto_id(slug))
    origin = _origin(request)
    status = 400
    stale = []
    if form.is_valid():
        # The list's order before the action moves this report out of it.
        following = _following(request.user, origin, report_pk) if origin and not spec.stays else None
        try:
            with transaction.atomic():
                Report.objects.select_for_update(of=("self",)).filter(pk=report_pk).first()
                stale = _changes_since(request.user, report_pk, request.POST.get("version", ""))
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
    return _report_page(request, report, rejected=Rejected(slug, form), stale_events=stale, status=status)


def _after_action(request, report_pk, spec, origin, following):
    if following is None:
        messages.success(request, spec.done)
        return redirect(_report_url(report_pk, origin))
    done = Report.objects.values_list("tracking_number", flat=True).get(pk=report_pk)
    messages.success(request, f"{done}: {spec.done}")
    next_pk = _next_report(request.user, origin, following)
    if next_pk is None:
        messages.info(request, _("Tidak ada laporan berikutnya di daftar ini."))
        return redirect(origin.url)
    return redirect(_report_url(next_pk, origin))


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
