from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts import twofactor


@receiver(user_logged_in)
def remember_second_factor(sender, request, user, **kwargs):
    """Note in the new session whether the account has a second factor to ask for."""
    if request is not None and hasattr(request, "session"):
        twofactor.remember_at_login(request, user)
