from agencies.roles import staff_profile
from governments.middleware import portal_government
from governments.models import site_name


def site(request):
    user = getattr(request, "user", None)
    # A government's own portal (/kota-kediri/…) carries its name; the un-prefixed one the
    # installation's.
    return {
        "site_name": site_name(portal_government(request)),
        "staff": staff_profile(user) if user is not None else None,
    }
