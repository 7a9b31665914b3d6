from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver

from accounts import twofactor

# Sent (with ``user``) when an account turns two-factor on. The account's sessions end in
# accounts/sessions.py; a higher app whose credentials let someone in without the code (the
# REST API's staff tokens) revokes them in a receiver and answers how many it revoked, so
# the page that confirms two-factor can say so. accounts cannot import those apps itself.
second_factor_enabled = Signal()


@receiver(user_logged_in)
def remember_second_factor(sender, request, user, **kwargs):
    """Note in the new session whether the account has a second factor to ask for."""
    if request is not None and hasattr(request, "session"):
        twofactor.remember_at_login(request, user)
