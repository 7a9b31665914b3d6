"""The one check every API view makes: ``authenticate(request, scope=...)``.

    key = access.authenticate(request, scope="open311.submit")   # ApiKey, or raises

The key comes from the ``X-Api-Key`` header, an ``Authorization: ApiKey <key>`` header, or
an ``api_key`` query/form parameter (Open311's way). Errors are ``ApiKeyError``
subclasses with an HTTP ``status`` (403 missing/unknown/revoked/not allowed, 429 over the
per-minute limit) and a translated ``message``; each API renders them in its own format.

Every request made with a known key — refused ones too — is logged as one ApiKeyUse row
by ``apikeys.middleware.ApiKeyUseMiddleware`` once the response is known (``record_use``).
The rate limit is a fixed one-minute window counted in Django's cache (Redis in
production, so every app server shares the count).
"""

import datetime as dt
import hmac
import logging

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apikeys.models import ApiKey, ApiKeyUse, hash_key, split_key
from core.throttle import client_address

log = logging.getLogger(__name__)

# last_used_at is written at most this often per key, so a busy key costs no UPDATE per request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class ApiKeyError(Exception):
    status = 403
    code = "forbidden"
    default_message = _("Akses ditolak.")

    def __init__(self, message=None):
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class MissingKey(ApiKeyError):
    code = "api_key_missing"
    default_message = _("Kunci API (api_key) wajib disertakan.")


class InvalidKey(ApiKeyError):
    code = "api_key_invalid"
    default_message = _("Kunci API tidak dikenal atau sudah dicabut.")


class ScopeDenied(ApiKeyError):
    code = "api_key_scope"
    default_message = _("Kunci API ini tidak diizinkan untuk tindakan ini.")


class RateLimited(ApiKeyError):
    status = 429
    code = "rate_limited"
    default_message = _("Terlalu banyak permintaan dengan kunci API ini. Coba lagi sebentar lagi.")

    def __init__(self, retry_after, message=None):
        self.retry_after = retry_after
        super().__init__(message)


def _http_request(request):
    # A DRF Request wraps Django's; the middleware sees the Django one.
    return getattr(request, "_request", request)


def key_from(request) -> str:
    http = _http_request(request)
    header = http.headers.get("X-Api-Key", "")
    if not header:
        scheme, _sep, value = http.headers.get("Authorization", "").partition(" ")
        header = value if scheme.lower() == "apikey" else ""
    if header:
        return header.strip()
    value = http.GET.get("api_key", "")
    if (
        not value
        and http.method == "POST"
        and http.content_type
        in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
    ):
        value = http.POST.get("api_key", "")
    return value.strip()


def find_key(text) -> ApiKey | None:
    """The ApiKey whose text is ``text`` (revoked ones too), compared in constant time."""
    prefix = split_key(text or "")
    if prefix is None:
        return None
    api_key = ApiKey.objects.filter(prefix=prefix).first()
    if api_key is None or not hmac.compare_digest(api_key.key_hash, hash_key(text)):
        return None
    return api_key


def authenticate(request, *, scope=None) -> ApiKey:
    """The request's API key, checked: known, not revoked, allowed ``scope``, under its
    per-minute limit. Marks the request so its use is logged."""
    text = key_from(request)
    if not text:
        raise MissingKey()
    api_key = find_key(text)
    if api_key is None:
        log.warning("unknown api key", extra={"prefix": (split_key(text) or "")[:16]})
        raise InvalidKey()
    _http_request(request).api_key = api_key
    if not api_key.is_active:
        raise InvalidKey()
    if scope and not api_key.has_scope(scope):
        raise ScopeDenied()
    check_rate(api_key)
    _touch(api_key)
    return api_key


def check_rate(api_key, now=None) -> None:
    now = now or timezone.now()
    window = int(now.timestamp() // 60)
    counter = f"apikeys:rate:{api_key.pk}:{window}"
    cache.add(counter, 0, timeout=120)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.set(counter, 1, timeout=120)
        count = 1
    if count > api_key.rate_limit:
        raise RateLimited(retry_after=60 - int(now.timestamp()) % 60)


def _touch(api_key):
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now


def record_use(request, status_code) -> None:
    """One ApiKeyUse row for a request made with a known key (no-op otherwise)."""
    http = _http_request(request)
    api_key = getattr(http, "api_key", None)
    if api_key is None:
        return
    try:
        ApiKeyUse.objects.create(
            key=api_key,
            method=http.method[:8],
            path=http.path[:300],
            status_code=status_code,
            remote_addr=client_address(http) or None,
        )
    except Exception:  # the log must never break the answer
        log.exception("could not log api key use")
