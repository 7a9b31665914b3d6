"""The HTTP plumbing the service clients share: one timeout, one error type, and retries
for the calls that may be repeated (downloads)."""

import httpx
import tenacity
from django.conf import settings

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class GatewayError(Exception):
    """The outside service refused or could not be reached; ``retryable`` says whether a
    later attempt may succeed (network trouble, 429, 5xx) or not (4xx)."""

    def __init__(self, message, *, status=None, retryable=True):
        super().__init__(message)
        self.http_status = status
        self.retryable = retryable


def request(method, url, **kwargs) -> httpx.Response:
    try:
        response = httpx.request(method, url, timeout=TIMEOUT, **kwargs)
    except httpx.HTTPError as exc:
        raise GatewayError(f"{method} {url}: {exc}") from exc
    if response.status_code >= 400:
        retryable = response.status_code == 429 or response.status_code >= 500
        raise GatewayError(
            f"{method} {url}: HTTP {response.status_code} {response.text[:300]}",
            status=response.status_code,
            retryable=retryable,
        )
    return response


def with_retries(call, *args, **kwargs):
    """``call(*args, **kwargs)``, tried again after a retryable GatewayError (a timeout, a
    refused connection, 429 or 5xx) up to ADUAN_GATEWAY_ATTEMPTS times in all, waiting
    ADUAN_GATEWAY_RETRY_WAIT_SECONDS, then twice that, …; any other error at once. Only for calls
    that are safe to repeat, such as fetching a resident's photo: one hiccup at the
    provider must not lose it (its URL expires within minutes, so waiting for the next
    sweep is no option)."""
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(settings.ADUAN_GATEWAY_ATTEMPTS),
        wait=tenacity.wait_exponential(multiplier=settings.ADUAN_GATEWAY_RETRY_WAIT_SECONDS, max=10),
        retry=tenacity.retry_if_exception(lambda exc: isinstance(exc, GatewayError) and exc.retryable),
        reraise=True,
    )
    return retrying(call, *args, **kwargs)
