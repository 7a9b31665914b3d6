"""The report page: content, timeline, deadlines, dispositions and the forms of the
actions allowed now (``ACTIONS``, the boxes), who else has it open, the identity behind a
button, attachments, canned replies. The actions' POSTs are action_views.py's.
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.models import Agency
from agencies.roles import staff_profile, staff_required
from core import uploads
from notify import canned, fallback
from reports import access, actions, deadlines
from reports.models import Attachment, Disposition, Kind, ReportEvent
from workspace import action_forms, fragments, presence
from workspace.forms import for_governments
from workspace.lists import neighbours, origin_of


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
    # The user no longer reads the report afterwards (a referral given back to the
    # government that referred it): back to the inbox rather than to its page.
    leaves: bool = False


# URL slug → spec, in the order the boxes appear for a coordinator; the agency's after.
ACTIONS = {
    "verifikasi-teruskan": ActionSpec(
        action_forms.VerifyDisposeForm,
        actions.verify_and_dispose,
        gettext_lazy("Verifikasi & teruskan"),
        gettext_lazy("Verifikasi dan disposisikan"),
        gettext_lazy("Laporan diverifikasi dan didisposisikan."),
    ),
    "verifikasi": ActionSpec(
        action_forms.VerifyForm,
        actions.verify_report,
        gettext_lazy("Verifikasi saja"),
        gettext_lazy("Verifikasi laporan"),
        gettext_lazy("Laporan diverifikasi."),
        stays=True,
    ),
    "disposisi": ActionSpec(
        action_forms.DisposeForm,
        actions.dispose_report,
        gettext_lazy("Disposisikan"),
        gettext_lazy("Disposisikan"),
        gettext_lazy("Laporan didisposisikan."),
    ),
    "tunda": ActionSpec(
        action_forms.HoldForm,
        actions.hold_report,
        gettext_lazy("Tunda dan tanya pelapor"),
        gettext_lazy("Tunda dan kirim pertanyaan"),
        gettext_lazy("Laporan ditunda; pertanyaan dikirim ke pelapor."),
    ),
    "klasifikasi": ActionSpec(
        action_forms.ClassifyForm,
        actions.classify_report,
        gettext_lazy("Klasifikasi ulang"),
        gettext_lazy("Simpan klasifikasi"),
        gettext_lazy("Klasifikasi disimpan."),
        stays=True,
    ),
    "tutup": ActionSpec(
        action_forms.CloseForm,
        actions.close_report,
        gettext_lazy("Tutup laporan"),
        gettext_lazy("Tutup laporan"),
        gettext_lazy("Laporan ditutup."),
    ),
    "jawab-keberatan": ActionSpec(
        action_forms.AnswerObjectionForm,
        actions.answer_objection,
        gettext_lazy("Tanggapi keberatan"),
        gettext_lazy("Kirim tanggapan"),
        gettext_lazy("Tanggapan atas keberatan dikirim."),
    ),
    "catatan": ActionSpec(
        action_forms.NoteForm,
        actions.add_internal_note,
        gettext_lazy("Catatan internal"),
        gettext_lazy("Simpan catatan"),
        gettext_lazy("Catatan internal disimpan."),
        stays=True,
    ),
    "arsipkan": ActionSpec(
        action_forms.ArchiveForm,
        actions.archive_report,
        gettext_lazy("Arsipkan"),
        gettext_lazy("Arsipkan laporan"),
        gettext_lazy("Laporan diarsipkan."),
    ),
    # Refer across governments of the installation, and the receiver's return
    # (reports/actions/referrals.py): the report leaves this government's lists.
    "rujuk": ActionSpec(
        action_forms.ReferForm,
        actions.refer_report,
        gettext_lazy("Rujuk ke pemerintah daerah lain"),
        gettext_lazy("Rujuk laporan"),
        gettext_lazy("Laporan dirujuk ke pemerintah daerah lain."),
    ),
    "kembalikan-rujukan": ActionSpec(
        action_forms.ReturnReferralForm,
        actions.return_referral,
        gettext_lazy("Kembalikan rujukan"),
        gettext_lazy("Kembalikan ke pemerintah daerah perujuk"),
        gettext_lazy("Rujukan dikembalikan ke pemerintah daerah perujuk."),
        leaves=True,
    ),
    "ambil": ActionSpec(
        action_forms.TakeForm,
        actions.take_report,
        gettext_lazy("Ambil"),
        gettext_lazy("Ambil laporan ini"),
        gettext_lazy("Laporan ini sekarang milik Anda."),
        stays=True,
    ),
    "tugaskan": ActionSpec(
        action_forms.AssignForm,
        actions.assign_report,
        gettext_lazy("Tugaskan ke koordinator"),
        gettext_lazy("Tugaskan"),
        gettext_lazy("Laporan ditugaskan."),
        stays=True,
    ),
    "lepas": ActionSpec(
        action_forms.ReleaseForm,
        actions.release_report,
        gettext_lazy("Lepas"),
        gettext_lazy("Lepas (tanpa pemilik)"),
        gettext_lazy("Laporan kini tanpa pemilik."),
        stays=True,
    ),
    "perpanjang": ActionSpec(
        action_forms.ExtendForm,
        actions.extend_information_request,
        gettext_lazy("Perpanjang tenggat informasi (sekali, +7 hari kerja)"),
        gettext_lazy("Perpanjang"),
        gettext_lazy("Tenggat jawaban diperpanjang."),
        stays=True,
    ),
    "tindak-lanjut": ActionSpec(
        action_forms.FollowUpForm,
        actions.post_follow_up,
        gettext_lazy("Tindak lanjut"),
        gettext_lazy("Kirim tindak lanjut"),
        gettext_lazy("Tindak lanjut disimpan."),
        on_disposition=True,
        stays=True,
    ),
    "selesai": ActionSpec(
        action_forms.FinishForm,
        actions.finish_disposition,
        gettext_lazy("Tandai selesai"),
        gettext_lazy("Tandai disposisi selesai"),
        gettext_lazy("Disposisi ditandai selesai."),
        on_disposition=True,
    ),
    "kembalikan": ActionSpec(
        action_forms.ReturnForm,
        actions.return_disposition,
        gettext_lazy("Kembalikan: bukan wewenang"),
        gettext_lazy("Kembalikan ke koordinator"),
        gettext_lazy("Disposisi dikembalikan ke koordinator."),
        on_disposition=True,
    ),
    # Dispose down, return up inside the government (reports/actions/units.py).
    "teruskan-unit": ActionSpec(
        action_forms.ForwardToUnitForm,
        actions.forward_to_unit,
        gettext_lazy("Teruskan ke unit"),
        gettext_lazy("Teruskan ke unit"),
        gettext_lazy("Disposisi diteruskan ke unit."),
        on_disposition=True,
        stays=True,
    ),
    "kembalikan-ke-opd": ActionSpec(
        action_forms.ReturnToAgencyForm,
        actions.return_to_agency,
        gettext_lazy("Kembalikan ke perangkat daerah"),
        gettext_lazy("Kembalikan ke perangkat daerah"),
        gettext_lazy("Disposisi dikembalikan ke perangkat daerah."),
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
    ("refer", "rujuk"),
    ("return_referral", "kembalikan-rujukan"),
]


@dataclass
class ActionBox:
    """One box of the page's actions. Its form is built when the page draws it (``build``),
    not when the box is listed: a page whose forms are kept as HTML (fragments.py) builds
    none."""

    slug: str
    build: object
    url: str
    title: str
    button: str
    rejected: bool = False

    @cached_property
    def form(self):
        return self.build()

    @property
    def fields(self):
        """The form's fields but those it folds away (``collapsed_fields``)."""
        folded = getattr(self.form, "collapsed_fields", ())
        return [field for field in self.form.visible_fields() if field.name not in folded]

    @property
    def folded_fields(self):
        folded = getattr(self.form, "collapsed_fields", ())
        return [field for field in self.form.visible_fields() if field.name in folded]


@dataclass
class Rejected:
    """A refused action: its URL name and its bound form, errors included."""

    slug: str
    form: object


def auto_id(slug):
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
        kwargs["auto_id"] = auto_id(slug)
        is_rejected = rejected is not None and rejected.slug == slug

        def build(spec=spec, builder=builder, kwargs=kwargs, is_rejected=is_rejected):
            if is_rejected:
                return rejected.form
            form = builder(report, **kwargs) if builder else spec.form(**kwargs)
            for_governments(form, report.government_id)
            return form

        if spec.on_disposition:
            url = reverse("workspace:disposition_action", args=[mine.pk, slug])
        else:
            url = reverse("workspace:report_action", args=[report.pk, slug])
        if origin:
            url = f"{url}?{origin.param}"
        boxes.append(ActionBox(slug, build, url, spec.title, spec.button, rejected=is_rejected))

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
        # A unit's disposition goes back up to its agency, the agency's to the coordinator.
        # A unit's disposition goes back up to its agency, the agency's to the coordinator
        # (access.allowed_actions_for leaves the one that applies).
        if "return_to_agency" in allowed and open_state:
            add("kembalikan-ke-opd")
        if "return_disposition" in allowed and open_state:
            add("kembalikan")
        if "forward_to_unit" in allowed and open_state:
            add("teruskan-unit", agency=mine.agency_id)
    if "extend_information" in allowed and report.kind == Kind.INFORMATION_REQUEST and not report.info_extended_at:
        add("perpanjang")
    return boxes


def report_page(request, report, *, reveal=False, rejected=None, stale_events=(), status=200):
    """The report page; with ``rejected`` (a refused action), that action's box holds the
    form as typed, with its errors, answered with ``status``; ``stale_events``: what others
    did since the refused form's page was loaded. Opened from a list (``?from=``), it links
    back to it and to the reports before and after."""
    user = request.user
    origin = origin_of(request)
    profile = staff_profile(user)
    dispositions = list(report.dispositions.select_related("agency").with_next_due())
    by_pk = {d.pk: d for d in dispositions}
    for d in dispositions:
        # A unit's disposition names the agency that forwarded it (no query per row).
        d.forwarded_by = by_pk.get(d.parent_id)
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
    canned_replies = canned.replies_for(part.role) if boxes else []
    triage_duplicates = fragments.triage_duplicates(user, profile, report)
    if fragments.panel_reads_first(profile, report):
        for box in boxes:
            box.form  # noqa: B018 (built now, before the panel's first read adds suggestions)
    # The timeline, the action forms and the triage panel are drawn once per report
    # version and viewer's part, then kept (fragments.py); the access check above ran.
    fragment_keys = fragments.keys(
        report=report,
        profile=profile,
        part=part,
        reading=reading,
        show_identity=show_identity,
        may_see_identity=may_see_identity,
        dispositions=dispositions,
        events=events,
        attachments=attachments,
        duplicates=triage_duplicates,
        extra={
            "rejected": rejected is not None,
            "origin": origin.param if origin else "",
            "canned": [(reply.pk, reply.title) for reply in canned_replies],
            "boxes": [(box.slug, box.url) for box in boxes],
        },
    )
    context = {
        "report": report,
        "fragment_keys": fragment_keys,
        "fragment_seconds": fragments.FRAGMENT_SECONDS,
        "triage_duplicates": triage_duplicates,
        "csrf_mark": fragments.CSRF_MARK,
        "referred_from": _referred_from(report, events),
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
        "neighbours": neighbours(user, origin, report.pk) if origin else None,
        "canned_replies": canned_replies,
    }
    return fragments.personalise(request, render(request, "workspace/report.html", context, status=status))


def _referred_from(report, events):
    """The ``referred`` event that brought the report to its government, while it is there
    (the last handover between governments, from the events already loaded)."""
    last = next((e for e in reversed(events) if e.action in ("referred", "referral_returned")), None)
    if last is not None and last.action == "referred" and (last.data or {}).get("to") == report.government_id:
        return last
    return None


def _ownership_forms(report, user):
    """The take / release buttons and the assign select, for those who may use them."""
    urls = {slug: reverse("workspace:report_action", args=[report.pk, slug]) for slug in ("ambil", "tugaskan", "lepas")}
    return {
        "urls": urls,
        "may_take": report.owner_id != user.pk,
        "may_release": report.owner_id is not None,
        "assign_form": action_forms.AssignForm(auto_id=auto_id("tugaskan")),
    }


@staff_required
def report_detail(request, pk):
    try:
        report = access.get_report_for(request.user, pk)
    except Http404:
        # Referred to another government: its read-only page (404 for anyone else).
        if access.referred_out_by(request.user).filter(pk=pk).exists():
            return redirect("workspace:referred_report", pk=pk)
        # An agency whose disposition ended keeps what it wrote, and reads nothing after.
        report, mine = access.own_history_for(request.user, pk)
        return _own_history_page(request, report, mine)
    return report_page(request, report)


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
        "stale_events": changes_since(request.user, report.pk, version),
    }
    return render(request, "workspace/_presence.html", context)


@staff_required
@require_POST
def reveal_identity(request, pk):
    report = access.get_report_for(request.user, pk)
    access.require(access.can_see_identity(request.user, report))
    return report_page(request, report, reveal=True)


@staff_required
def attachment(request, pk):
    item = get_object_or_404(Attachment, pk=pk)
    # Raises 404 unless the user is staff of this report (the coordinator, an executive, or
    # an agency it was disposed to): the same people who see its internal notes, so this
    # one check also covers the attachments of internal notes (is_public=False).
    access.get_report_for(request.user, item.report_id)
    return uploads.serve_stored(
        item.file.storage, item.file.name, name=item.original_name, content_type=item.content_type
    )


@staff_required
def canned_reply(request, pk):
    """A canned reply's text filled for report ``pk`` (text/plain), for the message box the
    staff member chose it in (static/js/workspace.js inserts it): {nomor}, {opd} — the
    agency chosen in that form, else the user's own, the lead agency, or triage's
    suggestion — and {tenggat}, the deadline that agency gets or has, else the
    coordinator's. Only for those who may act on the report."""
    report = access.get_report_for(request.user, pk, write=True)
    form = action_forms.CannedReplyForm(request.GET)
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
    suggested = action_forms.suggested_lead_agency(report)
    agency = Agency.objects.filter(pk=suggested).first() if suggested else None
    return agency, report.due_at


def changes_since(user, report_pk, version):
    """The events others wrote on the report after event ``version`` (the page's last when
    it was loaded); none when the form carried no version (a client that does not send it)."""
    if not (version.isdigit() and len(version) < 19):
        return []
    since = ReportEvent.objects.filter(report_id=report_pk, pk__gt=int(version)).exclude(actor=user)
    return list(since.select_related("actor", "agency").order_by("created_at", "pk"))
