"""Background work of the channels (django-tasks: the database backend by default, RQ
workers with TASKS_BACKEND=rq). Webhooks store what arrives and enqueue these after the
commit, so they answer the provider at once."""

from django_tasks import task

from intake import email as email_channel
from intake import instagram as instagram_channel
from intake import sms as sms_channel
from intake.whatsapp import conversation as whatsapp_conversation


@task()
def process_whatsapp_message(message_id: int) -> None:
    """Run one stored WhatsApp message through the guided conversation (a no-op when it
    was already handled)."""
    whatsapp_conversation.handle(message_id)


@task()
def process_instagram_message(message_id: int) -> None:
    """Turn one stored Instagram direct message into a report, or attach it to the
    contact's open one (a no-op when it was already handled)."""
    instagram_channel.handle(message_id)


@task()
def process_sms_message(message_id: int) -> None:
    """Act on one stored SMS (LAPOR, STATUS/CEK or free text) and send the reply (a no-op
    when it was already handled)."""
    sms_channel.handle(message_id)


@task()
def poll_mailbox() -> int:
    """Read the email channel's inbox once (settings.ADUAN_SCHEDULE runs it every minute);
    a no-op while IMAP_HOST is empty."""
    return email_channel.poll()
