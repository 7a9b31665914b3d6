"""The Content-Security-Policy on every kind of page, and templates that need no exception
to it (the browser tests, tests/test_browser_csp.py, check that the pages still work)."""

import base64
import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.test import RequestFactory, override_settings

from core.middleware import ContentSecurityPolicyMiddleware, tile_origin
from core.views import server_error
from tests import factory
from tests.base import AduanTestCase

PROJECT = Path(settings.BASE_DIR)


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


class ContentSecurityPolicyTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sysadmin = factory.make_user("admin", is_staff=True, is_superuser=True)

    def assertStrict(self, response, url):
        self.assertIn(response.status_code, (200, 302), url)
        policy = directives(response)
        self.assertEqual(policy["script-src"], ["'self'"], url)  # no 'unsafe-inline', no 'unsafe-eval'
        self.assertEqual(policy["default-src"], ["'self'"], url)
        self.assertEqual(policy["object-src"], ["'none'"], url)
        self.assertEqual(policy["base-uri"], ["'none'"], url)
        self.assertEqual(policy["frame-ancestors"], ["'none'"], url)
        self.assertNotIn("'unsafe-inline'", policy["style-src"], url)

    def test_every_kind_of_page_sends_the_policy(self):
        report = self.make_report()
        public = ["/", "/lapor/", "/lacak/", "/laporan/", "/transparansi/", "/kerja/masuk/", f"/lacak/{report.secret}/"]
        for url in public:
            with self.subTest(url=url):
                self.assertStrict(self.client.get(url), url)
        self.login(self.coordinator)
        for url in ["/kerja/", "/kerja/kotak-masuk/", f"/kerja/laporan/{report.pk}/", "/kerja/monev/"]:
            with self.subTest(url=url):
                self.assertStrict(self.client.get(url), url)
        self.login(self.sysadmin)
        for url in ["/admin/", f"/admin/reports/category/{self.category.pk}/change/"]:
            with self.subTest(url=url):
                self.assertStrict(self.client.get(url), url)
        # Errors, JSON and the health check too.
        for url in ["/tidak-ada/", "/health/live/", "/api/v1/categories/", "/open311/v2/services.json"]:
            with self.subTest(url=url):
                self.assertIn("script-src 'self'", self.client.get(url)["Content-Security-Policy"])

    def test_the_api_docs_relax_only_styles_images_and_workers_never_scripts(self):
        for url in ["/api/v1/docs/", "/api/v1/docs/?script", "/api/v1/redoc/"]:
            with self.subTest(url=url):
                policy = directives(self.client.get(url))
                self.assertEqual(policy["script-src"], ["'self'"])
                self.assertNotIn("unsafe-eval", str(policy))
        self.assertEqual(directives(self.client.get("/api/v1/redoc/"))["style-src"], ["'self'", "'unsafe-inline'"])
        self.assertEqual(directives(self.client.get("/api/v1/docs/"))["style-src"], ["'self'"])
        self.assertEqual(directives(self.client.get("/"))["img-src"], ["'self'"])  # scoped to those views

    def test_the_map_tiles_origin_is_allowed_for_images_only(self):
        with override_settings(ADUAN_MAP_TILE_URL="https://{s}.tiles.example.go.id:8443/{z}/{x}/{y}.png"):
            policy = directives(self.client.get("/lapor/"))
        self.assertEqual(policy["img-src"], ["'self'", "https://*.tiles.example.go.id:8443", "data:"])
        self.assertEqual(policy["connect-src"], ["'self'"])
        self.assertIsNone(tile_origin(""))
        self.assertIsNone(tile_origin("/tiles/{z}/{x}/{y}.png"))  # same origin: 'self' covers it

    def test_the_500_pages_own_style_is_allowed_by_its_hash_on_that_page_only(self):
        source = (PROJECT / "templates" / "errors" / "500.html").read_text()
        style = re.search(r"<style>(.*?)</style>", source, re.S).group(1)
        expected = "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"

        response = ContentSecurityPolicyMiddleware(server_error)(RequestFactory().get("/"))

        self.assertEqual(directives(response)["style-src"], ["'self'", expected])
        self.assertNotIn(expected, self.client.get("/")["Content-Security-Policy"])

    def test_htmx_is_configured_not_to_inject_styles_nor_to_eval(self):
        page = self.client.get("/").content.decode()
        config = """content='{"includeIndicatorStyles":false,"allowEval":false}'"""
        self.assertIn(f"""<meta name="htmx-config" {config}>""", page)


# What a policy without 'unsafe-inline' refuses. A template that needs one of these has to
# move it to a static file (behaviour: static/js, looks: static/css).
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "on*= handler": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I),
    "style attribute": re.compile(r"""\sstyle\s*=\s*["']""", re.I),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on (needs eval)": re.compile(r"\bhx-on", re.I),
}


COMMENTS = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.S)


def test_no_template_needs_unsafe_inline():
    templates = [
        path
        for path in PROJECT.rglob("*.html")
        if not {".venv", "node_modules", "staticfiles"} & set(path.relative_to(PROJECT).parts)
    ]
    assert len(templates) > 40
    found = [
        f"{path.relative_to(PROJECT)}: {name}"
        for path in templates
        for name, pattern in FORBIDDEN.items()
        if pattern.search(COMMENTS.sub("", path.read_text()))
    ]
    # The 500 page needs no static file; its one <style> is allowed by its hash (core/views.py).
    found.remove("templates/errors/500.html: <style> element")
    assert found == []
