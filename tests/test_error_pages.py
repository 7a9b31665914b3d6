"""Friendly Indonesian error pages instead of Django's debug pages or stack traces."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import override_settings
from django.urls import path

from aduan import urls as aduan_urls
from tests.base import AduanTestCase


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("tampered form")


def broken(request):
    raise RuntimeError("secret detail from deep inside")


# A test-only URLconf: the real site plus views that fail on purpose, with the real handlers.
urlpatterns = [
    path("uji/terlarang/", forbidden),
    path("uji/curiga/", suspicious),
    path("uji/rusak/", broken),
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
