"""Friendly Indonesian error pages instead of Django's debug pages or stack traces."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError, connection
from django.test import override_settings
from django.urls import path

from aduan import urls as aduan_urls
from core import views as core_views
from tests.base import AduanTestCase


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("tampered form")


def broken(request):
    raise RuntimeError("secret detail from deep inside")


def database_gone(request):
    request.POST  # noqa: B018 — the form was read before the query failed, as in a real view
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def database_gone_mid_page(request):
    # The driver's own error, not Django's: psycopg raises it unwrapped when the server goes
    # away while a server-side cursor (a form's ModelChoiceField on PostgreSQL) is closed.
    raise connection.Database.OperationalError("consuming input failed: server closed the connection unexpectedly")


# Public (login_not_required), like the pages whose failures they stand for.
# A test-only URLconf: the real site plus views that fail on purpose, with the real handlers.
urlpatterns = [
    path("uji/terlarang/", login_not_required(forbidden)),
    path("uji/curiga/", login_not_required(suspicious)),
    path("uji/rusak/", login_not_required(broken)),
    path("uji/basis-data-mati/", login_not_required(database_gone)),
    path("uji/basis-data-hilang/", login_not_required(database_gone_mid_page)),
    path("api/v1/uji-basis-data-mati/", login_not_required(database_gone)),
    *aduan_urls.urlpatterns,
]
handler400 = aduan_urls.handler400
handler403 = aduan_urls.handler403
handler404 = aduan_urls.handler404
handler500 = aduan_urls.handler500


@override_settings(DEBUG=False, ROOT_URLCONF="tests.test_error_pages")
class ErrorPageTests(AduanTestCase):
    def test_unknown_address_shows_the_friendly_404_page(self):
        response = self.client.get("/tidak-ada-halaman-ini/")

        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "errors/404.html")
        self.assertContains(response, "Halaman tidak ditemukan", status_code=404)

    def test_refused_access_shows_the_friendly_403_page(self):
        response = self.client.get("/uji/terlarang/")

        self.assertEqual(response.status_code, 403)
        self.assertTemplateUsed(response, "errors/403.html")
        self.assertContains(response, "Akses ditolak", status_code=403)

    def test_bad_request_shows_the_friendly_400_page(self):
        with self.assertLogs("django.security", "ERROR"):
            response = self.client.get("/uji/curiga/")

        self.assertEqual(response.status_code, 400)
        self.assertTemplateUsed(response, "errors/400.html")
        self.assertContains(response, "Permintaan tidak valid", status_code=400)
        self.assertNotContains(response, "tampered form", status_code=400)

    def test_crashing_view_shows_the_500_page_without_a_traceback(self):
        self.client.raise_request_exception = False

        with self.assertLogs("django.request", "ERROR") as logged:
            response = self.client.get("/uji/rusak/")

        self.assertEqual(response.status_code, 500)
        self.assertTemplateUsed(response, "errors/500.html")
        self.assertContains(response, "Terjadi kesalahan pada sistem", status_code=500)
        self.assertNotContains(response, "Traceback", status_code=500)
        self.assertNotContains(response, "secret detail", status_code=500)
        # The detail goes to the log for the operators instead.
        self.assertIn("RuntimeError", "\n".join(logged.output))

    def test_error_pages_speak_indonesian_by_default(self):
        response = self.client.get("/tidak-ada-halaman-ini/")

        self.assertContains(response, 'lang="id"', status_code=404)
        self.assertContains(response, "Kembali ke beranda", status_code=404)


@override_settings(DEBUG=False, ROOT_URLCONF="tests.test_error_pages")
class DatabaseOutageTests(AduanTestCase):
    def setUp(self):
        self.client.raise_request_exception = False
        core_views._outage_log.update(last=0.0, suppressed=0)

    def test_a_page_answers_503_with_retry_after_and_a_friendly_page(self):
        with self.assertLogs("core.views", "ERROR"):
            response = self.client.get("/uji/basis-data-mati/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertContains(response, "Sistem sedang sibuk", status_code=503)
        self.assertNotContains(response, "Connection refused", status_code=503)
        self.assertNotContains(response, "Traceback", status_code=503)

    def test_the_drivers_own_lost_connection_error_is_an_outage_too(self):
        # Found by bench/soak.py: the inbox answered 500 when the database went away mid-page.
        with self.assertLogs("core.views", "ERROR") as logged:
            response = self.client.get("/uji/basis-data-hilang/")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "Sistem sedang sibuk", status_code=503)
        self.assertIn("Database unreachable", logged.records[0].getMessage())

    def test_a_form_sent_during_the_outage_comes_back_with_what_was_typed(self):
        typed = {
            "description": "Lampu <mati> di depan SDN 2 & pasar",
            "kind": "complaint",
            "csrfmiddlewaretoken": "token-dari-formulir",
            "password": "jangan-ditulis",
        }
        with self.assertLogs("core.views", "ERROR"):
            response = self.client.post("/uji/basis-data-mati/", typed)
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "Lampu &lt;mati&gt; di depan SDN 2 &amp; pasar", status_code=503)
        self.assertContains(response, 'name="kind" value="complaint"', status_code=503)
        self.assertContains(response, 'value="token-dari-formulir"', status_code=503)
        self.assertContains(response, 'action="/uji/basis-data-mati/"', status_code=503)
        self.assertNotContains(response, "jangan-ditulis", status_code=503)

    def test_an_outage_is_logged_once_not_per_request(self):
        with self.assertLogs(level="WARNING") as logged:
            for _ in range(20):
                self.assertEqual(self.client.get("/uji/basis-data-mati/").status_code, 503)
        self.assertEqual(len(logged.records), 1, [r.getMessage() for r in logged.records])
        self.assertIn("Database unreachable", logged.records[0].getMessage())

    def test_the_api_answers_503_in_its_own_error_format(self):
        with self.assertLogs("core.views", "ERROR"):
            response = self.client.get("/api/v1/uji-basis-data-mati/")
        self.assertEqual((response.status_code, response["Retry-After"]), (503, "30"))
        self.assertEqual(response.json()["errors"][0]["code"], "unavailable")
