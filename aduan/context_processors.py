from django.conf import settings
from django.utils.translation import gettext as _

from agencies.roles import staff_profile


def site(request):
    user = getattr(request, "user", None)
    # A government's own portal (/kota-kediri/…) carries its name; the un-prefixed one the
    # installation's.
    government = getattr(request, "government", None) if getattr(request, "portal_slug", "") else None
    site_name = _("Aduan %(government)s") % {"government": government.name} if government else settings.ADUAN_SITE_NAME
    return {
        "site_name": site_name,
        "staff": staff_profile(user) if user is not None else None,
    }
