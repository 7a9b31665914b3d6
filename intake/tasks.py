"""Background work of the channels (django-tasks: the database backend by default, RQ
workers with ADUAN_TASKS_BACKEND=rq). Webhooks store what arrives and enqueue these after the
commit, so they answer the provider at once."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from core import queues
from intake import email as email_channel
from intake.instagram import handler as instagram_channel
from intake.models import InboundMessage
from intake.sms import handler as sms_channel
from intake.whatsapp import conversation as whatsapp_conversation

# A stored message whose task has not handled it after this long lost its worker (killed
# mid-task, or the queue lost the task); the sweep gives it a new task.
STRANDED_AFTER = dt.timedelta(minutes=10)
SWEEP_LIMIT = 500


@task(queue_name=queues.INTAKE)
def process_whatsapp_message(message_id: int) -> None:
    """Run one stored WhatsApp message through the guided conversation (a no-op when it
    was already handled)."""
    whatsapp_conversation.handle(message_id)


@task(queue_name=queues.INTAKE)
def process_instagram_message(message_id: int) -> None:
    """Turn one stored Instagram direct message into a report, or attach it to the
    contact's open one (a no-op when it was already handled)."""
    instagram_channel.handle(message_id)


@task(queue_name=queues.INTAKE)
def process_sms_message(message_id: int) -> None:
    """Act on one stored SMS (LAPOR, STATUS/CEK or free text) and send the reply (a no-op
    when it was already handled)."""
    sms_channel.handle(message_id)


@task(queue_name=queues.INTAKE)
def poll_mailbox() -> int:
    """Read the email channel's inbox once (settings.ADUAN_SCHEDULE runs it every minute);
    a no-op while ADUAN_IMAP_HOST is empty."""
    return email_channel.poll()


@task(queue_name=queues.INTAKE)
def requeue_stranded_messages() -> int:
    """Every few minutes (settings.ADUAN_SCHEDULE): WhatsApp, Instagram and SMS messages
    still pending STRANDED_AFTER after they arrived get their task again. Handling is
    idempotent (a message is locked and handled only while pending), so a task that was
    merely slow costs nothing; Meta and the gateways do not deliver a message again once
    the webhook answered 200, so without this it would wait forever. (Email needs none:
    a message stays in the inbox until it was handled, and the next poll takes it.)"""
    handlers = {
        "whatsapp": process_whatsapp_message,
        "instagram": process_instagram_message,
        "sms": process_sms_message,
    }
    stranded = list(
        InboundMessage.objects.filter(
            outcome=InboundMessage.Outcome.PENDING,
            channel__in=handlers,
            received_at__lt=timezone.now() - STRANDED_AFTER,
        )
        .order_by("received_at")
        .values_list("pk", "channel")[:SWEEP_LIMIT]
    )
    for pk, channel in stranded:
        handlers[channel].enqueue(pk)
    return len(stranded)
