"""Which government's portal a request is on: ``request.government``.

A government with a host name (``lapor.kedirikota.go.id``, ``Government.host``) has its
portal there, un-prefixed: the host is looked at first. ``/kota-blitar/lapor/`` is Kota
Blitar's portal; ``/lapor/`` the default government's (the
only one of a single-government installation, else the oldest active one), so every URL
that existed before portals were per government keeps working and meaning the same.

The slug is resolved once, here: the middleware strips ``/<slug>`` from ``path_info`` and
adds it to the script prefix for the rest of the request, so the portal's URL patterns and
every ``reverse()``/``{% url %}`` in its views and templates stay as they are and produce
``/kota-blitar/…`` links on Kota Blitar's pages. Only the resident's side can sit under a
slug (the portal, the transparency page, the resident API, the language switch); the staff
site, the admin and Open311 (``jurisdiction_id``) do not. On a government's host name
Open311 is "on its portal" too (``portal_government``: its discovery names it).
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.validators import slug_re
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.http.request import split_domain_port
from django.urls import Resolver404, get_script_prefix, resolve, set_script_prefix
from django.utils.functional import SimpleLazyObject

from governments.models import Government, home_government

# The resident's side: what a government's portal serves under its slug.
PORTAL_NAMESPACES = {"portal", "transparency"}
PORTAL_URL_NAMES = {"set_language", "categories", "regions"}
# Served on a government's host name as its own too, but never under its slug: Open311
# (which government's reports is its jurisdiction_id's; its discovery names the host's).
HOST_NAMESPACES = {"open311"}


def _match(path):
    try:
        return resolve(path)
    except Resolver404:
        return None


def _host(request) -> str:
    """The request's host name, lower case, without the port; empty when Django refuses it
    (not in ALLOWED_HOSTS: CommonMiddleware answers that request with a 400 anyway)."""
    try:
        return split_domain_port(request.get_host())[0]
    except DisallowedHost:
        return ""


def _by_host_or_home(host):
    """The active government whose host name is ``host``, else ``home_government()`` (the
    oldest active one), in one query. A deactivated government's host name falls back to
    the default portal like an unknown one (remove its DNS entry, or its ALLOWED_HOSTS line)."""
    if not host:
        return home_government()
    matched = Case(When(host=host, then=Value(0)), default=Value(1), output_field=IntegerField())
    return Government.objects.active().annotate(on_host=matched).order_by("on_host", "pk").first()


def _slug_on_host(government, host) -> str:
    return government.slug if government is not None and government.host == host else ""


def portal_government(request):
    """The government whose own portal serves ``request`` (/kota-kediri/… or its host
    name), else None: the un-prefixed, installation's pages. What a portal page, its
    manifest and its feeds sign with is ``site_name(portal_government(request))``."""
    return getattr(request, "government", None) if getattr(request, "portal_slug", "") else None


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
        host = _host(request)
        # Un-prefixed: the government of the request's host name, else the default one,
        # looked up (in one query) only by a page that asks.
        request.government = SimpleLazyObject(lambda: _by_host_or_home(host))
        request.portal_slug = ""
        # The site's own prefix, before any slug: where another government's portal starts.
        request.portal_root = get_script_prefix()
        slug, _, rest = request.path_info.lstrip("/").partition("/")
        match = _match(request.path_info)
        if host and (is_portal_match(match) or (match is not None and match.namespace in HOST_NAMESPACES)):
            # "On a government's own portal" (its name in the top bar, its transparency
            # figures, Open311's discovery): on its host name as under its slug. Lazy, and
            # read through the same lazy government, so it costs no query of its own.
            request.portal_slug = SimpleLazyObject(lambda: _slug_on_host(request.government, host))
        if not slug or match is not None or not self._portal_path("/" + rest):
            return self.get_response(request)
        # One query for both: a government's own host name wins over a /<slug>/ path.
        if not slug_re.match(slug):  # a NUL byte in the path must not reach PostgreSQL
            slug = ""
        found = list(
            Government.objects.filter(Q(slug=slug) | Q(host=host)) if host else Government.objects.filter(slug=slug)
        )
        on_host = next((g for g in found if host and g.host == host), None)
        if on_host is not None and on_host.slug != slug:
            # On a government's own host only its own portal: /<other-slug>/… is not found.
            if not on_host.is_active:
                raise Http404
            request.government = on_host
            return self.get_response(request)
        government = next((g for g in found if g.slug == slug), None)
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
