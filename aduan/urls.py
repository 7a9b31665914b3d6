from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from aduan import health

urlpatterns = [
    # Liveness and readiness under the names Kubernetes and most load balancers expect, and
    # under the /health/ names the first release documented.
    path("healthz", health.live, name="healthz"),
    path("readyz", health.ready, name="readyz"),
    path("health/", health.ready, name="health"),
    path("health/live/", health.live, name="health-live"),
    path("metrics", health.metrics_export, name="metrics"),
    # The language switch is on every page, the portal's included.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("kerja/monev/", include("monev.urls")),
    path("kerja/staf/", include("staffing.urls")),
    path("kerja/lapor/", include("lapor.urls")),
    path("kerja/triase/", include("triage.urls")),
    path("kerja/", include("accounts.urls")),
    path("kerja/", include("workspace.urls")),
    path("transparansi/", include("monev.public_urls")),
    path("webhooks/", include("intake.urls")),
    path("open311/v2/", include("open311.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("portal.urls")),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
