"""The monthly recap email to executives, through the notification outbox."""

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import override

from agencies.models import Appointment, Role
from governments.models import Government, site_name
from monev import dashboard, figures, recap
from notify.actions import queue_safely
from notify.models import Channel, OutboxMessage


def send_monthly_recap(now=None, *, force=False) -> int:
    """1. only on the first day of the month (or with ``force``);
    2. build last month's dashboard (the same numbers as the page and the downloads);
    3. queue one email per active executive with an email address, deduplicated per month
       and person, linking to the XLSX and PDF recaps in the workspace.
    Returns how many messages were queued."""
    today = timezone.localdate(now or timezone.now())
    if today.day != 1 and not force:
        return 0
    start, end = figures.period_bounds("month", today.replace(day=1) - dt.timedelta(days=1))
    # Each government's executives get their own government's figures (the tenancy rule).
    by_government: dict = {}
    for a in Appointment.objects.active(now).filter(role=Role.EXECUTIVE).select_related("person", "agency"):
        if a.person.is_active and a.person.email:
            by_government.setdefault(a.agency.government_id, {})[a.person.pk] = a.person
    queued = 0
    for government_id, people in sorted(by_government.items()):
        flt = figures.Filter(start, end, government=government_id)
        queued += _send_recap(flt, people.values())
    return queued


def _send_recap(flt, people) -> int:
    """Build ``flt``'s dashboard and queue its recap email to each of ``people``."""
    board = dashboard.build(flt, with_scorecard=True)
    query = urlencode(flt.scope_params())
    links = {fmt: f"{settings.ADUAN_SITE_URL}{reverse('monev:recap', args=[fmt])}?{query}" for fmt in ("xlsx", "pdf")}
    links["dashboard"] = f"{settings.ADUAN_SITE_URL}{reverse('monev:dashboard')}?{query}"
    queued = 0
    with override("id"):
        period = recap.period_label(flt)
        subject = _("Rekap monev pengaduan %(period)s") % {"period": period}
        body = render_to_string(
            "monev/recap_email.txt",
            {
                "site_name": site_name(Government.objects.filter(pk=flt.government_id).first()),
                "period": period,
                "rows": recap.summary_rows(board),
                "scorecard": board.scorecard,
                "links": links,
            },
        )
    for person in people:
        key = f"monev-recap:{flt.start:%Y-%m}:{person.pk}"
        if OutboxMessage.objects.filter(dedupe_key=key).exists():
            continue
        message = queue_safely(
            channel=Channel.EMAIL,
            recipient=person.email,
            dedupe_key=key,
            subject=subject,
            body=body,
            user=person,
        )
        queued += message is not None
    return queued
