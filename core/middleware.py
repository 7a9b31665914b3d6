import re
from urllib.parse import urlsplit

from auditlog.middleware import AuditlogMiddleware
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from core.throttle import client_address


class LanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the visitor chose otherwise (the language cookie set by the
    switcher). Many phones in Indonesia run an English system locale, so the browser's
    Accept-Language is not taken as a choice."""

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code


def tile_origin(url: str) -> str | None:
    """The origin of a Leaflet tile URL template, as a CSP source: ``{s}`` (and any other
    placeholder in the host) becomes the ``*`` wildcard; a relative URL needs none ('self')."""
    parts = urlsplit(url or "")
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{re.sub(r'{[^}]*}', '*', parts.netloc)}"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY) with the map tiles' origin
    (settings.ADUAN_MAP_TILE_URL) added to img-src, so the tile setting is the only one to
    change when the tiles move. With tiles comes ``data:`` too: Leaflet blanks a tile it
    abandons with a one-pixel data: image."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        origin = tile_origin(settings.ADUAN_MAP_TILE_URL)
        if origin and not report_only:
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", []), origin, "data:"]
            parts.update = update
        return parts


class AuditActorMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware: the audit log of settings (core/audit.py) records the
    logged-in user and the client's address. The user is looked up only when a logged row is
    saved (most requests save none), and the address is read as the rate limits read it
    (ADUAN_NUM_PROXIES from the right of X-Forwarded-For), not from its spoofable left end."""

    @staticmethod
    def _get_actor(request):
        return SimpleLazyObject(lambda: AuditlogMiddleware._get_actor(request))

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request)
