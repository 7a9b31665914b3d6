"""Which government's portal a request is on: ``request.government``.

``/kota-blitar/lapor/`` is Kota Blitar's portal; ``/lapor/`` the default government's (the
only one of a single-government installation, else the oldest active one), so every URL
that existed before portals were per government keeps working and meaning the same.

The slug is resolved once, here: the middleware strips ``/<slug>`` from ``path_info`` and
adds it to the script prefix for the rest of the request, so the portal's URL patterns and
every ``reverse()``/``{% url %}`` in its views and templates stay as they are and produce
``/kota-blitar/…`` links on Kota Blitar's pages. Only the resident's side can sit under a
slug (the portal, the transparency page, the resident API, the language switch); the staff
site, the admin and Open311 (``jurisdiction_id``) do not.
"""

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, get_script_prefix, resolve, set_script_prefix
from django.utils.functional import SimpleLazyObject

from governments.models import Government, home_government

# The resident's side: what a government's portal serves under its slug.
PORTAL_NAMESPACES = {"portal", "transparency"}
PORTAL_URL_NAMES = {"set_language", "categories", "regions"}


def _match(path):
    try:
        return resolve(path)
    except Resolver404:
        return None


def is_portal_match(match) -> bool:
    if match is None:
        return False
    if match.namespace in PORTAL_NAMESPACES:
        return True
    name = match.url_name or ""
    return name in PORTAL_URL_NAMES or (match.namespace == "api" and name.startswith("resident-"))


class GovernmentPortalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _portal_path(path) -> bool:
        # Without its slash (/kota-kediri/lapor) too: CommonMiddleware then redirects to it.
        if is_portal_match(_match(path)):
            return True
        return settings.APPEND_SLASH and not path.endswith("/") and is_portal_match(_match(path + "/"))

    def __call__(self, request):
        # Un-prefixed: the default government, looked up only by a page that asks.
        request.government = SimpleLazyObject(home_government)
        request.portal_slug = ""
        slug, _, rest = request.path_info.lstrip("/").partition("/")
        if not slug or _match(request.path_info) is not None or not self._portal_path("/" + rest):
            return self.get_response(request)
        government = Government.objects.filter(slug=slug).first()
        if government is None:
            return self.get_response(request)  # not a portal: the ordinary 404
        if not government.is_active:
            raise Http404
        request.government = government
        request.portal_slug = slug
        request.path_info = "/" + rest
        prefix = get_script_prefix()
        set_script_prefix(f"{prefix}{slug}/")
        try:
            return self.get_response(request)
        finally:
            # The prefix is per thread: the next request on it (or a test's reverse()) must
            # not inherit this government's.
            set_script_prefix(prefix)
