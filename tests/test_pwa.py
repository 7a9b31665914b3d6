"""The installable app (portal/pwa.py): the manifest, the service worker's URL and what it is
told to keep, the offline page and "Laporan saya", and the rule that a report sent from the
installed app is recorded as the android channel."""

import json
import re
from pathlib import Path
from unittest import mock

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image

from portal import pwa
from reports.models import Channel, Report
from tests.base import AduanTestCase
from tests.test_portal_submit import URL, SubmitForm

KEY = "0123456789abcdef0123456789abcdef"


class ManifestTests(AduanTestCase):
    def manifest(self):
        response = self.client.get(reverse("portal:manifest"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/manifest+json")
        return json.loads(response.content)

    def test_manifest_has_what_chromium_asks_for_an_install(self):
        data = self.manifest()
        self.assertEqual(data["name"], "Aduan Kota Blitar")
        self.assertEqual(data["short_name"], "Aduan")
        self.assertLessEqual(len(data["short_name"]), 12)
        self.assertEqual(data["display"], "standalone")
        self.assertEqual(data["scope"], "/")
        self.assertEqual(data["start_url"], "/lapor/?sumber=app")
        self.assertTrue(data["start_url"].startswith(data["scope"]))
        self.assertEqual(data["theme_color"], "#0b5cad")
        sizes = {icon["sizes"] for icon in data["icons"] if icon["type"] == "image/png"}
        self.assertEqual(sizes, {"192x192", "512x512"})

    def test_theme_colour_is_the_stylesheets_primary_and_the_pages_meta(self):
        css = Path(finders.find("css/app.css")).read_text()
        self.assertIn(f"--primary: {pwa.THEME_COLOR};", css)
        self.assertContains(self.client.get("/"), f'<meta name="theme-color" content="{pwa.THEME_COLOR}">')

    def test_every_icon_is_a_static_file_of_the_size_it_claims(self):
        for icon in self.manifest()["icons"]:
            path = finders.find(icon["src"].removeprefix(static("")))
            self.assertIsNotNone(path, icon["src"])
            if icon["type"] == "image/png":
                width, height = Image.open(path).size
                self.assertEqual(f"{width}x{height}", icon["sizes"])

    def test_manifest_speaks_the_visitors_language(self):
        self.assertIn("sinyal putus", self.manifest()["description"])
        self.client.cookies["django_language"] = "en"
        data = self.manifest()
        self.assertEqual(data["lang"], "en")
        self.assertIn("signal drops", data["description"])
        self.assertEqual([s["name"] for s in data["shortcuts"]], ["Make a report", "My reports"])

    def test_resident_pages_link_the_manifest_and_register_the_worker(self):
        page = self.client.get(URL)
        self.assertContains(page, '<link rel="manifest" href="/manifest.webmanifest" crossorigin="use-credentials">')
        self.assertContains(page, 'data-service-worker="/sw.js"')

    def test_staff_pages_install_nothing(self):
        self.login(self.coordinator)
        page = self.client.get(reverse("workspace:inbox"))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'rel="manifest"')
        self.assertNotContains(page, "js/app.js")

    def test_content_security_policy_names_the_manifest_and_the_worker(self):
        policy = self.client.get(URL)["Content-Security-Policy"]
        self.assertIn("manifest-src 'self'", policy)
        self.assertIn("worker-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)


class ServiceWorkerTests(AduanTestCase):
    def worker(self):
        response = self.client.get(reverse("portal:service_worker"))
        self.assertEqual(response.status_code, 200)
        return response

    def config(self, response):
        first_line = response.content.decode().split("\n", 1)[0]
        return json.loads(re.fullmatch(r"self\.ADUAN = (.*);", first_line)[1])

    def test_worker_is_javascript_at_the_root_never_cached(self):
        response = self.worker()
        self.assertEqual(reverse("portal:service_worker"), "/sw.js")
        self.assertEqual(response["Content-Type"], "text/javascript; charset=utf-8")
        self.assertEqual(response["Service-Worker-Allowed"], "/")
        self.assertIn("no-cache", response["Cache-Control"])
        self.assertIn("importScripts(self.ADUAN.outbox);", response.content.decode())

    def test_worker_keeps_the_shell_the_form_and_the_offline_page(self):
        config = self.config(self.worker())
        self.assertIn(static("css/app.css"), config["shell"])
        self.assertIn(static("js/offline.js"), config["shell"])
        self.assertEqual(config["pages"], ["/lapor/", "/laporan-saya/", "/luring/"])
        self.assertEqual(config["offline"], "/luring/")
        for url in config["shell"]:
            self.assertIsNotNone(finders.find(url.removeprefix(static(""))), url)

    def test_worker_keeps_the_residents_report_pages_and_not_their_files(self):
        report = self.make_report()
        patterns = [re.compile(source) for source in self.config(self.worker())["keep"]]

        def kept(url):
            return any(p.search(url) for p in patterns)

        self.assertTrue(kept(reverse("portal:track_detail", args=[report.secret])))
        self.assertTrue(kept(reverse("portal:submitted", args=[report.secret])))
        self.assertTrue(kept(f"/api/v1/resident/reports/{report.secret}/"))
        self.assertFalse(kept(reverse("portal:track_attachment", args=[report.secret, 1])))
        self.assertFalse(kept(reverse("portal:track_confirm", args=[report.secret])))
        self.assertFalse(kept(reverse("workspace:inbox")))

    def test_a_changed_shell_file_is_a_new_version(self):
        first = self.config(self.worker())["version"]
        self.assertEqual(self.config(self.worker())["version"], first)
        real = pwa._read
        with mock.patch.object(pwa, "_read", lambda path: real(path) + (b"/* new */" if path == "js/base.js" else b"")):
            self.assertNotEqual(self.config(self.worker())["version"], first)


class PagesTests(AduanTestCase):
    def test_offline_page_offers_the_form_and_my_reports(self):
        page = self.client.get(reverse("portal:offline"))
        self.assertContains(page, "Tidak ada sinyal")
        self.assertContains(page, 'href="/lapor/"')
        self.assertContains(page, 'href="/laporan-saya/"')

    def test_my_reports_page_needs_no_account_and_is_translated(self):
        page = self.client.get(reverse("portal:my_reports"))
        self.assertContains(page, "<h1>Laporan saya</h1>", html=True)
        self.assertContains(page, 'data-status-url="/api/v1/resident/reports/SECRET/"')
        self.assertContains(page, 'data-waiting="Menunggu sinyal — akan dikirim otomatis"')
        self.client.cookies["django_language"] = "en"
        page = self.client.get(reverse("portal:my_reports"))
        self.assertContains(page, "<h1>My reports</h1>", html=True)
        self.assertContains(page, 'data-waiting="Waiting for a signal — will be sent automatically"')

    def test_form_carries_the_display_mode_field_and_the_waiting_panel(self):
        page = self.client.get(URL)
        self.assertContains(page, '<input type="hidden" name="tampilan" value="browser" data-display-mode>')
        self.assertContains(page, 'id="outbox"')
        self.assertContains(page, "js/offline.js")


class AndroidChannelTests(SubmitForm, AduanTestCase):
    def submitted(self, **overrides):
        response = self.submit(submission_key=KEY, **overrides)
        report = Report.objects.get()
        self.assertRedirects(response, reverse("portal:submitted", args=[report.secret]))
        return report

    def test_a_report_from_the_installed_app_is_the_android_channel(self):
        self.assertEqual(self.submitted(tampilan="standalone").channel, Channel.ANDROID)

    def test_the_other_display_modes_of_an_installed_app_count_too(self):
        for mode in ("minimal-ui", "fullscreen"):
            with self.subTest(mode):
                Report.objects.all().delete()
                self.assertEqual(self.submitted(tampilan=mode).channel, Channel.ANDROID)

    def test_a_browser_tab_is_the_web_channel(self):
        self.assertEqual(self.submitted(tampilan="browser").channel, Channel.WEB)

    def test_a_form_without_the_field_or_with_another_word_is_the_web_channel(self):
        self.assertEqual(self.submitted().channel, Channel.WEB)
        Report.objects.all().delete()
        self.assertEqual(self.submitted(tampilan="android").channel, Channel.WEB)

    def test_the_start_url_alone_does_not_make_a_report_android(self):
        response = self.client.post(f"{URL}?sumber=app", self.form_data(submission_key=KEY))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Report.objects.get().channel, Channel.WEB)

    def test_a_kept_report_sent_again_from_the_app_is_still_one_report(self):
        first = self.submitted(tampilan="standalone")
        again = self.submit(submission_key=KEY, tampilan="standalone")
        self.assertRedirects(again, reverse("portal:submitted", args=[first.secret]))
        self.assertEqual(Report.objects.count(), 1)

    def test_app_reports_are_written_to_in_the_language_of_the_app(self):
        self.client.cookies["django_language"] = "en"
        self.assertEqual(self.submitted(tampilan="standalone").language, "en")

    def test_sent_page_tells_the_device_what_to_remember(self):
        report = self.submitted(tampilan="standalone")
        page = self.client.get(reverse("portal:submitted", args=[report.secret]))
        self.assertContains(page, f'data-report-number="{report.tracking_number}"')
        self.assertContains(page, f'data-report-secret="{report.secret}"')
        self.assertContains(page, f'data-report-link="http://testserver/lacak/{report.secret}/"')
