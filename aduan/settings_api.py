"""The REST API's settings (aduan/settings.py reads them from here): Django REST framework
(errors, staff tokens, pages, the open endpoints' rates) and the OpenAPI schema
(drf-spectacular). Read from environment variables like the rest (see .env.example)."""

from aduan import env

# The REST API (api/, /api/v1/): errors in one JSON format, staff tokens, page numbers,
# rates per client address for the open endpoints (API_RATE_* as DRF rates, e.g. "30/min").
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.StaffTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.IsStaffMember"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",  # with a depth limit (core/jsonbody.py)
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "submit": env.string("ADUAN_API_RATE_SUBMIT", "30/hour"),
        "track": env.string("ADUAN_API_RATE_TRACK", "20/hour"),
        "token": env.string("ADUAN_API_RATE_TOKEN", "10/min"),
        "resident": env.string("ADUAN_API_RATE_RESIDENT", "120/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Throttles count per client address through core.throttle.client_address (api/auth.py:
    # AddressThrottle), which reads ADUAN_NUM_PROXIES and trusts only the proxy's X-Forwarded-For.
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Aduan REST API",
    "DESCRIPTION": "Laporan warga dan tindak lanjut petugas. Lihat docs/api-rest.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "reports.models.Kind",
        "ChannelEnum": "reports.models.Channel",
        "ApiChannelEnum": [("api", "API"), ("android", "Android")],
        "StatusEnum": "reports.models.Status",
    },
}
