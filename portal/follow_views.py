""" "Ikuti": a resident follows one public report, or an area (kelurahan or kecamatan) with
an optional category, by email or WhatsApp (alerts.actions), and reads an area's RSS/Atom
feed (portal/feeds.py). No account: the confirmation and unsubscribe links are signed
(alerts/tokens.py).

- Nothing is sent but the confirmation link until its owner opens it and presses
  "Konfirmasi" (a POST: mail scanners that open every link must not confirm anything).
- Unsubscribing is one click: the link's page has one button, and the same URL takes the
  mail program's RFC 8058 POST (``List-Unsubscribe=One-Click``, no CSRF token) directly.
- Requests that send a confirmation are limited per client address (``portal_follow``).
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from alerts import actions as alerts
from alerts import tokens
from alerts.models import Subscription
from core.errors import DomainError
from portal.follow_forms import FollowForm
from portal.limited import limited_post
from reports import actions
from reports.models import Channel, Report


def feed_links(region_id, category_id=None) -> dict | None:
    """The RSS and Atom URLs of an area (and category), or None without an area."""
    if not region_id:
        return None
    query = urlencode({"wilayah": region_id, **({"kategori": category_id} if category_id else {})})
    return {"rss": f"{reverse('portal:follow_rss')}?{query}", "atom": f"{reverse('portal:follow_atom')}?{query}"}


def follow_box(report=None, initial=None, *, government=None, **extra) -> dict:
    """The context of portal/_follow.html: for ``report``, or for an area of ``government``
    (the portal's), preselected from the page's filters (``initial``: region and category ids)."""
    initial = {key: value for key, value in (initial or {}).items() if value}
    form = extra.pop("form", None) or FollowForm(report=report, initial=initial, government=government)
    region = category = None
    if report is None and not form.is_bound:
        region, category = form["region"].value(), form["category"].value()
    elif report is None and form.is_valid():
        region = form.cleaned_data["region"].pk
        category = getattr(form.cleaned_data["category"], "pk", None)
    return {
        "follow_form": form,
        "follow_report": report,
        "feeds": feed_links(region, category),
        **extra,
    }


@login_not_required
@require_http_methods(["GET", "POST"])
def follow(request):
    tracking_number = request.POST.get("laporan") or request.GET.get("laporan")
    report = None
    if tracking_number:
        report = get_object_or_404(
            Report.objects.public(), tracking_number=tracking_number, government=request.government
        )
    if request.method == "GET":
        initial = {"region": request.GET.get("wilayah"), "category": request.GET.get("kategori")}
        return render(request, "portal/follow.html", follow_box(report, initial, government=request.government))
    form = FollowForm(request.POST, report=report, government=request.government)
    answer = limited_post(request, "portal_follow", form, _subscribe)
    done, error = answer.done, answer.error
    keep = error or form.errors
    context = follow_box(report, form=form if keep else None, government=request.government, done=done, error=error)
    if not keep and report is None:
        data = form.cleaned_data
        context["feeds"] = feed_links(data["region"].pk, getattr(data["category"], "pk", None))
    if request.headers.get("HX-Request") == "true":
        # htmx 2 swaps no 4xx answer: the box, with its errors, is the answer.
        return render(request, "portal/_follow.html", context)
    return render(request, "portal/follow.html", context, status=answer.status)


def _subscribe(form) -> tuple[str, bool]:
    outcome = alerts.subscribe(**form.subscription(), language=actions.reporter_language(Channel.WEB))
    if not outcome.needs_confirmation:
        return _("Anda sudah mengikuti ini. Kabar dikirim paling banyak sekali sehari bila ada perkembangan."), False
    done = _(
        "Hampir selesai: buka tautan konfirmasi yang kami kirim ke %(address)s. "
        "Tanpa konfirmasi, tidak ada kabar yang dikirim."
    ) % {"address": form.cleaned_data["contact"][1]}
    return done, True  # only a confirmation sent counts against the limit


def _describe(subscription) -> str:
    return alerts.describe(subscription)


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET: what is about to be followed and a "Konfirmasi" button; POST: confirm."""
    try:
        subscription = Subscription.objects.select_related("report", "region", "category").get(
            pk=tokens.read_confirm(token)
        )
    except (tokens.BadToken, Subscription.DoesNotExist):
        error = (
            _("Tautan konfirmasi ini sudah kedaluwarsa. Daftar lagi untuk menerima tautan baru.")
            if tokens.is_expired(token)
            else _("Tautan konfirmasi ini tidak valid. Periksa apakah tautannya tersalin utuh.")
        )
        return render(request, "portal/follow_done.html", {"error": error}, status=400)
    context = {"target": _describe(subscription), "subscription": subscription, "token": token}
    if request.method == "POST":
        try:
            alerts.confirm(subscription.pk)
        except DomainError as refused:
            return render(request, "portal/follow_done.html", {**context, "error": refused.message}, status=400)
        context["done"] = _(
            "Terima kasih. Mulai sekarang Anda menerima kabar tentang %(target)s, paling banyak sekali sehari."
        ) % {"target": context["target"]}
        context["unsubscribe_token"] = tokens.unsubscribe_token(subscription)
        return render(request, "portal/follow_done.html", context)
    return render(request, "portal/follow_confirm.html", context)


@login_not_required
@csrf_exempt  # the mail program's one-click POST (RFC 8058) carries no CSRF token; it only ends a subscription
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: one "Berhenti" button; POST (that button, or the mail program's
    ``List-Unsubscribe=One-Click``): end the subscription."""
    try:
        subscription = Subscription.objects.select_related("report", "region", "category").get(
            pk=tokens.read_unsubscribe(token)
        )
    except (tokens.BadToken, Subscription.DoesNotExist):
        error = _("Tautan berhenti berlangganan ini tidak valid. Periksa apakah tautannya tersalin utuh.")
        return render(request, "portal/follow_done.html", {"error": error}, status=400)
    context = {"target": _describe(subscription), "token": token}
    if request.method == "POST":
        alerts.unsubscribe(subscription.pk)
        context["done"] = _("Anda tidak lagi menerima kabar tentang %(target)s.") % {"target": context["target"]}
        return render(request, "portal/follow_done.html", context)
    return render(request, "portal/follow_unsubscribe.html", context)
