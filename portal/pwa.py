"""The portal as an installable app: the web app manifest, the service worker, the offline
page, "Laporan saya", and the rule that tells a report sent from the installed app.

- The manifest is a view, not a static file, so its name and description follow the
  visitor's language (the ``<link rel="manifest">`` in base.html sends the language cookie).
- The service worker is static/js/sw.js served at ``/sw.js`` (a worker controls only the
  pages under its own folder, and /static/ is not where the pages are). In front of it this
  view writes ``self.ADUAN``: a version (a hash of the worker and of every file it keeps, so
  a new deployment installs a new worker), the shell's static URLs (hashed names in
  production), the pages it keeps, and the patterns of the pages it keeps once visited.
- The reports a resident writes without a connection wait on the phone (IndexedDB,
  static/js/outbox.js) and go out through the ordinary form, with its one-time submission
  key, when the connection returns: a second send of the same key answers the report the
  first one made.
"""

import hashlib
import json
import re

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from governments.middleware import portal_government
from governments.models import site_name
from reports.models import Channel

# ---------------------------------------------------------------------------- the channel rule

# The form's hidden field that static/js/app.js fills with the display mode the page runs in
# (CSS's ``display-mode`` media feature). The manifest asks for ``standalone``; a browser that
# cannot give it falls back to ``minimal-ui``, and ``fullscreen`` is what some launchers use.
# A tab in the browser says ``browser``; a page without JavaScript sends the template's
# ``browser``.
DISPLAY_MODE_FIELD = "tampilan"
INSTALLED_DISPLAY_MODES = frozenset({"standalone", "minimal-ui", "fullscreen"})


def channel_for(request) -> str:
    """``android`` (the installed app: DESIGN.md's "app / installed web app") when the form
    was sent from a page running in an installed app's display mode, ``web`` otherwise.

    The display mode is what the page itself saw, so it holds for every page of the app's
    window, not only the first one the launcher opened, and for a report written offline
    and sent later by the service worker. The channel is a figure for monev, not a right:
    a visitor who forges the field changes nothing but that figure."""
    if request.POST.get(DISPLAY_MODE_FIELD) in INSTALLED_DISPLAY_MODES:
        return Channel.ANDROID
    return Channel.WEB


# ---------------------------------------------------------------------------- manifest

THEME_COLOR = "#0b5cad"  # app.css --primary, and base.html's <meta name="theme-color">
BACKGROUND_COLOR = "#f4f6f8"  # app.css --bg: the splash screen while the first page loads
ICONS = [
    ("img/app-icon.svg", "any", "image/svg+xml"),
    ("img/app-icon-192.png", "192x192", "image/png"),
    ("img/app-icon-512.png", "512x512", "image/png"),
]


def start_url():
    # ``sumber=app`` marks the launches from the home screen in the access log; the channel
    # itself comes from the display mode (channel_for), which every page of the app sees.
    return reverse("portal:submit") + "?sumber=app"


@login_not_required
def manifest(request):
    icons = [{"src": static(path), "sizes": sizes, "type": kind, "purpose": "any"} for path, sizes, kind in ICONS]
    # The icon's glyph sits inside the safe zone of a maskable icon (the middle 80%), so the
    # same PNGs serve a launcher that crops icons to a circle or a squircle.
    icons += [{**icon, "purpose": "maskable"} for icon in icons if icon["type"] == "image/png"]
    data = {
        "id": reverse("portal:submit"),
        # A government's own portal installs as its own app, named for it.
        "name": site_name(portal_government(request)),
        "short_name": settings.ADUAN_SITE_SHORT_NAME,
        "description": _("Laporkan masalah layanan publik kepada pemerintah kota, juga saat sinyal putus."),
        "lang": get_language(),
        "dir": "ltr",
        "start_url": start_url(),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["government", "utilities"],
        "icons": icons,
        "shortcuts": [
            {"name": _("Buat laporan"), "url": reverse("portal:submit")},
            {"name": _("Laporan saya"), "url": reverse("portal:my_reports")},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    response["Vary"] = "Cookie"  # the language cookie
    return response


# ---------------------------------------------------------------------------- service worker

# Kept on install, so the form opens without a connection: the stylesheet, the scripts of the
# resident's pages, the icons.
SHELL = [
    "css/app.css",
    "vendor/htmx/htmx.min.js",
    "js/base.js",
    "js/portal.js",
    "js/app.js",
    "js/outbox.js",
    "js/offline.js",
    "js/mine.js",
    "img/favicon.svg",
    "img/app-icon.svg",
    "img/app-icon-192.png",
]
WORKER = "js/sw.js"


def _pages():
    return [reverse("portal:submit"), reverse("portal:my_reports"), reverse("portal:offline")]


def _pattern(url_name, *placeholders):
    """The URL of ``url_name`` as a JavaScript regular expression source, each placeholder
    argument standing for one path segment."""
    url = reverse(url_name, args=placeholders)
    source = re.escape(url)
    for placeholder in placeholders:
        source = source.replace(re.escape(placeholder), "[^/]+")
    return f"^{source}$"


def _kept_once_visited():
    """Pages and fragments the worker keeps the last answer of (network first, the kept copy
    without a connection): the resident's own report pages, the form's htmx lists, and the
    status "Laporan saya" asks the API for."""
    return [
        _pattern("portal:home"),
        _pattern("portal:track_detail", "SECRET"),
        _pattern("portal:submitted", "SECRET"),
        _pattern("portal:subcategories"),
        _pattern("portal:kelurahan"),
        _pattern("api:resident-report", "SECRET"),
    ]


def _read(path):
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, "rb") as handle:
        return handle.read()


def worker_config():
    worker = _read(WORKER)
    digest = hashlib.sha256(worker)
    for path in SHELL:
        digest.update(static(path).encode())
        digest.update(_read(path))
    return worker, {
        "version": digest.hexdigest()[:16],
        "shell": [static(path) for path in SHELL],
        "pages": _pages(),
        "form": reverse("portal:submit"),
        "offline": reverse("portal:offline"),
        "keep": _kept_once_visited(),
        # Fragments that only make sense online (reports near the pin): empty without a connection.
        "blank": [reverse("portal:nearby")],
        "outbox": static("js/outbox.js"),
    }


@login_not_required
@never_cache
def service_worker(request):
    worker, config = worker_config()
    body = b"self.ADUAN = " + json.dumps(config).encode() + b";\n" + worker
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Its folder is already the root; said anyway, so moving the URL cannot shrink the scope.
    response["Service-Worker-Allowed"] = "/"
    return response  # never_cache: a new deployment's worker is seen at the next visit


# ---------------------------------------------------------------------------- pages


@login_not_required
def offline(request):
    """What the worker shows for a page it has not kept, when there is no connection."""
    return render(request, "portal/offline.html")


@login_not_required
def my_reports(request):
    """ "Laporan saya": the reports sent from this device. The list lives on the device
    (static/js/outbox.js), so the page is the same for everyone and needs no account."""
    return render(request, "portal/my_reports.html")
