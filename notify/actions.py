"""Every change to the outbox happens here: queue, claim, deliver, retry.

A message is queued once (``dedupe_key`` is unique), rendered when queued (so a later
template edit or a changed report does not change what the event said), and delivered by
whichever worker wins the compare-and-swap claim, so two workers never send it twice.
"""

import contextlib
import datetime as dt
import logging
import time
import uuid
from functools import partial

from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connections, router, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template import Context, TemplateSyntaxError
from django.utils import timezone, translation

from agencies.roles import require_coordinator
from core.errors import DomainError
from gateways.http import GatewayError
from notify import fallback, senders
from notify.accounts import sending_account
from notify.models import ANY_CHANNEL, TEXT_ENGINE, Channel, DeliveryAttempt, MessageTemplate, OutboxMessage
from notify.muting import is_muted
from notify.signals import message_ready

logger = logging.getLogger(__name__)

State = OutboxMessage.State

# Minutes to wait after the 1st, 2nd, ... failed attempt; after the last one the message
# has failed for good (MAX_ATTEMPTS attempts in all, over about eight and a half hours).
BACKOFF_MINUTES = [1, 5, 30, 120, 360]
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A worker that claimed a message and then died leaves it "sending"; after this long
# another worker may claim it again.
STALE_CLAIM_MINUTES = 10
# Seconds to wait for the database before trying again to record a send the provider has
# accepted (about four minutes in all, well inside STALE_CLAIM_MINUTES): a message left
# "sending" would be taken over and sent a second time.
RECORD_WAITS = [1, 2, 5, 10, 20, 30, 60, 60, 60]


class TemplateMissing(LookupError):
    pass


def find_template(code, language, channel) -> MessageTemplate:
    """The most specific template: this language and channel, this language for any
    channel, then the same in Indonesian."""
    candidates = {
        (t.language, t.channel): t
        for t in MessageTemplate.objects.filter(code=code, language__in={language, "id"}, channel__in={channel, "any"})
    }
    for key in ((language, channel), (language, ANY_CHANNEL), ("id", channel), ("id", ANY_CHANNEL)):
        if key in candidates:
            return candidates[key]
    raise TemplateMissing(f"no message template {code!r}")


def render(text, context) -> str:
    return TEXT_ENGINE.from_string(text).render(Context(context, autoescape=False)).strip()


def queue(
    *,
    channel,
    recipient,
    dedupe_key,
    template="",
    context=None,
    subject="",
    body="",
    language="id",
    user=None,
    report=None,
    buttons=(),
    headers=None,
    after=None,
    received_on=None,
    government=None,
) -> OutboxMessage | None:
    """Queue one message, once.

    1. nothing while muted (notify.muted()), nor without a recipient;
    2. a message with this ``dedupe_key`` already queued: that one is answered, no new row;
    3. render ``template`` (a MessageTemplate code) with ``context`` in ``language``, or
       take the literal ``subject``/``body`` (conversational replies);
    4. an email about a report always names its tracking number in the subject;
    5. choose the account it goes out from (``accounts.sending_account``): ``received_on`` for an
       answer to a resident's message, else the account the resident last wrote to about
       the report, else that of the report's (or ``government``'s) government;
    6. store it, with its extra email ``headers`` and the message it must wait for
       (``after``: the previous answer of the same conversation), and enqueue its
       delivery after the commit.
    """
    if is_muted() or not recipient:
        return None
    existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    if template:
        found = find_template(template, language, channel)
        with translation.override(language):
            subject = render(found.subject, context or {})
            body = render(found.body, context or {})
    if channel == Channel.EMAIL and report is not None and report.tracking_number not in subject:
        subject = f"[{report.tracking_number}] {subject}".strip()
    account = sending_account(channel, user=user, report=report, government=government, received_on=received_on)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                channel=channel,
                recipient=str(recipient)[:254],
                user=user,
                report=report,
                template_code=template,
                language=language,
                subject=subject[:200],
                body=body,
                buttons=[list(b) for b in buttons],
                headers=dict(headers or {}),
                after=after,
                account=account[:254],
                answers_inbound=received_on is not None,
                dedupe_key=dedupe_key[:200],
            )
    except IntegrityError:
        # Queued meanwhile by a concurrent transaction with the same key.
        return OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
    transaction.on_commit(partial(_announce_ready, message.pk))
    return message


def queue_safely(**kwargs) -> OutboxMessage | None:
    """queue(), but a missing or broken template is logged instead of raised: a
    notification must never undo or break the change it announces."""
    try:
        return queue(**kwargs)
    except (TemplateMissing, TemplateSyntaxError):
        logger.exception("Notification %s not queued", kwargs.get("dedupe_key"))
        return None


def _announce_ready(message_id):
    """After the commit: notify/tasks.py hears it and enqueues the delivery. A failure
    (the queue unreachable, the database cut just after the commit) is logged, never
    raised: the change is committed with its message, and the sweep (``deliver_due``,
    every minute) delivers a queued message whose task never came."""
    try:
        message_ready.send(sender=OutboxMessage, message_id=message_id)
    except Exception as exc:
        logger.warning("Outbox message %s: delivery not enqueued (%s); the sweep will send it", message_id, exc)


def claim(message_id, *, now=None) -> str | None:
    """Take the message for this worker with one compare-and-swap UPDATE: it must still be
    queued and due, or claimed by a worker that has not finished for STALE_CLAIM_MINUTES,
    and the message it comes ``after`` must be settled (not queued or sending). Answers
    the claim token when this worker won (exactly one concurrent claim wins), else None.
    Each claim counts as an attempt."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    stale = now - dt.timedelta(minutes=STALE_CLAIM_MINUTES)
    waiting = OutboxMessage.objects.filter(pk=OuterRef("after_id"), state__in=[State.QUEUED, State.SENDING])
    won = (
        OutboxMessage.objects.filter(pk=message_id)
        .filter(Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(state=State.SENDING, claimed_at__lt=stale))
        .filter(~Exists(waiting))
        .update(state=State.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    )
    return token if won == 1 else None


def backoff(attempts) -> dt.timedelta | None:
    """The wait after ``attempts`` failed attempts; None when they are used up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return dt.timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def deliver(message_id, *, now=None) -> str | None:
    """Send one message if this worker wins it.

    1. claim it (compare-and-swap); another worker's message is left alone (None);
    2. call the channel's sender, recording a DeliveryAttempt with the provider's id or the
       error;
    3. sent (recorded even through a short database outage, see ``_record_sent``); or, on
       a retryable error with attempts left, queued again after the backoff; otherwise (a
       refusal such as a 4xx, or the last attempt) failed.
    Answers the message's new state, or None when this worker did not win it, or lost it
    while sending: a claim that went stale was taken over by another worker, whose result
    stands. Only the holder of the claim token may settle the message.
    """
    token = claim(message_id, now=now)
    if token is None:
        return None
    message = OutboxMessage.objects.get(pk=message_id)
    attempt = DeliveryAttempt.objects.create(message=message, started_at=timezone.now())
    try:
        provider_id = senders.send(message)
    except GatewayError as exc:
        return _settle_failure(message, attempt, token, str(exc), retryable=exc.retryable, now=now)
    except Exception as exc:  # an SMTP server that is down, a timeout in a client library
        logger.warning("Outbox message %s: %s", message_id, exc)
        return _settle_failure(message, attempt, token, f"{type(exc).__name__}: {exc}", retryable=True, now=now)
    if not _record_sent(message_id, attempt, token, provider_id):
        return _claim_lost(message_id)
    _release_followers(message_id)
    return State.SENT


def _record_sent(message_id, attempt, token, provider_id) -> bool:
    """Record a send the provider accepted: the attempt ok, the message sent while this
    worker's claim holds. True when recorded, False when the claim was taken over.

    Only this record keeps the message from being claimed again after STALE_CLAIM_MINUTES
    and sent twice, so a lost database connection (a restart, a failover) is waited for
    (RECORD_WAITS) and the same writes tried again; a write that reached the database
    before its answer was lost matches again (same ``sent_at``), so it counts as done.
    """
    finished = timezone.now()
    attempt.finished_at, attempt.ok, attempt.provider_message_id = finished, True, str(provider_id or "")[:300]
    waits = iter(RECORD_WAITS)
    while True:
        try:
            attempt.save(update_fields=["finished_at", "ok", "provider_message_id"])
            mine = Q(claim_token=token) | Q(state=State.SENT, sent_at=finished)
            return bool(
                OutboxMessage.objects.filter(mine, pk=message_id).update(
                    state=State.SENT, sent_at=finished, last_error="", claim_token=""
                )
            )
        except (OperationalError, InterfaceError) as exc:
            wait = next(waits, None)
            if wait is None:
                raise
            logger.warning(
                "Outbox message %s was sent but cannot be recorded yet (%s); trying again in %s s",
                message_id,
                exc,
                wait,
            )
            time.sleep(wait)
            _drop_broken_connection()


def _drop_broken_connection():
    """Close a connection the database cut, so the next query opens a new one (a task
    worker otherwise does so only between tasks). Not inside a transaction: there only a
    rollback helps, and the caller's error says so."""
    conn = connections[router.db_for_write(OutboxMessage)]
    if not conn.in_atomic_block:
        with contextlib.suppress(DatabaseError):
            conn.close_if_unusable_or_obsolete()


def _claim_lost(message_id):
    logger.warning(
        "Outbox message %s: the claim was taken over while sending; the other worker's result stands.", message_id
    )
    return None


def _release_followers(message_id):
    """The next answers of a conversation waited for this one, now settled: deliver them
    now rather than at the next sweep."""
    for pk in OutboxMessage.objects.filter(after_id=message_id, state=State.QUEUED).values_list("pk", flat=True):
        transaction.on_commit(partial(_announce_ready, pk))


def _settle_failure(message, attempt, token, error, *, retryable, now):
    error = error[:2000]
    attempt.finished_at, attempt.error = timezone.now(), error
    attempt.save(update_fields=["finished_at", "error"])
    wait = backoff(message.attempts) if retryable else None
    if wait is None:
        state, next_at = State.FAILED, message.next_attempt_at
        logger.warning(
            "Outbox message %s (%s from %s) failed for good: %s",
            message.pk,
            message.channel,
            message.account or "the installation's account",
            error,
        )
    else:
        state, next_at = State.QUEUED, (now or timezone.now()) + wait
    settled = OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(
        state=state, next_attempt_at=next_at, last_error=error, claim_token=""
    )
    if not settled:
        return _claim_lost(message.pk)
    if state == State.FAILED:
        # The rest of the conversation still goes out: a lost answer should not silence
        # the ones after it; and a reporter hears on another contact they gave.
        _release_followers(message.pk)
        if plan := fallback.next_contact(message):
            queue(**plan)
    return state


def deliver_due(*, now=None, limit=500) -> int:
    """Deliver every due message (retries, and anything whose task was lost); the number
    sent. A message another worker is sending is skipped by the claim."""
    now = now or timezone.now()
    stale = now - dt.timedelta(minutes=STALE_CLAIM_MINUTES)
    ids = list(
        OutboxMessage.objects.filter(
            Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(state=State.SENDING, claimed_at__lt=stale)
        )
        # In the order they were queued: a conversation's next answer comes after the one
        # it waits for (``after``), even when that one waited for a retry.
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if deliver(pk, now=now) == State.SENT)


def retry(message, *, actor) -> OutboxMessage:
    """The coordinator sends a failed (or waiting) message again now, with a fresh set of
    attempts."""
    require_coordinator(actor)
    with transaction.atomic():
        changed = OutboxMessage.objects.filter(pk=message.pk, state__in=[State.FAILED, State.QUEUED]).update(
            state=State.QUEUED, attempts=0, next_attempt_at=timezone.now(), claim_token=""
        )
        if not changed:
            raise DomainError(translation.gettext("Pesan ini sudah terkirim atau sedang dikirim."))
        transaction.on_commit(partial(_announce_ready, message.pk))
    message.refresh_from_db()
    return message
