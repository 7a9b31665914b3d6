"""The public portal: submit, track and browse reports without an account.

Views stay thin: a form parses the input, reports/access.py loads the report, an action in
reports/actions/ changes it. The reporter acts as ``access.Reporter(report.pk)``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import throttle, uploads
from core.errors import DomainError
from notify import fallback
from portal import forms, map_points, presenters, pwa
from portal.follow_views import follow_box
from portal.reporter_actions import REPORTER_ACTIONS
from portal.support_views import support_box
from reports import access, actions
from reports.models import Attachment, Kind, Report, Status


@login_not_required
def home(request):
    return render(request, "portal/home.html")


# ---------------------------------------------------------------------------- submission


@login_not_required
def submit(request):
    form = forms.ReportForm(request.POST or None, request.FILES or None, government=request.government)
    status = 200
    if request.method == "POST" and (wait := throttle.retry_after("portal_submit", request)):
        # Checked before the form, so a flood costs no upload handling; what was typed stays.
        form.is_valid()
        form.add_error(None, throttle.too_often_message(wait))
        status = 429
    elif request.method == "POST":
        if form.is_valid():
            try:
                report = actions.submit_report(**form.submit_kwargs(), channel=pwa.channel_for(request))
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                throttle.count("portal_submit", request)
                return redirect("portal:submitted", secret=report.secret)
        if request.FILES:
            # Checking files costs the server work even when the form is refused (a photo is
            # opened, a PDF read through): such a refusal counts like a stored report, so
            # the limit also holds for whoever posts broken or oversized files on purpose.
            throttle.count("portal_submit", request)
    return render(request, "portal/submit.html", {"form": form, "map": _map_config(request.government)}, status=status)


def _map_config(government):
    """The pin map's ground (tiles, or the kelurahan centres without them) and the files it
    needs, which the form loads only when the resident opens the map ("Pilih di peta"): a
    cheap phone's first load of /lapor/ carries no map library and no tile."""
    return {
        **map_points.base_config(government),
        "files": {
            "css": [static("vendor/leaflet/leaflet.css"), static("css/map.css")],
            "js": [static("vendor/leaflet/leaflet.js"), static("js/map-base.js")],
        },
    }


@login_not_required
def submitted(request, secret):
    report = access.get_report_by_secret(secret)
    link = request.build_absolute_uri(reverse("portal:track_detail", args=[report.secret]))
    return render(request, "portal/submitted.html", {"report": report, "link": link})


@login_not_required
def subcategories(request):
    """htmx: the <option>s of the child select for the chosen parent category."""
    children = forms.subcategories(request.government)
    if request.GET.get("parent", "").isdigit():
        children = children.filter(parent_id=request.GET["parent"])
    return render(
        request,
        "portal/_options.html",
        {
            "groups": _grouped(children),
            "empty_label": _("Pilih subkategori…"),
        },
    )


@login_not_required
def kelurahan(request):
    """htmx: the <option>s of the kelurahan select for the chosen kecamatan."""
    regions = forms.kelurahan(request.government)
    if request.GET.get("kecamatan", "").isdigit():
        regions = regions.filter(parent_id=request.GET["kecamatan"])
    return render(
        request,
        "portal/_options.html",
        {
            "groups": _grouped(regions),
            "empty_label": _("Pilih kelurahan…"),
        },
    )


def _grouped(rows):
    groups: dict = {}
    for row in rows:
        groups.setdefault(str(row.parent), []).append(row)
    return groups.items()


# ---------------------------------------------------------------------------- tracking


@login_not_required
def track(request):
    form = forms.TrackForm(request.POST or None)
    status = 200
    if request.method == "POST" and (wait := throttle.retry_after("portal_track_failed", request)):
        # Too many failed guesses: no lookup at all, so numbers cannot be probed.
        form.is_valid()
        form.add_error(None, throttle.too_often_message(wait))
        status = 429
    elif request.method == "POST" and form.is_valid():
        report = access.find_report_for_reporter(form.cleaned_data["tracking_number"], form.cleaned_data["contact"])
        # A portal finds its own government's reports only (the secret link works anywhere).
        if report is not None and report.government_id == request.government.pk:
            return redirect("portal:track_detail", secret=report.secret)
        if report is not None and (
            portal := access.portal_referred_to(request.government, Report.objects.filter(pk=report.pk))
        ):
            # Referred to another government: its tracking page there.
            return _on_portal(request, portal, "portal:track_detail", report.secret)
        throttle.count("portal_track_failed", request)
        # One message whatever went wrong, so the form does not tell which numbers exist.
        form.add_error(
            None,
            _(
                "Nomor pelacakan dan kontak tidak cocok dengan laporan mana pun. "
                "Periksa kembali, atau buka tautan pribadi yang Anda simpan saat melapor."
            ),
        )
    return render(request, "portal/track.html", {"form": form}, status=status)


@login_not_required
def track_detail(request, secret):
    report = access.get_report_by_secret(secret)
    if report.government_id != request.government.pk and (
        portal := access.portal_referred_to(request.government, Report.objects.filter(pk=report.pk))
    ):
        # The link from the first message, on the portal of the government that referred
        # the report away: the page on the portal of the government that has it now.
        return _on_portal(request, portal, "portal:track_detail", report.secret)
    return render(request, "portal/track_detail.html", _track_context(report))


def _track_context(report):
    events = list(report.events.filter(is_public=True).select_related("agency"))
    attachments = list(report.attachments.filter(is_public=True).select_related("event"))
    dispositions = list(report.dispositions.active().select_related("agency").order_by("role", "created_at"))
    own_files = [a for a in attachments if a.event is None or a.event.action == "submitted"]
    can_rate = report.status in (Status.RESOLVED, Status.CLOSED) and report.rating is None
    can_object = (
        report.kind == Kind.INFORMATION_REQUEST
        and report.status in (Status.RESOLVED, Status.CLOSED)
        and not report.objection_filed_at
    )
    return {
        "report": report,
        "explanation": presenters.STATUS_NEXT.get(report.status, ""),
        "deadlines": presenters.deadlines(report, dispositions),
        "agencies": [d.agency for d in dispositions],
        "timeline": presenters.timeline(report, events, attachments, public=False),
        "own_files": own_files,
        "reply_form": forms.ReplyForm() if report.status == Status.ON_HOLD else None,
        "confirm_form": forms.ConfirmForm() if report.status == Status.RESOLVED else None,
        "dispute_form": forms.DisputeForm() if report.status == Status.RESOLVED else None,
        "rate_form": forms.RateForm() if can_rate else None,
        "objection_form": forms.ObjectionForm() if can_object else None,
        "unreachable": fallback.reporter_unreachable(report),
    }


@login_not_required
def track_attachment(request, secret, pk):
    report = access.get_report_by_secret(secret)
    attachment = get_object_or_404(Attachment, pk=pk, report=report, is_public=True)
    return _file_response(attachment)


@login_not_required
@require_POST
def track_action(request, secret, name):
    """One of the reporter's actions (portal/reporter_actions.py): parse its form, run it as
    the holder of the secret link, and say how it went on the tracking page."""
    spec = REPORTER_ACTIONS[name]
    report = access.get_report_by_secret(secret)
    form = spec.form(request.POST, request.FILES)
    if not form.is_valid():
        context = _track_context(report)
        if context[f"{name}_form"] is not None:
            # The page again with what was typed and each error beside its field (a message
            # at the top is not tied to the field it is about).
            context[f"{name}_form"] = form
            return render(request, "portal/track_detail.html", context, status=400)
        # A form the report's state no longer offers (a page left open): say so at the top.
        errors = [message for field_errors in form.errors.values() for message in field_errors]
        messages.error(request, " ".join(errors))
    else:
        try:
            spec.perform(report, access.Reporter(report.pk), form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, spec.done)
    return redirect("portal:track_detail", secret=report.secret)


# ---------------------------------------------------------------------------- public


@login_not_required
def public_list(request):
    form = forms.PublicFilterForm(request.GET or None, government=request.government)
    reports = Report.objects.public().select_related("category__parent", "region").order_by("-received_at", "-pk")
    page = Paginator(form.filter(reports), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/public_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # "Ikuti" starts from the list's filters: its kecamatan and category.
            **follow_box(
                initial=_filter_ids(form, region="kecamatan", category="category"), government=request.government
            ),
        },
    )


def _filter_ids(form, **fields) -> dict:
    """The ids a valid filter form chose, by the follow box's names."""
    if not form.is_valid():
        return {}
    return {name: getattr(form.cleaned_data[field], "pk", None) for name, field in fields.items()}


def _public_report(request, tracking_number):
    """A public report of the portal's government (another's is not found here)."""
    return get_object_or_404(
        Report.objects.public().select_related("category__parent", "region__parent"),
        tracking_number=tracking_number,
        government=request.government,
    )


@login_not_required
def public_detail(request, tracking_number):
    try:
        report = _public_report(request, tracking_number)
    except Http404:
        if not request.portal_slug and (slug := _portal_of(tracking_number, request.government)):
            # The un-prefixed address of another government's report (a link from before
            # portals were per government, a digest, a feed): its page on its own portal.
            return _on_portal(request, (slug, None), "portal:public_detail", tracking_number)
        public = Report.objects.public().filter(tracking_number=tracking_number)
        if portal := access.portal_referred_to(request.government, public):
            # Referred away: the link on the first government's portal still leads to it.
            return _on_portal(request, portal, "portal:public_detail", tracking_number)
        raise
    return render_public_detail(request, report)


def _on_portal(request, portal, name, *args):
    """A redirect to the page ``name`` on the portal ``(slug, host)`` of a government: on
    its host name when it has one, else under its slug — on the main site's address
    (ADUAN_SITE_URL) when this request is on another government's host name, where no
    other slug is served (governments/middleware.py)."""
    slug, host = portal
    path = reverse(name, args=args).removeprefix(get_script_prefix())
    root = getattr(request, "portal_root", "/")
    if host:
        return redirect(f"{request.scheme}://{host}{root}{path}")
    here = request.government.host
    if here and request.get_host().partition(":")[0].lower() == here:
        return redirect(f"{settings.ADUAN_SITE_URL}{root}{slug}/{path}")
    return redirect(f"{root}{slug}/{path}")


def _portal_of(tracking_number, government):
    """The slug of the active government, other than ``government``, whose public report
    ``tracking_number`` is, else None."""
    return (
        Report.objects.public()
        .filter(tracking_number=tracking_number, government__is_active=True)
        .exclude(government=government)
        .values_list("government__slug", flat=True)
        .first()
    )


def render_public_detail(request, report, *, status=200, **support):
    """The public page of ``report``; ``support`` goes to its "me too" box (the box's form
    and its error, when a post without JavaScript is answered with the page)."""
    events = list(report.events.filter(is_public=True).select_related("agency"))
    attachments = [
        a for a in report.attachments.filter(is_public=True).select_related("event") if presenters.shown_publicly(a)
    ]
    return render(
        request,
        "portal/public_detail.html",
        {
            "report": report,
            "words": report.words(masked=True),
            "timeline": presenters.timeline(report, events, attachments, public=True),
            "files": [a for a in attachments if a.event is None or a.event.action == "submitted"],
            **support_box(request, report, **support),
            **follow_box(report, government=request.government),
        },
        status=status,
    )


@login_not_required
def public_attachment(request, tracking_number, pk):
    report = _public_report(request, tracking_number)
    attachment = get_object_or_404(Attachment.objects.select_related("event"), pk=pk, report=report)
    if not presenters.shown_publicly(attachment):
        raise Http404
    return _file_response(attachment)


def _file_response(attachment):
    # A download with nosniff, except a photo we re-encoded; from a bucket, a signed URL (core/uploads.py).
    return uploads.serve_stored(
        attachment.file.storage,
        attachment.file.name,
        name=attachment.original_name,
        content_type=attachment.content_type,
    )
