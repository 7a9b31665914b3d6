"""'Saya juga mengalami ini': a resident supports a public report (reports.actions.support_report).

The device is a random cookie of the portal's own (``DEVICE_COOKIE``), set on the first
support; the action stores only its hash. New supports are rate limited per client
address (core/throttle.py, ``portal_support``).

A support with a contact follows the report (alerts.actions.follow_support): an email
address gets a confirmation link and, once it is opened, the report's daily digest; a
phone number the same on WhatsApp. The form asks for a phone number only where WhatsApp is
configured (SMS carries no digests): elsewhere it asks for an email address alone.

Answers: htmx gets the box, always 200 (htmx 2 swaps no 4xx answer, so a refusal would
never show), with the error or the thanks in it; a post without JavaScript is redirected
to the report's page with the thanks, or answered 400/429 with that page, its box showing
the error and what was typed."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts import actions as alerts
from alerts.actions import whatsapp_available
from portal.limited import limited_post
from portal.support_forms import SupportForm
from reports import actions
from reports.actions.support import SUPPORTABLE, device_hash
from reports.models import Channel, Report

DEVICE_COOKIE = "aduan_device"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600


def support_box(request, report, **extra) -> dict:
    """The context of portal/_support.html for ``report``."""
    token = request.COOKIES.get(DEVICE_COOKIE)
    supported = bool(token) and report.supports.filter(device=device_hash(token)).exists()
    return {
        "report": report,
        "supported": supported,
        "can_support": report.status in SUPPORTABLE,
        "support_form": extra.pop("form", None) or SupportForm(whatsapp=whatsapp_available(request.government)),
        **extra,
    }


@login_not_required
@require_POST
def support(request, tracking_number):
    report = get_object_or_404(Report.objects.public(), tracking_number=tracking_number, government=request.government)
    form = SupportForm(request.POST, whatsapp=whatsapp_available(request.government))
    token = request.COOKIES.get(DEVICE_COOKIE) or secrets.token_urlsafe(32)

    def add_support(form) -> tuple[str, bool]:
        outcome = actions.support_report(
            report,
            device=token,
            language=actions.reporter_language(Channel.WEB),  # the language the page is read in
            **form.cleaned_data["contact"],
        )
        if outcome.created:
            done = _("Terima kasih, dukungan Anda tercatat.")
        else:
            done = _("Anda sudah mendukung laporan ini sebelumnya; dukungan dihitung sekali.")
        if form.cleaned_data["contact"] and any(
            s.state == s.State.PENDING for s in alerts.follow_support(outcome.support)
        ):
            done += " " + _("Untuk menerima kabar perkembangannya, buka tautan konfirmasi yang kami kirim.")
        return done, outcome.created  # a repeated click of the same device costs nothing

    answer = limited_post(request, "portal_support", form, add_support, form_error=_contact_error)
    status, done, error = answer.status, answer.done, answer.error
    report.refresh_from_db(fields=["support_count"])
    box = {"form": form if error else None, "support_done": done, "support_error": error}
    if request.headers.get("HX-Request") == "true":
        # htmx 2 swaps no 4xx answer: the box, with its error, is the answer.
        template = "portal/_nearby_supported.html" if request.GET.get("from") == "nearby" else "portal/_support.html"
        context = support_box(request, report, **box)
        context["supported"] = context["supported"] or (bool(done) and not error)
        response = render(request, template, context)
    elif error:
        from portal.views import render_public_detail  # portal.views imports this module

        response = render_public_detail(request, report, status=status, **box)
    else:
        messages.success(request, done)
        response = redirect("portal:public_detail", tracking_number=report.tracking_number)
    if DEVICE_COOKIE not in request.COOKIES:
        response.set_cookie(
            DEVICE_COOKIE,
            token,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _contact_error(form) -> str:
    return " ".join(form.errors["contact"])
