from agencies.roles import staff_profile
from governments.models import site_name


def site(request):
    user = getattr(request, "user", None)
    # A government's own portal (/kota-kediri/…) carries its name; the un-prefixed one the
    # installation's.
    government = getattr(request, "government", None) if getattr(request, "portal_slug", "") else None
    return {
        "site_name": site_name(government),
        "staff": staff_profile(user) if user is not None else None,
    }
