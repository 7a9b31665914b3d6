"""A government's portal on its own host name (Government.host): the host first, then the
/<slug>/ path, then the default government."""

from django.core.exceptions import ValidationError
from django.test import override_settings

from reports.models import Report
from tests import factory
from tests.test_portal_government import PortalCase

KEDIRI_HOST = "lapor.kedirikota.go.id"


@override_settings(ALLOWED_HOSTS=["testserver", KEDIRI_HOST, "aduan.jatimprov.go.id"])
class PortalHostTests(PortalCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kediri.host = KEDIRI_HOST
        cls.kediri.save()

    def test_the_host_name_picks_its_governments_portal_without_a_slug(self):
        kediri = self.client.get("/lapor/", HTTP_HOST=KEDIRI_HOST)
        self.assertContains(kediri, f'value="{self.kediri_category.pk}"')
        self.assertContains(kediri, "Bangsal")
        self.assertNotContains(kediri, f'value="{self.category.pk}"')
        self.assertContains(kediri, "Aduan Kota Kediri")  # its name in the top bar, as under its slug
        # Its links stay un-prefixed on its own host.
        self.assertContains(kediri, 'hx-get="/wilayah/kelurahan/"')
        self.assertNotContains(kediri, "/kota-kediri/")

    def test_a_host_with_a_port_or_in_capitals_is_the_same_host(self):
        kediri = self.client.get("/lapor/", HTTP_HOST="LAPOR.KediriKota.go.id:8443")
        self.assertContains(kediri, f'value="{self.kediri_category.pk}"')

    def test_another_host_falls_back_to_the_path_then_the_default_government(self):
        blitar = self.client.get("/lapor/", HTTP_HOST="aduan.jatimprov.go.id")
        self.assertContains(blitar, f'value="{self.category.pk}"')
        self.assertNotContains(blitar, "Aduan Kota Kediri")
        self.assertNotContains(blitar, f'value="{self.kediri_category.pk}"')
        by_path = self.client.get("/kota-kediri/lapor/", HTTP_HOST="aduan.jatimprov.go.id")
        self.assertContains(by_path, f'value="{self.kediri_category.pk}"')

    def test_the_host_wins_over_another_governments_slug(self):
        self.blitar.slug = "kota-blitar"
        self.blitar.save()
        response = self.client.get("/kota-blitar/lapor/", HTTP_HOST=KEDIRI_HOST)
        self.assertEqual(response.status_code, 404)
        # Its own slug on its own host is still its portal.
        own = self.client.get("/kota-kediri/lapor/", HTTP_HOST=KEDIRI_HOST)
        self.assertContains(own, f'value="{self.kediri_category.pk}"')

    def test_a_report_filed_on_the_host_is_that_governments(self):
        response = self.client.post("/lapor/", self.form_data(), HTTP_HOST=KEDIRI_HOST)
        self.assertEqual(response.status_code, 302)
        report = Report.objects.get(reporter_name="Budi Santoso")
        self.assertEqual(report.government, self.kediri)
        self.assertTrue(report.tracking_number.startswith("KDR-"))

    def test_a_feed_on_the_host_is_of_its_governments_areas_only(self):
        report = factory.make_verified(
            self.kediri_coordinator, category=self.kediri_category, region=self.kediri_kelurahan
        )
        own = self.client.get("/ikuti/rss/", {"wilayah": self.kediri_kelurahan.pk}, HTTP_HOST=KEDIRI_HOST)
        self.assertContains(own, report.tracking_number)
        self.assertContains(own, "Kelurahan Bangsal · Aduan Kota Kediri</title>")
        other = self.client.get("/ikuti/atom/", {"wilayah": self.kelurahan.pk}, HTTP_HOST=KEDIRI_HOST)
        self.assertEqual(other.status_code, 404)
        # The installation's own host still has a feed of any government's area.
        self.assertContains(
            self.client.get("/ikuti/rss/", {"wilayah": self.kediri_kelurahan.pk}), report.tracking_number
        )

    def test_a_deactivated_governments_host_is_not_its_portal(self):
        self.kediri.is_active = False
        self.kediri.save()
        response = self.client.get("/lapor/", HTTP_HOST=KEDIRI_HOST)
        self.assertNotContains(response, f'value="{self.kediri_category.pk}"')
        self.assertEqual(self.client.get("/kota-kediri/lapor/", HTTP_HOST=KEDIRI_HOST).status_code, 404)

    def test_the_un_prefixed_portal_costs_the_same_queries_on_a_host(self):
        self.client.get("/lapor/")  # warm the caches (site settings, sessions)
        self.client.get("/lapor/", HTTP_HOST=KEDIRI_HOST)  # and the home government's id (site_name)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as plain:
            self.client.get("/lapor/")
        with CaptureQueriesContext(connection) as hosted:
            self.client.get("/lapor/", HTTP_HOST=KEDIRI_HOST)
        self.assertEqual(len(hosted), len(plain))

    def test_a_host_name_is_checked_and_kept_in_lower_case(self):
        for bad in ("https://lapor.kediri.go.id", "lapor.kediri.go.id:80", "lapor kediri", "localhost_"):
            self.kediri.host = bad
            with self.assertRaises(ValidationError, msg=bad):
                self.kediri.full_clean()
        self.blitar.host = "Lapor.BlitarKota.go.id"  # forms strip the spaces
        self.blitar.full_clean()
        self.assertEqual(self.blitar.host, "lapor.blitarkota.go.id")
        self.blitar.host = " LAPOR.BlitarKota.go.id "
        self.blitar.save()
        self.blitar.refresh_from_db()
        self.assertEqual(self.blitar.host, "lapor.blitarkota.go.id")
        self.blitar.host = ""
        self.blitar.save()
        self.blitar.refresh_from_db()
        self.assertIsNone(self.blitar.host)


@override_settings(ALLOWED_HOSTS=["testserver", KEDIRI_HOST], ADUAN_SITE_URL="https://aduan.example.go.id")
class ReferredOnHostTests(PortalCase):
    """A report referred between a government on its own host name and one under a slug:
    the resident's link on the sender's portal leads to the receiver's portal."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kediri.host = KEDIRI_HOST
        cls.kediri.save()

    def refer_and_verify(self, report, *, actor, government, receiver):
        from reports import actions

        with factory.muted():
            actions.refer_report(report, actor=actor, government=government, reason="Bukan kewenangan kami.")
            actions.verify_report(report, actor=receiver)

    def test_to_a_government_on_its_host_the_link_leads_to_that_host(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer_and_verify(report, actor=self.coordinator, government=self.kediri, receiver=self.kediri_coordinator)
        response = self.client.get(f"/{self.blitar.slug}/laporan/{report.tracking_number}/")
        self.assertRedirects(
            response, f"http://{KEDIRI_HOST}/laporan/{report.tracking_number}/", fetch_redirect_response=False
        )
        on_host = self.client.get(f"/laporan/{report.tracking_number}/", HTTP_HOST=KEDIRI_HOST)
        self.assertEqual(on_host.status_code, 200)

    def test_from_a_government_on_its_host_the_link_leads_to_the_main_sites_slug(self):
        self.refer_and_verify(
            self.kediri_report, actor=self.kediri_coordinator, government=self.blitar, receiver=self.coordinator
        )
        secret = self.kediri_report.secret
        response = self.client.get(f"/lacak/{secret}/", HTTP_HOST=KEDIRI_HOST)
        self.assertRedirects(
            response, f"https://aduan.example.go.id/{self.blitar.slug}/lacak/{secret}/", fetch_redirect_response=False
        )
