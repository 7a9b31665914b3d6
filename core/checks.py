"""System checks of Aduan's own: old variable names, and for ``manage.py check --deploy`` (run by
bin/run-production) the HTTPS switches."""

import os

from django.conf import settings
from django.core import checks

# Variables earlier versions read, now replaced by ADUAN_PLAIN_HTTP (README, Production).
RETIRED_VARIABLES = ("SECURE_SSL_REDIRECT", "SECURE_COOKIES")


@checks.register(checks.Tags.security, deploy=True)
def check_plain_http(app_configs=None, **kwargs):
    """ADUAN_PLAIN_HTTP=1 silences Django's four HTTPS warnings; this one says it instead."""
    if not (settings.ADUAN_PRODUCTION and settings.ADUAN_PLAIN_HTTP):
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


@checks.register()
def check_old_variable_names(app_configs=None, **kwargs):
    """Variables set under their name from before the ADUAN_ prefix still work; say so once."""
    return [
        checks.Warning(
            f"{old} is an old name: rename it to ADUAN_{old}.",
            hint="It still works for now; .env.example lists every variable under its name.",
            id="core.W003",
        )
        for old in settings.ADUAN_OLD_VARIABLES_IN_USE
    ]
