"""Small typed readers for settings from environment variables.

Each reader takes a default that makes the embedded (SQLite, one laptop) setup just work.
A secret can also come from a file: ``SECRET_KEY_FILE=/run/secrets/key`` beats ``SECRET_KEY``.

The naming rule (docs/panduan-admin-sistem.md, "Variabel lingkungan"): a setting of Aduan's
own is ``ADUAN_<NAME>`` in Django's settings and in the environment alike. Django's and the
libraries' settings keep their own names (``DEBUG``, ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL``, ``REDIS_URL``, ``EMAIL_*``, ``SECURE_HSTS_*``, ``TIME_ZONE``, ``MEDIA_ROOT``),
and so do the process starters' (gunicorn's ``PORT``, ``BIND``, ``WEB_CONCURRENCY``,
``FORWARDED_ALLOW_IPS``, ``GUNICORN_*``). Earlier versions read the names in ``RENAMED``
without the prefix: they still work, and ``manage.py check`` warns (core.W003).
"""

import os
from pathlib import Path

PREFIX = "ADUAN_"
# Environment names read before the naming rule; each is now PREFIX + the same name.
RENAMED = (
    # database, cache, queue, logs
    "SQLITE_PATH",
    "DB_CONN_MAX_AGE",
    "CACHE_BACKEND",
    "TASKS_BACKEND",
    "LOG_LEVEL",
    "LOG_FORMAT",
    # staff logins
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_FAILURE_LIMIT_PER_ACCOUNT",
    "LOGIN_FAILURE_LIMIT_PER_ADDRESS",
    "LOGIN_COOLOFF_MINUTES",
    "REQUIRE_2FA",
    "PASSWORD_RESET_MINUTES",
    "PASSWORD_RESET_RATE",
    # files, backups, uploads, the LAPOR! import
    "BACKUP_DIR",
    "BACKUP_KEEP",
    "MAX_UPLOAD_BYTES",
    "MAX_IMAGE_PIXELS",
    "LAPOR_IMPORT_MAX_BYTES",
    "LAPOR_IMPORT_MAX_INFLATED_BYTES",
    "LAPOR_IMPORT_MAX_ROWS",
    "LAPOR_IMPORT_BATCH_SIZE",
    # the installation, maps, monev
    "SITE_NAME",
    "SITE_URL",
    "TRACKING_PREFIX",
    "MAP_TILE_URL",
    "MAP_ATTRIBUTION",
    "MONEV_CACHE_SECONDS",
    "MONEV_WARM_MINUTES",
    # rates, proxies
    "PORTAL_RATE_SUBMIT",
    "PORTAL_RATE_TRACK_FAILED",
    "API_RATE_SUBMIT",
    "API_RATE_TRACK",
    "API_RATE_TOKEN",
    "API_RATE_RESIDENT",
    "API_KEY_RATE_LIMIT",
    "NUM_PROXIES",
    # channels and their providers
    "IMAP_HOST",
    "IMAP_PORT",
    "IMAP_SSL",
    "IMAP_USER",
    "IMAP_PASSWORD",
    "IMAP_MAILBOX",
    "IMAP_DONE_MAILBOX",
    "IMAP_FAILED_MAILBOX",
    "META_GRAPH_API_URL",
    "META_APP_SECRET",
    "META_VERIFY_TOKEN",
    "WHATSAPP_PHONE_NUMBER_ID",
    "WHATSAPP_ACCESS_TOKEN",
    "INSTAGRAM_ACCOUNT_ID",
    "INSTAGRAM_ACCESS_TOKEN",
    "SMS_GATEWAY_URL",
    "SMS_GATEWAY_TOKEN",
    "SMS_WEBHOOK_SECRET",
    "SMS_SENDER_ID",
    "CHANNEL_MAX_MEDIA_BYTES",
    "GATEWAY_ATTEMPTS",
    "GATEWAY_RETRY_WAIT_SECONDS",
)
_SECRETS = {
    "IMAP_PASSWORD",
    "META_APP_SECRET",
    "META_VERIFY_TOKEN",
    "WHATSAPP_ACCESS_TOKEN",
    "INSTAGRAM_ACCESS_TOKEN",
    "SMS_GATEWAY_TOKEN",
    "SMS_WEBHOOK_SECRET",
}
OLD_NAMES = tuple(RENAMED) + tuple(f"{name}_FILE" for name in sorted(_SECRETS))


def adopt_old_names(environ=os.environ) -> list[str]:
    """Copy each old name's value to its ADUAN_ name where that is not set; the old names found.

    Called before the settings are read (aduan/settings.py, aduan/envfile.py for bin/ and
    gunicorn), so every reader, shell scripts included, sees only the new names. A new name
    that is set wins over its old one.
    """
    found = []
    for old in OLD_NAMES:
        if old in environ:
            found.append(old)
            environ.setdefault(PREFIX + old, environ[old])
    return found


def string(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def secret(name: str, default: str = "") -> str:
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def boolean(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def integer(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def listing(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]
