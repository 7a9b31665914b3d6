"""The frame every chat channel's handler runs a stored message in (WhatsApp, Instagram).

The channels differ in what a message means (WhatsApp guides a conversation step by step,
Instagram files a report from the first message that says enough) and in how a reply is
sent; they share how a message is handled once and safely:

1. skip it unless still pending (a redelivery or a second task does nothing);
2. download and clean its media outside any transaction, so a slow download holds no lock;
3. lock the message and the contact's conversation, let the channel's step act, record
   the outcome (and, when a photo was lost to the network, a note for staff);
4. queue the replies in the notification outbox in the same transaction: they go out
   after the commit, in order, with retries (a failed send loses nothing).

A failure marks the message failed with the error, kept for a human, deletes the files
the step stored, and apologises to the resident. A channel plugs in with ``handle()``'s
arguments: its name, ``fetch_media(message)``, its ``Step`` class and ``queue_replies``.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from intake import meta
from intake.models import Conversation, InboundMessage

Outcome = InboundMessage.Outcome


def handle(message_id, channel, *, logger, fetch_media, step, queue_replies, reply=lambda text: text) -> None:
    """Process one stored message of ``channel`` once (the steps in this module's docstring).

    ``fetch_media(message)`` answers an object with ``lost`` (why a file could not be
    fetched); ``step(conversation, message, media)`` an object with ``run()`` → (outcome,
    report), ``say(text)``, ``data``, ``conversation``, ``replies`` and ``saved_files``;
    ``queue_replies(message_id, recipient, replies, report=…)`` queues the answers;
    ``reply(text)`` turns an apology into the channel's kind of reply. A failure is logged
    on the channel's ``logger``.
    """
    with translation.override("id"):
        message = InboundMessage.objects.filter(pk=message_id, outcome=Outcome.PENDING).first()
        if message is None:
            return
        current = None
        try:
            media = fetch_media(message)
            with transaction.atomic():
                message = InboundMessage.lock_pending(message_id)
                if message is None:
                    return  # a concurrent task got here first
                current = step(lock_conversation(channel, message.sender), message, media)
                outcome, report = current.run()
                message.settle(outcome, report)
                if media.lost:
                    current.say(meta.photo_lost(message, report or current.conversation.report, media.lost))
                current.conversation.data = current.data
                current.conversation.save()
                queue_replies(message.pk, message.sender, current.replies, report=report)
        except DomainError as exc:
            forget(current)
            mark_failed(message_id, exc.message, reply=reply(exc.message), queue_replies=queue_replies)
        except Exception as exc:
            forget(current)
            logger.exception("%s: processing message %s failed", channel, message_id)
            apology = _("Maaf, pesan Anda belum dapat kami proses. Petugas kami akan memeriksanya.")
            mark_failed(message_id, f"{type(exc).__name__}: {exc}", reply=reply(apology), queue_replies=queue_replies)


def lock_conversation(channel, contact) -> Conversation:
    Conversation.objects.get_or_create(channel=channel, contact=contact)
    return Conversation.objects.select_for_update().get(channel=channel, contact=contact)


def read_file(name) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def delete_files(names):
    for name in names:
        default_storage.delete(name)


def forget(step):
    """Delete the pending files a failed step had stored."""
    if step is not None:
        delete_files(step.saved_files)


def mark_failed(message_id, error, *, reply, queue_replies):
    with transaction.atomic():
        # Only if still pending: a concurrent task may have handled it meanwhile.
        if InboundMessage.mark_failed(message_id, error):
            sender = InboundMessage.objects.values_list("sender", flat=True).get(pk=message_id)
            queue_replies(message_id, sender, [reply])
