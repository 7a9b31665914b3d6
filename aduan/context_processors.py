from django.utils.functional import lazy

from agencies.roles import staff_profile
from governments.middleware import is_portal_match, portal_government
from governments.models import site_name, site_name_of


def page_site_name(request, staff) -> str:
    """What a page names as its site, the one rule: a resident's page, the government whose
    own portal it is on (/kota-kediri/… or its host name; the un-prefixed portal is the
    installation's); any other page — the staff site, its login, the account pages — the
    signed-in person's own government (``StaffProfile.government_id``), else the government
    of the host name it is on (lapor.kedirikota.go.id/kerja/masuk/), else the installation.
    A signed-in home-government person's page asks the database nothing."""
    if is_portal_match(getattr(request, "resolver_match", None)):
        return site_name(portal_government(request))
    if staff is not None and staff.government_id is not None:
        return site_name_of(staff.government_id)
    # The host's government, else the home one: the installation's name (one query, on a
    # page of nobody's government: the login, the password reset, an administrator's).
    return site_name(getattr(request, "government", None))


def site(request):
    user = getattr(request, "user", None)
    staff = staff_profile(user) if user is not None else None
    return {
        # Worked out only by a template that prints it (the admin site's do not).
        "site_name": lazy(page_site_name, str)(request, staff),
        "staff": staff,
    }
