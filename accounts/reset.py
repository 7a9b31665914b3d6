"""The password-reset email, written and sent by a worker (``accounts.tasks.send_password_reset``
on the notify queue): the reset page only queues it, so a slow or unreachable mail server
cannot hang the page. Only the account's id and the reader's language travel through the
queue; the link's token is made here, when the email is written, and stored nowhere (not
in the outbox either, whose messages coordinators read on /kerja/pengiriman/)."""

import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agencies.roles import staff_profile
from governments.models import site_name_of

SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"
BODY_TEMPLATE = "accounts/password_reset_email.txt"


def send(user_id: int, language: str) -> bool:
    """Email ``user_id`` a reset link in ``language``; False when the account can no longer
    reset (deactivated, its password or email removed since the request)."""
    user_model = get_user_model()
    user = user_model._default_manager.filter(pk=user_id, is_active=True).first()
    email = getattr(user, user_model.get_email_field_name(), "") if user else ""
    if not email or not user.has_usable_password():
        return False
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user._meta.pk.value_to_string(user))),
        "token": default_token_generator.make_token(user),
        # Links point at the installation's public address, never at a request's Host header.
        "site_url": settings.ADUAN_SITE_URL,
        # Kota Kediri's coordinator hears from Aduan Kota Kediri; no appointment (an
        # administrator), or several governments': the installation.
        "site_name": site_name_of(staff_profile(user).government_id),
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    with translation.override(language):
        subject = "".join(render_to_string(SUBJECT_TEMPLATE, context).splitlines())
        body = render_to_string(BODY_TEMPLATE, context)
    # A failure raises: the task retries a passing one (``is_transient``), else it is
    # recorded as failed, and the person may ask again.
    EmailMessage(subject, body, None, [email]).send()
    return True


def is_transient(exc: BaseException) -> bool:
    """Whether a failed send may work later: the mail server unreachable or cut off, or
    answering 4xx ("try again later"); a 5xx refusal will not change."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code < 500
    return isinstance(exc, OSError)  # refused or timed-out connections, SMTPServerDisconnected
