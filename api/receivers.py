"""The API's answers to other apps' signals."""

from django.dispatch import receiver
from django.utils import timezone

from accounts.signals import second_factor_enabled
from api.models import StaffToken


@receiver(second_factor_enabled)
def revoke_staff_tokens(sender, user, **kwargs) -> int:
    """Two-factor just turned on: the user's own tokens, obtained with the password alone
    (maybe by someone else), stop working; a new one asks for the code. Integration keys
    (apikeys) belong to a system, not to the user, and stay. Answers how many it revoked."""
    return StaffToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
