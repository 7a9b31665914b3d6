"""Settings for Aduan, read from environment variables (see .env.example).

Without any variable set, Aduan runs embedded: SQLite in WAL mode, debug on, demo-friendly.
With ADUAN_PRODUCTION=1 it refuses to start without a real secret key, allowed hosts and a
cache shared by every process (Redis or the database).
"""

import datetime as dt
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from aduan import databases, env, objectstorage
from core import queues as task_queues

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables still set under a name from before the ADUAN_ rule (aduan/env.py): they work, and
# `manage.py check` names each (core.W003).
ADUAN_OLD_VARIABLES_IN_USE = env.adopt_old_names()

ADUAN_PRODUCTION = env.boolean("ADUAN_PRODUCTION")
DEBUG = env.boolean("DEBUG", default=not ADUAN_PRODUCTION)
_DEV_KEY = "dev-only-insecure-key-change-me"
# The placeholder in .env.example: a copy of the example that was never filled in.
_EXAMPLE_KEY = "change-me-to-50-random-characters-change-me-to-50-random-characters"
SECRET_KEY = env.secret("SECRET_KEY", _DEV_KEY)
# Earlier keys, still accepted for signatures made before a rotation (sessions stay logged in).
SECRET_KEY_FALLBACKS = env.listing("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.listing("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "core.views.csrf_failure"


def _weak_key(key: str) -> bool:
    """Django's own rule for check --deploy (security.W009): 50+ characters, 5+ distinct ones,
    not startproject's "django-insecure-" key; and not one of the two keys in this repository."""
    return (
        key in (_DEV_KEY, _EXAMPLE_KEY)
        or len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith(SECRET_KEY_INSECURE_PREFIX)
    )


# Production is HTTPS behind a TLS-terminating proxy: redirect to HTTPS, HSTS, cookies only over
# HTTPS. ADUAN_PLAIN_HTTP=1 is the one switch for a plain-HTTP intranet: it turns all three off,
# and check --deploy (run by bin/run-production) says so with core.W001.
ADUAN_PLAIN_HTTP = env.boolean("ADUAN_PLAIN_HTTP")
SILENCED_SYSTEM_CHECKS = []
if ADUAN_PRODUCTION:
    if _weak_key(SECRET_KEY):
        raise ImproperlyConfigured(
            "ADUAN_PRODUCTION=1 needs SECRET_KEY: 50+ random characters, not the example's placeholder "
            '(python3 -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    if any(_weak_key(key) for key in SECRET_KEY_FALLBACKS):
        raise ImproperlyConfigured("SECRET_KEY_FALLBACKS: every old key must follow the SECRET_KEY rules too.")
    if not env.listing("ALLOWED_HOSTS"):
        raise ImproperlyConfigured("ADUAN_PRODUCTION=1 needs ALLOWED_HOSTS.")
    # The proxy tells Django the visitor's scheme; it must set (not pass on) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not ADUAN_PLAIN_HTTP
    SECURE_SSL_REDIRECT = not ADUAN_PLAIN_HTTP
    # A load balancer's health check may poll over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/", r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 0 if ADUAN_PLAIN_HTTP else env.integer("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preload asks browsers to hard-code HTTPS for the whole domain, which is hard to undo:
    # a deliberate choice (README, Production), so its reminder (W021) is silenced while off.
    SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS += ["security.W021"]
    if ADUAN_PLAIN_HTTP:
        # Said once by core.W001 instead of four times by Django.
        SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]

# Content-Security-Policy (django-csp) on every page: scripts, styles, images, fonts and
# fetches only from this site, so an injected <script> or on*= attribute does not run. The map
# tiles' origin (ADUAN_MAP_TILE_URL) is added to img-src by core.middleware.ContentSecurityPolicy-
# Middleware; the API docs pages relax their own policy (api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The residents' installable app (portal/pwa.py): its manifest and its service worker.
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "core",
    "governments",
    "agencies",
    "reports",
    "portal",
    "workspace",
    "intake",
    "notify",
    "alerts",
    "staffing",
    "escalation",
    "monev",
    "lapor",
    "triage",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "apikeys",
    "open311",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "demo",
    "django_prometheus",
]

MIDDLEWARE = [
    # First, with its After partner near the end: request counts and latency per view for
    # /metrics (core/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Where a request reads (the replica or the primary, core/dbrouter.py); before the session
    # middleware, so a session saved on the way out pins the client to the primary.
    "core.dbrouter.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    # Which government's portal: /kota-blitar/lapor/ → request.government (governments/middleware.py).
    "governments.middleware.GovernmentPortalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a login unless marked public (login_not_required: the portal,
    # webhooks, Open311, health; the API guards itself with DRF's permissions).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.otp_device: the session's second factor
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.TwoFactorMiddleware",  # the staff areas only after the second factor
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.AuditActorMiddleware",
    "apikeys.middleware.ApiKeyUseMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aduan.urls"
WSGI_APPLICATION = "aduan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "aduan.context_processors.site",
            ],
        },
    },
]

# Django's form renderer with the widgets drawn many times per page (selects and their
# options, inputs, check boxes) written in Python: the same HTML, a fraction of the time.
FORM_RENDERER = "core.form_renderer.WidgetsInPython"

# Database: SQLite (WAL, busy timeout, IMMEDIATE transactions so concurrent writers queue
# instead of failing) unless DATABASE_URL names another one (aduan/databases.py).
DATABASE_URL = env.string("DATABASE_URL")
# PgBouncer in transaction pooling mode in front of PostgreSQL (ADUAN_DB_POOLER=pgbouncer):
# no server-side cursors then. Without DATABASE_URL there is nothing to pool.
ADUAN_DB_POOLER = env.string("ADUAN_DB_POOLER") if DATABASE_URL else ""
# PostgreSQL itself, for pg_dump and pg_restore (core/backup.py), which must not go through
# PgBouncer: they keep session state. Default: DATABASE_URL (fine without a pooler).
ADUAN_DB_DIRECT_URL = env.string("ADUAN_DB_DIRECT_URL") if DATABASE_URL else ""
ADUAN_DB_DIRECT = databases.direct(ADUAN_DB_DIRECT_URL)
# A PostgreSQL streaming replica for the read-mostly pages (core/dbrouter.py; README, "Read
# replica"): the public portal, monev, transparency, Open311 and the exports read from it,
# everything else and every write from the primary. Unset: no replica, nothing changes.
ADUAN_DB_REPLICA_URL = env.string("ADUAN_DB_REPLICA_URL")
DATABASES = databases.databases(
    DATABASE_URL,
    sqlite_path=env.string("ADUAN_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
    pooler=ADUAN_DB_POOLER,
    replica_url=ADUAN_DB_REPLICA_URL,
    conn_max_age=env.integer("ADUAN_DB_CONN_MAX_AGE", 600),
    replica_connect_timeout=env.integer("ADUAN_DB_REPLICA_CONNECT_TIMEOUT", 2),
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Reads of the pages marked for it go to the replica while it is reachable and no further
# behind than ADUAN_DB_REPLICA_MAX_LAG_SECONDS (checked at most every
# ADUAN_DB_REPLICA_CHECK_SECONDS per process); after a write, a client reads from the primary
# for ADUAN_DB_STICKY_SECONDS (read-your-writes; keep it at least the maximum lag).
DATABASE_ROUTERS = ["core.dbrouter.ReplicaRouter"]
ADUAN_DB_REPLICA_MAX_LAG_SECONDS = env.integer("ADUAN_DB_REPLICA_MAX_LAG_SECONDS", 10)
ADUAN_DB_REPLICA_CHECK_SECONDS = env.integer("ADUAN_DB_REPLICA_CHECK_SECONDS", 2)
ADUAN_DB_STICKY_SECONDS = env.integer("ADUAN_DB_STICKY_SECONDS", 10)
# The URL namespaces whose GET requests may read from the replica; a single view elsewhere
# opts in with core.dbrouter.replica_reads (the LAPOR! export).
ADUAN_DB_REPLICA_NAMESPACES = ["portal", "transparency", "monev", "open311"]

# The cache holds every rate-limit counter (public forms, tracking lookups, API) and the
# calendar and monev figures, so in production it must be one store shared by every worker
# and app server: Redis (REDIS_URL) or the database (ADUAN_CACHE_BACKEND=database, its table made
# by `manage.py createcachetable`). Per-process memory only on a laptop: with several
# gunicorn workers each would keep its own counts, multiplying every limit.
ADUAN_CACHE_BACKEND = env.string("ADUAN_CACHE_BACKEND", "redis" if env.string("REDIS_URL") else "memory")
if ADUAN_CACHE_BACKEND == "redis":
    REDIS_URL = env.string("REDIS_URL")
    if not REDIS_URL:
        raise ImproperlyConfigured("ADUAN_CACHE_BACKEND=redis needs REDIS_URL (redis://HOST:6379/0).")
    # Two installations (or a bench's database beside the real one) sharing one Redis must
    # not read each other's home government, figures or counts: keys start with the
    # database's name unless ADUAN_CACHE_KEY_PREFIX says otherwise.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.string("ADUAN_CACHE_KEY_PREFIX", str(DATABASES["default"]["NAME"])),
        }
    }
elif ADUAN_CACHE_BACKEND == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "aduan_cache"}}
elif ADUAN_CACHE_BACKEND == "memory":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"ADUAN_CACHE_BACKEND must be 'redis', 'database' or 'memory', not {ADUAN_CACHE_BACKEND!r}"
    )
_PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
if ADUAN_PRODUCTION and CACHES["default"]["BACKEND"] in _PER_PROCESS_CACHES:
    raise ImproperlyConfigured(
        "ADUAN_PRODUCTION=1 needs a cache shared by every process, or each gunicorn worker counts the "
        "rate limits on its own: set REDIS_URL (Redis), or ADUAN_CACHE_BACKEND=database and run "
        "`manage.py createcachetable`."
    )

# Background work: the database queue by default (run `manage.py db_worker`);
# ADUAN_TASKS_BACKEND=rq moves it to Redis Queue workers on REDIS_URL (run `manage.py rqworker
# default`; the job class django-tasks needs is set below). bin/worker starts the right one.
# The work is split into queues by kind (core/queues.py: intake, notify, default, lapor, monev);
# a worker takes all of them, or those in ADUAN_WORKER_QUEUES (bin/worker).
ADUAN_TASKS_BACKEND = env.string("ADUAN_TASKS_BACKEND", "database")
if ADUAN_TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": task_queues.ALL}}
    RQ_QUEUES = {name: {"URL": env.string("REDIS_URL", "redis://127.0.0.1:6379/0")} for name in task_queues.ALL}
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
elif ADUAN_TASKS_BACKEND != "database":
    raise ImproperlyConfigured(f"ADUAN_TASKS_BACKEND must be 'database' or 'rq', not {ADUAN_TASKS_BACKEND!r}")
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": task_queues.ALL}}

# Periodic jobs and what times them: aduan/settings_schedule.py.
from aduan.settings_schedule import *  # noqa: E402, F403

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Staff logins (accounts/). django-axes counts failed passwords on every door — the
# workspace (/kerja/masuk/), the admin site (/admin/login/) and the API token
# (/api/v1/auth/token/) — in the database, so every worker and app server sees the same
# count, and refuses further tries for ADUAN_LOGIN_COOLOFF_MINUTES after the last failure. Three
# limits, each counted on its own: one account from one address (a typo-prone owner is not
# locked out by an attacker elsewhere), one account from anywhere (guessing spread over
# many addresses), one address across every account (trying many accounts).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
ADUAN_LOGIN_LIMITS = [
    (["username", "ip_address"], env.integer("ADUAN_LOGIN_FAILURE_LIMIT", 5)),
    (["username"], env.integer("ADUAN_LOGIN_FAILURE_LIMIT_PER_ACCOUNT", 10)),
    (["ip_address"], env.integer("ADUAN_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)),
]
AXES_HANDLER = "accounts.lockout.LoginLockoutHandler"  # axes' database handler with the limits above
AXES_LOCKOUT_PARAMETERS = "accounts.lockout.lockout_parameters"  # read from ADUAN_LOGIN_LIMITS
AXES_FAILURE_LIMIT = "accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.integer("ADUAN_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True  # only the account-and-address count (accounts/lockout.py)
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.throttle.client_address"  # ADUAN_NUM_PROXIES, FORWARDED_ALLOW_IPS
AXES_SENSITIVE_PARAMETERS = []  # the log names the account and address of each failure (never the password)
# Two-factor authentication (TOTP, django-otp): coordinators, executives and administrators
# must use it when this is on (default: on in production, off for the demo and the tests);
# anyone who turned it on for their account is always asked for the code.
ADUAN_REQUIRE_2FA = env.boolean("ADUAN_REQUIRE_2FA", ADUAN_PRODUCTION)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret key
# Password reset links by email (accounts/): single use, valid this many minutes.
PASSWORD_RESET_TIMEOUT = env.integer("ADUAN_PASSWORD_RESET_MINUTES", 60) * 60

# Indonesian first; message ids are written in Indonesian, English is the translation.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.string("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
]
# Media (attachments, decree documents, pending chat photos, LAPOR! imports): local files under
# MEDIA_ROOT, or an S3-compatible bucket when ADUAN_S3_BUCKET is set (aduan/objectstorage.py;
# README, "Object storage"). The bucket stays private; files are handed out after the access
# check as signed URLs valid ADUAN_S3_URL_SECONDS.
ADUAN_S3_BUCKET = env.string("ADUAN_S3_BUCKET", "")
ADUAN_S3_ENDPOINT_URL = env.string("ADUAN_S3_ENDPOINT_URL", "")
ADUAN_S3_REGION = env.string("ADUAN_S3_REGION", "")
ADUAN_S3_ADDRESSING_STYLE = env.string("ADUAN_S3_ADDRESSING_STYLE", "")  # path (default with an endpoint), virtual
ADUAN_S3_PREFIX = env.string("ADUAN_S3_PREFIX", "")  # a folder inside the bucket, e.g. "blitar/"
ADUAN_S3_URL_SECONDS = env.integer("ADUAN_S3_URL_SECONDS", 300)
STORAGES = {
    "default": objectstorage.media_storage(
        ADUAN_S3_BUCKET,
        endpoint_url=ADUAN_S3_ENDPOINT_URL,
        region=ADUAN_S3_REGION,
        access_key=env.string("ADUAN_S3_ACCESS_KEY_ID", ""),
        secret_key=env.secret("ADUAN_S3_SECRET_ACCESS_KEY", ""),
        url_seconds=ADUAN_S3_URL_SECONDS,
        addressing_style=ADUAN_S3_ADDRESSING_STYLE,
        location=ADUAN_S3_PREFIX,
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if ADUAN_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# A photo shown in a page follows its view's redirect to the bucket: img-src allows it.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += objectstorage.media_origins(
    ADUAN_S3_BUCKET,
    endpoint_url=ADUAN_S3_ENDPOINT_URL,
    region=ADUAN_S3_REGION,
    addressing_style=ADUAN_S3_ADDRESSING_STYLE,
)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.string("MEDIA_ROOT", str(BASE_DIR / "media")))
# Where `manage.py backup` writes its dated archives (database + media), and how many it keeps.
# Downloads from the channels' providers (a resident's WhatsApp or Instagram photo): tries in
# all, and the first wait in seconds (doubling), before the photo is given up with a note.
ADUAN_GATEWAY_ATTEMPTS = env.integer("ADUAN_GATEWAY_ATTEMPTS", 3)
ADUAN_GATEWAY_RETRY_WAIT_SECONDS = float(env.string("ADUAN_GATEWAY_RETRY_WAIT_SECONDS", "1"))
ADUAN_BACKUP_DIR = Path(env.string("ADUAN_BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
ADUAN_BACKUP_KEEP = env.integer("ADUAN_BACKUP_KEEP", 14)

# Uploads: at most 5 files of 10 MB each on a report; requests carrying them must fit.
ADUAN_MAX_UPLOAD_BYTES = env.integer("ADUAN_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
ADUAN_MAX_ATTACHMENTS = 5
# Photos are refused from their header when they would decode to more pixels than this (a
# 97 KB PNG can declare 10000 × 10000 pixels: seconds and most of a gigabyte to decode).
ADUAN_MAX_IMAGE_PIXELS = env.integer("ADUAN_MAX_IMAGE_PIXELS", 40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# SP4N-LAPOR! export import: larger files are refused before parsing; rows per transaction.
ADUAN_LAPOR_IMPORT_MAX_BYTES = env.integer("ADUAN_LAPOR_IMPORT_MAX_BYTES", 40 * 1024 * 1024)
# An XLSX's members, inflated, in all (also at most 100 times the file: lapor/reader.py).
ADUAN_LAPOR_IMPORT_MAX_INFLATED_BYTES = env.integer("ADUAN_LAPOR_IMPORT_MAX_INFLATED_BYTES", 512 * 1024 * 1024)
ADUAN_LAPOR_IMPORT_MAX_ROWS = env.integer("ADUAN_LAPOR_IMPORT_MAX_ROWS", 200_000)
ADUAN_LAPOR_IMPORT_BATCH_SIZE = env.integer("ADUAN_LAPOR_IMPORT_BATCH_SIZE", 500)

# The installation: the city's name and its tracking-number prefix.
ADUAN_SITE_NAME = env.string("ADUAN_SITE_NAME", "Aduan Kota Blitar")
# The name under the icon of the installed app (portal/pwa.py's manifest): 12 letters at most fit.
ADUAN_SITE_SHORT_NAME = env.string("ADUAN_SITE_SHORT_NAME", "Aduan")


def OTP_TOTP_ISSUER(device):
    """The name an authenticator app shows beside the code: django-otp calls it with the
    device being set up (its otpauth:// address, the QR code). The owner's government's
    (accounts.twofactor.issuer), imported here, when called: settings load before the apps."""
    from accounts.twofactor import issuer

    return issuer(device)


# The public address of this installation, for links in messages sent out (SMS, WhatsApp, email).
ADUAN_SITE_URL = env.string("ADUAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# API keys (apikeys/): requests per minute a key may make unless its row says otherwise.
ADUAN_API_KEY_RATE_LIMIT = env.integer("ADUAN_API_KEY_RATE_LIMIT", 60)
# Open311 GeoReport v2 (open311/): the largest POST body accepted, in bytes.
ADUAN_OPEN311_MAX_REQUEST_BYTES = 64 * 1024
ADUAN_TRACKING_PREFIX = env.string("ADUAN_TRACKING_PREFIX", "BLT")
# Map tiles are a setting. A real installation (ADUAN_PRODUCTION) uses OpenStreetMap's tile
# service with its attribution unless told otherwise (a tile server of its own, or empty for
# none); development, the tests and an offline demo fetch none: the maps draw a plain base
# layer from the kelurahan centres and the form offers the phone's location.
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
ADUAN_MAP_TILE_URL = env.string("ADUAN_MAP_TILE_URL", OSM_TILE_URL if ADUAN_PRODUCTION else "")
ADUAN_MAP_ATTRIBUTION = env.string(
    "ADUAN_MAP_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
ADUAN_MAP_CENTER = (-8.0983, 112.1681)  # Kota Blitar
# The public map's GeoJSON (portal/map_views.py) carries at most this many reports, newest first.
ADUAN_MAP_MAX_REPORTS = env.integer("ADUAN_MAP_MAX_REPORTS", 500)

# Triage (triage/): the score from which a recent open report at the same place is shown as a
# likely duplicate, with a trained model and without one (keyword lexicon only). Chosen with the
# score's fitted weights: the best-F1 threshold of their incident-wise cross-validation on the
# shipped pairs and validation pairs (bench/triage_choices.py, triage/README.md).
ADUAN_TRIAGE_DUPLICATE_THRESHOLD = float(env.string("ADUAN_TRIAGE_DUPLICATE_THRESHOLD", "0.45"))
ADUAN_TRIAGE_DUPLICATE_THRESHOLD_NO_MODEL = float(env.string("ADUAN_TRIAGE_DUPLICATE_THRESHOLD_NO_MODEL", "0.40"))
# Once the last 365 days hold this many coordinator decisions of each kind (merged, "not the
# same problem"), the threshold with a model is the best-F1 one of their scores
# (triage/calibration.py) instead of the one above.
ADUAN_TRIAGE_DUPLICATE_CALIBRATE_MIN = env.integer("ADUAN_TRIAGE_DUPLICATE_CALIBRATE_MIN", 15)

# Monev (monev/): how long computed figures are cached (a closed period 12 times longer),
# and the scorecard's targets: green at or above the first number, amber at or above the
# second, red below (percent on time; for the median days, at or below).
ADUAN_MONEV_CACHE_SECONDS = env.integer("ADUAN_MONEV_CACHE_SECONDS", 300)
ADUAN_MONEV_TARGETS = {
    "on_time_follow_up": (90, 75),
    "on_time_resolution": (85, 70),
    "median_follow_up_days": (2, 5),
    "share_rated": (30, 10),
}
# Small cells on the public transparency page and in open data are hidden below this count.
ADUAN_MONEV_PUBLIC_MIN_CELL = 3

# Monev's default period (monev/periods.py): this month once it has run this many days and
# received this many reports in the city; before that, the last full month.
ADUAN_MONEV_MONTH_MIN_DAYS = env.integer("ADUAN_MONEV_MONTH_MIN_DAYS", 7)
ADUAN_MONEV_MONTH_MIN_REPORTS = env.integer("ADUAN_MONEV_MONTH_MIN_REPORTS", 20)

# The PDF recap (monev/recap.py) is an official document: the letterhead (kop surat) with the
# government's name, the unit, its address and logo (SVG, PNG or JPEG), and the signature
# block of the official who signs it (place, title, name, NIP; empty name/NIP leave a line
# to write on). Each government's own fields (Government.letterhead_*, signatory_*, in the
# admin) come first; these fill the ones it leaves empty. The fonts are DejaVu Sans
# (Debian's fonts-dejavu-core, installed by bin/setup).
ADUAN_LETTERHEAD_NAME = env.string("ADUAN_LETTERHEAD_NAME", "Pemerintah Kota Blitar")
ADUAN_LETTERHEAD_UNIT = env.string("ADUAN_LETTERHEAD_UNIT", "Unit Layanan Pengaduan dan Informasi Masyarakat")
ADUAN_LETTERHEAD_ADDRESS = env.string("ADUAN_LETTERHEAD_ADDRESS")
ADUAN_LETTERHEAD_LOGO = Path(
    env.string("ADUAN_LETTERHEAD_LOGO", str(BASE_DIR / "static" / "img" / "letterhead-logo.svg"))
)
ADUAN_SIGNATORY_PLACE = env.string("ADUAN_SIGNATORY_PLACE", "Blitar")
ADUAN_SIGNATORY_TITLE = env.string("ADUAN_SIGNATORY_TITLE", "Kepala Dinas Komunikasi dan Informatika")
ADUAN_SIGNATORY_NAME = env.string("ADUAN_SIGNATORY_NAME")
ADUAN_SIGNATORY_NIP = env.string("ADUAN_SIGNATORY_NIP")
ADUAN_PDF_FONT_DIR = Path(env.string("ADUAN_PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))

# Mail, the email channel's inbox, Meta (WhatsApp, Instagram), the SMS gateway and the
# channel accounts' governments.
from aduan.settings_services import *  # noqa: E402, F403

# Reverse proxies in front of gunicorn (nginx, a load balancer): with N of them the client's
# address is the N-th from the right in X-Forwarded-For. 0 = REMOTE_ADDR (no proxy).
ADUAN_NUM_PROXIES = env.integer("ADUAN_NUM_PROXIES", 0)
# X-Forwarded-For is read only from these peers (addresses or networks, "*" = any): the
# proxy's own address, as gunicorn's FORWARDED_ALLOW_IPS, so one variable says who the proxy is.
ADUAN_TRUSTED_PROXIES = env.listing("FORWARDED_ALLOW_IPS", ["127.0.0.1"])

# /metrics (Prometheus) answers the addresses listed here, or a request carrying
# "Authorization: Bearer <ADUAN_METRICS_TOKEN>"; anyone else gets 404.
ADUAN_METRICS_ALLOWED_IPS = env.listing("ADUAN_METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
ADUAN_METRICS_TOKEN = env.secret("ADUAN_METRICS_TOKEN")
# Limits per client address on the public forms (core/throttle.py): stored reports, and
# failed lookups by tracking number + contact (successful ones are not counted).
ADUAN_RATES = {
    "portal_submit": env.string("ADUAN_PORTAL_RATE_SUBMIT", "30/hour"),
    "portal_track_failed": env.string("ADUAN_PORTAL_RATE_TRACK_FAILED", "20/hour"),
    # "Saya juga mengalami ini" (portal/support_views.py): each new support counts.
    "portal_support": env.string("ADUAN_PORTAL_RATE_SUPPORT", "20/hour"),
    # "Ikuti" (portal/follow_views.py): each request that sends a confirmation link counts.
    "portal_follow": env.string("ADUAN_PORTAL_RATE_FOLLOW", "10/hour"),
    # Password-reset requests of staff (accounts/): each may send an email.
    "password_reset": env.string("ADUAN_PASSWORD_RESET_RATE", "5/hour"),
}

# The REST API (api/, /api/v1/) and its OpenAPI schema.
from aduan.settings_api import *  # noqa: E402, F403

# Structured logs: one JSON object per line on stderr (ADUAN_LOG_FORMAT=text for humans).
ADUAN_LOG_LEVEL = env.string("ADUAN_LOG_LEVEL", "INFO").strip().upper()  # "info" works too
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env.string("ADUAN_LOG_FORMAT", "json") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": ADUAN_LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed logins and lockouts (WARNING) without axes' routine housekeeping (INFO).
        "axes": {"level": "WARNING"},
        # fpdf2 subsets the PDF recap's fonts with fontTools, which logs every glyph at INFO.
        "fontTools": {"level": "WARNING"},
    },
}
