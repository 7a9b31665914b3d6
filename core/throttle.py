"""How often one client may do something, for the public forms anyone can post without an
account (submit a report, look one up by tracking number and contact).

A client is its network address: ``REMOTE_ADDR``, or, with ``ADUAN_NUM_PROXIES`` reverse proxies
in front of gunicorn (nginx, a load balancer), the address the outermost of them saw, read
from the right end of ``X-Forwarded-For`` so a client cannot pick its own. The header is
read only when the request comes from a trusted proxy (``ADUAN_TRUSTED_PROXIES``, the same
``FORWARDED_ALLOW_IPS`` gunicorn trusts), so a client reaching gunicorn directly cannot
pick its address either. The REST API's throttles and the login lockout (django-axes, see
accounts/) use this same function.

Counts are kept per window in Django's cache (Redis in production, shared by every
process), read as a sliding window: the current window's count plus the previous one's,
weighted by how much of it still lies within the last period (rounded up). A fixed window let a client
spend its whole allowance twice around the turn of the hour (and made a count that
crossed it start again from nothing). Rates are written like the API's: ``"30/hour"`` (second, minute, hour, day).
``retry_after`` only reads; ``count`` adds one. A view checks first and counts what it wants
limited: every stored report, or only the failed lookups, so residents behind one mobile
carrier address are not locked out by each other's successful visits. A refused page says
so in one wording everywhere: ``too_often_message(retry_after(...))``.
"""

import functools
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@functools.cache
def _networks(trusted: tuple[str, ...]):
    if "*" in trusted:
        return None  # every peer is a proxy (a load balancer with changing addresses)
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def _from_trusted_proxy(remote: str) -> bool:
    networks = _networks(tuple(settings.ADUAN_TRUSTED_PROXIES))
    if networks is None:
        return True
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(address in network for network in networks)


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.ADUAN_NUM_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and forwarded and _from_trusted_proxy(remote):
        candidate = forwarded[-min(proxies, len(forwarded))]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:  # not an address: a misconfigured proxy, or forged
            pass
    return remote


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/hour"`` → (30, 3600)."""
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0].lower()]


def _key(name, request, window_start):
    return f"throttle:{name}:{client_address(request)}:{window_start}"


def _window(name, now):
    limit, seconds = parse_rate(settings.ADUAN_RATES[name])
    start = int(now // seconds) * seconds
    return limit, seconds, start


def _estimate(name, request, now):
    """(limit, seconds, the sliding-window count, the current window's start)."""
    limit, seconds, start = _window(name, now)
    current = cache.get(_key(name, request, start)) or 0
    previous = cache.get(_key(name, request, start - seconds)) or 0
    within = 1 - (now - start) / seconds  # the share of the previous window still in the last period
    # Rounded up: just after the turn of the window, all of the previous count still counts.
    return limit, seconds, current + math.ceil(previous * within), start


def retry_after(name: str, request, now: float | None = None) -> int | None:
    """Seconds until ``request``'s client may do ``name`` again, or None when it may now."""
    now = time.time() if now is None else now
    limit, seconds, estimate, start = _estimate(name, request, now)
    if estimate < limit:
        return None
    current = cache.get(_key(name, request, start)) or 0
    if current >= limit:
        return max(1, int(start + seconds - now))
    # The previous window's share has to fade until the estimate drops under the limit.
    previous = cache.get(_key(name, request, start - seconds)) or 1
    fade_until = start + seconds * (1 - (limit - current - 1) / previous)
    return max(1, int(fade_until - now) + 1)


def count(name: str, request, now: float | None = None) -> None:
    now = time.time() if now is None else now
    _, seconds, start = _window(name, now)
    key = _key(name, request, start)
    # Kept two periods: the next window still reads this one's count.
    if not cache.add(key, 1, timeout=2 * seconds + 60):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=2 * seconds + 60)


def minutes_to_wait(seconds: int) -> int:
    """``retry_after``'s seconds as whole minutes, rounded up (at least one): after the
    minutes we name, the client may act again, never before."""
    return max(1, math.ceil(seconds / 60))


def too_often_message(seconds: int) -> str:
    """The one translated answer of a refused form: too many requests, try again in N minutes."""
    minutes = minutes_to_wait(seconds)
    return ngettext(
        "Terlalu banyak permintaan dari jaringan Anda. Coba lagi dalam %(minutes)d menit.",
        "Terlalu banyak permintaan dari jaringan Anda. Coba lagi dalam %(minutes)d menit.",
        minutes,
    ) % {"minutes": minutes}
