"""One build of a cached value at a time, across processes.

When a costly entry (a monev board: hundreds of milliseconds of grouped queries on a cold
cache) runs out while many people have the page open, every request that misses would
build it at once and the database would do the same work a dozen times. ``cached``
lets the first request build it under a short lock in the cache (``cache.add`` is atomic
in Redis and in the database cache); the others wait for its value, up to ``wait``
seconds, and build it themselves only if it never comes (the builder died, or took too
long): a stuck lock delays a page, it never loses one.
"""

import time

from django.core.cache import cache

LOCK_SECONDS = 60  # a builder that dies leaves its lock this long at most
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05


def cached(key, build, timeout, *, refresh=False, wait=WAIT_SECONDS):
    """The value cached under ``key``, else ``build()`` stored for ``timeout`` seconds, built
    by one caller at a time. ``refresh``: build and store it anyway (the warm-up's way)."""
    if not refresh:
        value = cache.get(key)
        if value is not None:
            return value
    lock = f"{key}:building"
    if refresh or cache.add(lock, 1, LOCK_SECONDS):
        try:
            return _store(key, build, timeout)
        finally:
            if not refresh:
                cache.delete(lock)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        value = cache.get(key)
        if value is not None:
            return value
    return _store(key, build, timeout)


def _store(key, build, timeout):
    value = build()
    cache.set(key, value, timeout)
    return value
