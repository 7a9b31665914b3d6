from apikeys.access import record_use


class ApiKeyUseMiddleware:
    """Logs every request that named a known API key (``apikeys.access.authenticate``
    marks it) with the status code it got."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "api_key", None) is not None:
            record_use(request, response.status_code)
        return response
