"""Who is calling the API. Staff send ``Authorization: Token <token>`` (or ``Bearer``);
their rights still come only from active appointments (agencies/roles.py, through
reports/access.py), so a token of someone whose decree ended opens nothing."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.throttling import ScopedRateThrottle

from agencies.roles import staff_profile
from api.models import StaffToken
from core.throttle import client_address

KEYWORDS = ("token", "bearer")


class StaffTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization tidak valid."))
        try:
            key = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token tidak valid.")) from None
        token = StaffToken.objects.find(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Token tidak valid atau sudah dicabut."))
        StaffToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class StaffTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.StaffTokenAuthentication"
    name = "staffToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("Token petugas: `Authorization: Token <token>` (dari POST /api/v1/auth/token/)."),
        }


class IsStaffMember(permissions.BasePermission):
    """Logged in with an active appointment; otherwise 401 (no credentials) or 403."""

    message = _("Akun ini tidak memiliki SK penugasan yang aktif.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated()
        return staff_profile(request.user).is_staff_member


# ---------------------------------------------------------------------------- API keys

# What an integration's key must allow to use the resident endpoints (submit, track, follow).
RESIDENT_SCOPE = "api.resident"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """An integration client's key (``X-Api-Key: <key>`` or ``Authorization: ApiKey <key>``),
    checked by apikeys.access: hashed at rest, revocable, rate limited per key, every use
    logged (apikeys.middleware). No key: the caller is an anonymous resident."""

    def authenticate(self, request):
        from apikeys import access as apikeys

        if not apikeys.key_from(request):
            return None
        try:
            api_key = apikeys.authenticate(request, scope=RESIDENT_SCOPE)
        except apikeys.RateLimited as error:
            raise exceptions.Throttled(wait=error.retry_after, detail=error.message) from None
        except apikeys.ApiKeyError as error:
            raise exceptions.PermissionDenied(error.message, code=error.code) from None
        return AnonymousUser(), api_key


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Api-Key",
            "description": _("Kunci API integrasi dari administrator (opsional untuk endpoint warga)."),
        }


class AddressThrottle(ScopedRateThrottle):
    """DRF's scoped rates, counted per client address as the public forms and the login
    lockout see it (core/throttle.py: X-Forwarded-For only from the trusted proxy)."""

    def get_ident(self, request):
        return client_address(request)


class ResidentThrottle(AddressThrottle):
    """Per-address limits for anonymous residents; a keyed client is limited per key instead."""

    def allow_request(self, request, view):
        if request.auth is not None and type(request.auth).__name__ == "ApiKey":
            return True
        return super().allow_request(request, view)
