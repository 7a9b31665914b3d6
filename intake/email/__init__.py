"""The email channel: an inbox read over IMAP, answers by SMTP.

``poll()`` (the ``intake.tasks.poll_mailbox`` task every minute, or ``manage.py
poll_mailbox``) goes through every message in ``ADUAN_IMAP_MAILBOX``, by UID:

1. fetch the raw message without marking it read;
2. store it once: the raw bytes as a file in the default storage, and an InboundMessage
   (channel ``email``, provider id = the Message-ID, or a hash of the raw bytes when there
   is none), unique per provider id, so polling twice or a crash anywhere before step 4
   creates nothing twice;
3. handle it (``handle``), in a transaction: an auto-reply or bounce is ignored and never
   answered; a subject carrying a tracking number of a report given with the same address
   attaches the mail (quoted text trimmed) to that report; anything else becomes a new
   report. Attachments go through core.uploads; refused files are named in the answer.
   The answer, with the tracking number in its subject, is queued in the notification
   outbox in the same transaction and goes out by SMTP after the commit, with retries;
4. move the mail to ``ADUAN_IMAP_DONE_MAILBOX``, or to ``ADUAN_IMAP_FAILED_MAILBOX`` when it could not
   be parsed or handled (the InboundMessage is then ``failed`` with the error). Mail is
   never deleted.

The operators' guide is docs/channels/email.md.

Modules: ``poller`` (IMAP, storing, moving), ``parsing`` (one raw mail), ``handler`` (one
stored mail, and its answer). The outgoing side is gateways/email.py.
"""

from intake.email.handler import handle, tracking_number_in
from intake.email.parsing import strip_quoted
from intake.email.poller import poll

__all__ = ["handle", "poll", "strip_quoted", "tracking_number_in"]
