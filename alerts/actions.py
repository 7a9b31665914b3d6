"""Every change to a subscription happens here: subscribe, confirm, unsubscribe, the
subscription of a "me too" supporter, and the daily digests.

Messages go through the outbox (notify.actions.queue) with a ``dedupe_key`` per
subscription and day, never with a ``report`` (the outbox's fallback would otherwise send
a follower's message to the report's reporter) and never with a ``user``.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alerts import scope, tokens
from alerts.models import Channel, Subscription
from core.errors import DomainError
from governments.models import site_name
from notify import fallback
from notify.accounts import sending_account
from notify.actions import TemplateMissing, queue
from reports.models import Report

logger = logging.getLogger(__name__)

State = Subscription.State
DIGEST_ITEMS = 20  # reports listed in one digest; "and N more" after that


@dataclass(frozen=True)
class SubscribeOutcome:
    subscription: Subscription
    # A confirmation was (or had already been) sent: the resident has to open it.
    needs_confirmation: bool


def whatsapp_available(government=None) -> bool:
    """WhatsApp subscriptions only where the followed ``government``'s alerts can go out on
    WhatsApp: from its own number (ADUAN_CHANNEL_GOVERNMENTS), else the installation's
    (notify.accounts.sending_account chooses the same one when they are sent)."""
    return fallback.configured(Channel.WHATSAPP, sending_account(Channel.WHATSAPP, government=government))


def site_link(name, *args) -> str:
    return settings.ADUAN_SITE_URL + reverse(name, args=args)


def describe(subscription) -> str:
    return scope.describe(report=subscription.report, region=subscription.region, category=subscription.category)


def subscribe(
    *, channel, address, report=None, region=None, category=None, language="id", support=None
) -> SubscribeOutcome:
    """Subscribe ``address`` on ``channel`` to one public report, or to an area (a kelurahan
    or a kecamatan) with an optional top-level category.

    1. refuse a report the public may not see, a missing area, a sub-category, WhatsApp
       where it is not configured;
    2. find or create the row (one per address, channel and target); an ended one becomes
       pending again;
    3. unless it is already active, queue the confirmation link (at most one a day per
       subscription: the dedupe key): nothing else is ever sent before it is opened.
    """
    if channel not in Channel.values:
        raise DomainError(_("Kanal kabar tidak dikenal."))
    if channel == Channel.WHATSAPP and not whatsapp_available(
        report.government if report is not None else getattr(region, "government", None)
    ):
        raise DomainError(_("Kabar lewat WhatsApp belum tersedia. Isi alamat email."))
    if report is not None:
        if not Report.objects.public().filter(pk=report.pk).exists():
            raise DomainError(_("Laporan ini tidak dapat diikuti."))
        region = category = None
    elif region is None:
        raise DomainError(_("Pilih kelurahan atau kecamatan yang ingin diikuti."))
    elif category is not None and category.parent_id is not None:
        raise DomainError(_("Pilih kategori utama, bukan subkategori."))
    address = address.strip().lower() if channel == Channel.EMAIL else address.strip()
    target = Subscription.target_key(report=report, region=region, category=category)
    try:
        return _subscribe(channel, address, target, report, region, category, language, support)
    except (TemplateMissing, TemplateSyntaxError):
        # A broken or deleted confirmation template (admin site): no row is kept and the
        # resident is told, rather than a subscription nobody can confirm.
        logger.exception("Confirmation for %s not queued", target)
        raise DomainError(_("Tautan konfirmasi tidak dapat dikirim sekarang. Coba lagi nanti.")) from None


def _subscribe(channel, address, target, report, region, category, language, support) -> SubscribeOutcome:
    with transaction.atomic():
        subscription = _find_or_create(channel, address, target, report, region, category, language, support)
        if subscription.state == State.ACTIVE:
            return SubscribeOutcome(subscription, needs_confirmation=False)
        if subscription.state == State.ENDED:
            subscription.state = State.PENDING
            subscription.language = language
            subscription.save(update_fields=["state", "language"])
        _queue_confirmation(subscription)
    return SubscribeOutcome(subscription, needs_confirmation=True)


def _find_or_create(channel, address, target, report, region, category, language, support):
    same = Subscription.objects.select_for_update().filter(channel=channel, address=address, target=target)
    found = same.first()
    if found is not None:
        if support is not None and found.support_id is None:
            found.support = support
            found.save(update_fields=["support"])
        return found
    try:
        with transaction.atomic():
            return Subscription.objects.create(
                channel=channel,
                address=address,
                target=target,
                report=report,
                region=region,
                category=category,
                language=language,
                support=support,
            )
    except IntegrityError:  # the same form sent twice at once
        return same.get()


def _government(subscription):
    """The government a subscription hears from: the followed report's, else the area's (a
    kelurahan or kecamatan is one government's); None: the installation's."""
    followed = subscription.report or subscription.region
    return followed.government if followed is not None else None


def _site_name(subscription) -> str:
    """The Aduan a subscription hears from (its government's name); it also sends from
    that government's account of the channel (``queue(government=…)``)."""
    return site_name(_government(subscription))


def _queue_confirmation(subscription):
    stamp = int(subscription.ended_at.timestamp()) if subscription.ended_at else 0
    with translation.override(subscription.language):
        context = {
            "site_name": _site_name(subscription),
            "target": describe(subscription),
            "confirm_link": site_link("portal:follow_confirm", tokens.confirm_token(subscription)),
        }
    queue(
        channel=subscription.channel,
        recipient=subscription.address,
        template="alert_confirm",
        context=context,
        language=_template_language(subscription),
        government=_government(subscription),
        dedupe_key=f"alerts:confirm:{subscription.pk}:{timezone.localdate().isoformat()}:{stamp}",
    )


def _template_language(subscription) -> str:
    return subscription.language if subscription.language in ("id", "en") else "id"


def follow_support(support) -> list[Subscription]:
    """A "me too" supporter who left a contact hears the report's updates like a follower:
    an email address gets the confirmation link (nothing is sent before it is opened); a
    phone number the same on WhatsApp where it is configured, else nothing (SMS carries no
    digests). A support without a contact follows nothing."""
    wanted = []
    if support.email:
        wanted.append((Channel.EMAIL, support.email))
    if support.phone_e164 and whatsapp_available(support.report.government):
        wanted.append((Channel.WHATSAPP, support.phone_e164))
    followed = []
    for channel, address in wanted:
        try:
            outcome = subscribe(
                channel=channel, address=address, report=support.report, language=support.language, support=support
            )
        except DomainError:  # the report stopped being public meanwhile: the support stands
            continue
        followed.append(outcome.subscription)
    return followed


def _locked(subscription_id) -> Subscription:
    try:
        return Subscription.objects.select_for_update().get(pk=subscription_id)
    except Subscription.DoesNotExist:
        raise DomainError(_("Langganan ini tidak ditemukan.")) from None


def confirm(subscription_id) -> Subscription:
    """The owner of the address opened the confirmation link: pending → active. Updates
    are counted from now (a digest never reaches back before the confirmation)."""
    with transaction.atomic():
        subscription = _locked(subscription_id)
        if subscription.state == State.ENDED:
            raise DomainError(_("Langganan ini sudah dihentikan. Daftar lagi bila ingin menerima kabar."))
        if subscription.state == State.PENDING:
            now = timezone.now()
            subscription.state = State.ACTIVE
            subscription.confirmed_at = now
            subscription.covered_until = now
            subscription.save(update_fields=["state", "confirmed_at", "covered_until"])
    return subscription


def unsubscribe(subscription_id) -> Subscription:
    """One click ends it (pending or active); ending an ended one changes nothing."""
    with transaction.atomic():
        subscription = _locked(subscription_id)
        if subscription.state != State.ENDED:
            subscription.state = State.ENDED
            subscription.ended_at = timezone.now()
            subscription.save(update_fields=["state", "ended_at"])
    return subscription


# ---------------------------------------------------------------------------- digests


def send_digests(now=None) -> int:
    """The daily job (alerts.tasks.send_digests). For each active subscription without a
    digest today:

    1. the public reports it follows with a public event since the last digest (or the
       confirmation); none: nothing is sent and the period stays open;
    2. claim today's digest with a compare-and-swap update (``last_digest_on`` as read), so
       two runs, or two workers, send it once; the outbox's dedupe key
       ``alerts:digest:<id>:<date>`` says the same a second time;
    3. queue one message listing them (masked headline, category, kelurahan, status, link)
       with the one-click unsubscribe link and, by email, the List-Unsubscribe headers.

    Answers how many digests were queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        Subscription.objects.filter(state=State.ACTIVE)
        .filter(Q(last_digest_on=None) | Q(last_digest_on__lt=today))
        .select_related("report__government", "region__government", "category")
        .order_by("pk")
    )
    sent = 0
    for subscription in due.iterator(chunk_size=200):
        try:
            sent += _send_digest(subscription, now, today)
        except (TemplateMissing, TemplateSyntaxError):
            logger.exception("Digest of subscription %s not queued", subscription.pk)
    return sent


def _send_digest(subscription, now, today: dt.date) -> bool:
    since = subscription.covered_until or subscription.confirmed_at or subscription.created_at
    reports = scope.reports_of(report=subscription.report, region=subscription.region, category=subscription.category)
    updated = list(
        scope.updated_between(reports, since, now)
        .select_related("category__parent", "region")
        .order_by("-received_at", "-pk")[: DIGEST_ITEMS + 1]
    )
    if not updated:
        return False
    more = scope.updated_between(reports, since, now).count() - DIGEST_ITEMS if len(updated) > DIGEST_ITEMS else 0
    with transaction.atomic():
        claimed = Subscription.objects.filter(
            pk=subscription.pk, state=State.ACTIVE, last_digest_on=subscription.last_digest_on
        ).update(last_digest_on=today, covered_until=now)
        if not claimed:
            return False
        unsubscribe_link = site_link("portal:follow_unsubscribe", tokens.unsubscribe_token(subscription))
        with translation.override(subscription.language):
            context = {
                "site_name": _site_name(subscription),
                "target": describe(subscription),
                "date": today,
                "items": [scope.item(report) for report in updated[:DIGEST_ITEMS]],
                "more": more,
                "unsubscribe_link": unsubscribe_link,
            }
        headers = {}
        if subscription.channel == Channel.EMAIL:
            # RFC 8058: mail programs offer "unsubscribe" and POST to the link themselves.
            headers = {
                "List-Unsubscribe": f"<{unsubscribe_link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        message = queue(
            channel=subscription.channel,
            recipient=subscription.address,
            template="alert_digest",
            context=context,
            language=_template_language(subscription),
            headers=headers,
            government=_government(subscription),
            dedupe_key=f"alerts:digest:{subscription.pk}:{today.isoformat()}",
        )
    return message is not None
