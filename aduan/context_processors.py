from django.conf import settings

from agencies.roles import staff_profile


def site(request):
    user = getattr(request, "user", None)
    return {
        "site_name": settings.ADUAN_SITE_NAME,
        "staff": staff_profile(user) if user is not None else None,
    }
