"""Deployment checks of Aduan's own (``manage.py check --deploy``, run by bin/run-production)."""

import os

from django.conf import settings
from django.core import checks

# Variables earlier versions read, now replaced by ADUAN_PLAIN_HTTP (README, Production).
RETIRED_VARIABLES = ("SECURE_SSL_REDIRECT", "SECURE_COOKIES")


@checks.register(checks.Tags.security, deploy=True)
def check_plain_http(app_configs=None, **kwargs):
    """ADUAN_PLAIN_HTTP=1 silences Django's four HTTPS warnings; this one says it instead."""
    if not (getattr(settings, "PRODUCTION", False) and getattr(settings, "PLAIN_HTTP", False)):
        return []
    return [
        checks.Warning(
            "ADUAN_PLAIN_HTTP=1: no redirect to HTTPS, no HSTS, session and CSRF cookies also over plain HTTP.",
            hint="Only on a closed intranet. Behind a TLS proxy remove ADUAN_PLAIN_HTTP (docs/security.md).",
            id="core.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_retired_variables(app_configs=None, **kwargs):
    found = [name for name in RETIRED_VARIABLES if name in os.environ]
    if not found:
        return []
    return [
        checks.Warning(
            f"{', '.join(found)} is no longer read: production always uses HTTPS and secure cookies.",
            hint="Remove it from .env; for a plain-HTTP intranet set ADUAN_PLAIN_HTTP=1 (docs/security.md).",
            id="core.W002",
        )
    ]
