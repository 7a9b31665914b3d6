"""Signed links, so a resident confirms or ends a subscription without an account: the
subscription's id signed with the site's secret key. A confirmation link expires; an
unsubscribe link never does (an old digest must still stop the next one)."""

from django.core import signing

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600  # seconds


class BadToken(Exception):
    """A link that was not made here, was cut short, or has expired."""


def confirm_token(subscription) -> str:
    return signing.dumps(subscription.pk, salt=CONFIRM_SALT)


def unsubscribe_token(subscription) -> str:
    # No timestamp: the same link in every digest, valid as long as the subscription.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(subscription.pk)


def read_confirm(token) -> int:
    try:
        return int(signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):  # SignatureExpired is a BadSignature
        raise BadToken from None


def read_unsubscribe(token) -> int:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token))
    except (signing.BadSignature, TypeError, ValueError):
        raise BadToken from None


def is_expired(token) -> bool:
    """A confirmation link that was genuine but is too old (the page says so)."""
    try:
        signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        return True
    except signing.BadSignature:
        return False
    return False
