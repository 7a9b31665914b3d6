"""The HTTP plumbing the service clients share: one timeout, one error type."""

import httpx

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
