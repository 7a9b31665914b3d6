"""Each government's own public portal: /<slug>/lapor/, its lists, its tracking page."""

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from reports import access
from reports.models import Kind, ReplyChannel, Report, ReportEvent
from tests import factory
from tests.test_tenancy import TwoGovernmentsCase


class PortalCase(TwoGovernmentsCase):
    """Kota Blitar (the installation's first government, the un-prefixed portal) and Kota
    Kediri (/kota-kediri/), each with its own kecamatan, kelurahan and categories."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kediri_kecamatan = factory.make_region("Pesantren", government=cls.kediri)
        cls.kediri_kelurahan = factory.make_region("Bangsal", parent=cls.kediri_kecamatan)

    def form_data(self, **overrides):
        data = {
            "kind": Kind.COMPLAINT,
            "description": "Lampu jalan di depan pasar mati sejak Senin.",
            "category": self.kediri_category.pk,
            "region": self.kediri_kelurahan.pk,
            "reporter_name": "Budi Santoso",
            "reporter_phone": "0812 3456 7890",
            "reply_channel": ReplyChannel.WHATSAPP,
        }
        data.update(overrides)
        return data


class PortalGovernmentTests(PortalCase):
    def test_a_governments_form_offers_only_its_categories_and_kelurahan(self):
        kediri = self.client.get("/kota-kediri/lapor/")
        self.assertContains(kediri, f'value="{self.kediri_category.pk}"')
        self.assertContains(kediri, "Bangsal")
        self.assertNotContains(kediri, f'value="{self.category.pk}"')
        self.assertNotContains(kediri, "Bendogerit")
        # The form's links stay on Kediri's portal.
        self.assertContains(kediri, 'hx-get="/kota-kediri/wilayah/kelurahan/"')
        self.assertContains(kediri, "Aduan Kota Kediri")
        blitar = self.client.get("/lapor/")
        self.assertContains(blitar, f'value="{self.category.pk}"')
        self.assertNotContains(blitar, f'value="{self.kediri_category.pk}"')
        self.assertNotContains(blitar, "Bangsal")

    def test_the_kelurahan_options_are_the_governments_own(self):
        kediri = self.client.get("/kota-kediri/wilayah/kelurahan/")
        self.assertContains(kediri, "Bangsal")
        self.assertNotContains(kediri, "Bendogerit")
        self.assertNotContains(self.client.get("/wilayah/kelurahan/"), "Bangsal")

    def test_a_report_filed_on_a_governments_portal_is_that_governments(self):
        response = self.client.post("/kota-kediri/lapor/", self.form_data())
        report = Report.objects.get(reporter_name="Budi Santoso")
        self.assertRedirects(response, f"/kota-kediri/lapor/terkirim/{report.secret}/")
        self.assertEqual(report.government, self.kediri)
        self.assertTrue(report.tracking_number.startswith("KDR-"))
        self.assertIn(report, access.reports_visible_to(self.kediri_coordinator))
        self.assertNotIn(report, access.reports_visible_to(self.coordinator))
        # In Kediri's inbox, not in Blitar's.
        self.client.force_login(self.kediri_coordinator)
        self.assertContains(self.client.get("/kerja/kotak-masuk/"), report.tracking_number)
        self.client.force_login(self.coordinator)
        self.assertNotContains(self.client.get("/kerja/kotak-masuk/"), report.tracking_number)

    def test_another_governments_category_is_refused_and_nothing_is_stored(self):
        before = Report.objects.count(), ReportEvent.objects.count()
        response = self.client.post("/kota-kediri/lapor/", self.form_data(category=self.category.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Subkategori ini tidak ada di portal Kota Kediri.")
        self.assertEqual((Report.objects.count(), ReportEvent.objects.count()), before)

    def test_another_governments_kelurahan_is_refused_and_nothing_is_stored(self):
        before = Report.objects.count()
        response = self.client.post("/kota-kediri/lapor/", self.form_data(region=self.kelurahan.pk))
        self.assertContains(response, "Kelurahan ini bukan wilayah Kota Kediri.")
        self.assertEqual(Report.objects.count(), before)
        # And the default portal refuses Kediri's.
        response = self.client.post(
            "/lapor/", self.form_data(category=self.category.pk, region=self.kediri_kelurahan.pk)
        )
        self.assertContains(response, f"Kelurahan ini bukan wilayah {self.blitar.name}.")
        self.assertEqual(Report.objects.count(), before)

    def test_the_public_list_shows_only_the_governments_reports(self):
        blitar = self.client.get("/laporan/")
        self.assertContains(blitar, self.blitar_report.tracking_number)
        self.assertNotContains(blitar, self.kediri_report.tracking_number)
        kediri = self.client.get("/kota-kediri/laporan/")
        self.assertContains(kediri, self.kediri_report.tracking_number)
        self.assertNotContains(kediri, self.blitar_report.tracking_number)

    def test_another_governments_public_report_is_not_found_on_this_portal(self):
        number = self.blitar_report.tracking_number
        self.assertEqual(self.client.get(f"/kota-kediri/laporan/{number}/").status_code, 404)
        self.assertEqual(self.client.get(f"/laporan/{number}/").status_code, 200)

    def test_the_unprefixed_address_of_another_governments_report_leads_to_its_portal(self):
        number = self.kediri_report.tracking_number
        self.assertRedirects(self.client.get(f"/laporan/{number}/"), f"/kota-kediri/laporan/{number}/")

    def test_the_map_data_holds_only_the_governments_reports(self):
        kediri = factory.make_verified(
            self.kediri_coordinator, category=self.kediri_category, latitude=-7.82, longitude=112.01
        )
        blitar = factory.make_verified(self.coordinator, category=self.category, latitude=-8.09, longitude=112.16)
        numbers = [
            f["properties"]["number"] for f in self.client.get("/kota-kediri/peta/laporan.geojson").json()["features"]
        ]
        self.assertEqual(numbers, [kediri.tracking_number])
        numbers = [f["properties"]["number"] for f in self.client.get("/peta/laporan.geojson").json()["features"]]
        self.assertEqual(numbers, [blitar.tracking_number])

    def test_following_an_area_offers_and_accepts_only_the_governments_own(self):
        kediri = self.client.get("/kota-kediri/ikuti/")
        self.assertContains(kediri, "Bangsal")
        self.assertNotContains(kediri, "Bendogerit")
        self.assertNotContains(self.client.get("/ikuti/"), "Bangsal")
        refused = self.client.post("/kota-kediri/ikuti/", {"region": self.kelurahan.pk, "contact": "warga@example.org"})
        self.assertContains(refused, "Wilayah tidak dikenal", status_code=refused.status_code)

    def test_tracking_finds_a_report_only_on_its_governments_portal(self):
        data = {"tracking_number": self.kediri_report.tracking_number, "contact": "081234567890"}
        refused = self.client.post("/lacak/", data)
        self.assertContains(refused, "tidak cocok dengan laporan mana pun")
        found = self.client.post("/kota-kediri/lacak/", data)
        self.assertRedirects(found, f"/kota-kediri/lacak/{self.kediri_report.secret}/")

    def test_the_secret_link_works_on_any_portal(self):
        self.assertEqual(self.client.get(f"/lacak/{self.kediri_report.secret}/").status_code, 200)
        self.assertEqual(self.client.get(f"/kota-kediri/lacak/{self.blitar_report.secret}/").status_code, 200)

    def test_an_unknown_or_inactive_slug_is_not_found(self):
        self.assertEqual(self.client.get("/kota-entah/lapor/").status_code, 404)
        self.kediri.is_active = False
        self.kediri.save(update_fields=["is_active"])
        self.assertEqual(self.client.get("/kota-kediri/lapor/").status_code, 404)

    def test_the_language_switch_works_on_a_governments_portal(self):
        response = self.client.post("/kota-kediri/i18n/setlang/", {"language": "en", "next": "/kota-kediri/lapor/"})
        self.assertRedirects(response, "/kota-kediri/lapor/")
        self.assertContains(self.client.get("/kota-kediri/lapor/"), "Submit report")

    def test_every_resident_page_answers_under_a_slug_with_links_that_stay_there(self):
        for path in ("", "lapor/", "lacak/", "laporan/", "peta/", "ikuti/", "laporan-saya/", "transparansi/"):
            with self.subTest(path=path):
                response = self.client.get(f"/kota-kediri/{path}")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'href="/kota-kediri/lapor/"')
        manifest = self.client.get("/kota-kediri/manifest.webmanifest").json()
        self.assertTrue(manifest["start_url"].startswith("/kota-kediri/"), manifest["start_url"])

    def test_a_portal_address_without_its_slash_is_redirected_to_it(self):
        self.assertRedirects(
            self.client.get("/kota-kediri/lapor"), "/kota-kediri/lapor/", status_code=301, fetch_redirect_response=False
        )

    def test_the_staff_site_is_not_served_under_a_slug(self):
        self.assertEqual(self.client.get("/kota-kediri/kerja/kotak-masuk/").status_code, 404)

    def test_links_after_a_portal_request_are_unprefixed_again(self):
        self.client.get("/kota-kediri/lapor/")
        self.assertEqual(reverse("portal:submit"), "/lapor/")

    @override_settings(ADUAN_MONEV_PUBLIC_MIN_CELL=1)
    def test_the_transparency_page_counts_the_governments_reports(self):
        factory.make_verified(self.kediri_coordinator, category=self.kediri_category)
        kediri = self.client.get("/kota-kediri/transparansi/data.json", {"preset": "month"}).json()
        blitar = self.client.get("/transparansi/data.json", {"preset": "month"}).json()
        self.assertEqual(kediri["figures"]["received"], 2)
        self.assertEqual(blitar["figures"]["received"], 1)


class PortalFeedTests(PortalCase):
    """An area's RSS/Atom feed on a government's portal is of its own areas and categories
    only, as its lists and its "Ikuti" box are; the installation's un-prefixed feeds take
    any area, as before."""

    def setUp(self):
        super().setUp()
        self.kediri_verified = factory.make_verified(
            self.kediri_coordinator, category=self.kediri_category, region=self.kediri_kelurahan
        )
        self.blitar_verified = factory.make_verified(self.coordinator, category=self.category, region=self.kelurahan)

    def test_a_governments_feed_of_another_governments_area_or_category_is_not_found(self):
        for feed in ("rss", "atom"):
            with self.subTest(feed=feed):
                url = f"/kota-kediri/ikuti/{feed}/"
                own = self.client.get(url, {"wilayah": self.kediri_kelurahan.pk})
                self.assertContains(own, self.kediri_verified.tracking_number)
                for query in (
                    {"wilayah": self.kelurahan.pk},
                    {"wilayah": self.kecamatan.pk},
                    {"wilayah": self.kediri_kecamatan.pk, "kategori": self.category.parent_id},
                ):
                    self.assertEqual(self.client.get(url, query).status_code, 404, query)
                with_category = {"wilayah": self.kediri_kecamatan.pk, "kategori": self.kediri_category.parent_id}
                self.assertContains(self.client.get(url, with_category), self.kediri_verified.tracking_number)

    def test_the_home_governments_portal_keeps_to_its_own_areas_too(self):
        blitar = f"/{self.blitar.slug}/ikuti/rss/"
        self.assertContains(
            self.client.get(blitar, {"wilayah": self.kelurahan.pk}), self.blitar_verified.tracking_number
        )
        self.assertEqual(self.client.get(blitar, {"wilayah": self.kediri_kelurahan.pk}).status_code, 404)

    def test_the_installations_feeds_still_take_any_governments_area(self):
        for wilayah, report in ((self.kelurahan, self.blitar_verified), (self.kediri_kelurahan, self.kediri_verified)):
            with self.subTest(wilayah=wilayah.name):
                self.assertContains(self.client.get("/ikuti/rss/", {"wilayah": wilayah.pk}), report.tracking_number)
        self.assertEqual(self.client.get("/ikuti/atom/", {"wilayah": 0}).status_code, 404)

    @override_settings(ADUAN_MONEV_PUBLIC_MIN_CELL=1)
    def test_a_governments_open_data_takes_no_scope_of_another_government(self):
        # The public page's form has the period only: another government's kelurahan,
        # agency, category or id in the query change nothing of Kota Kediri's figures.
        others = {
            "kelurahan": self.kelurahan.pk,
            "kecamatan": self.kecamatan.pk,
            "agency": self.transport.pk,
            "category": self.category.pk,
            "government": self.blitar.pk,
        }
        for fmt in ("json", "csv"):
            with self.subTest(fmt=fmt):
                url = f"/kota-kediri/transparansi/data.{fmt}"
                plain = self.client.get(url, {"preset": "month"})
                scoped = self.client.get(url, {"preset": "month", **others})
                self.assertEqual(scoped.status_code, 200)
                self.assertEqual(without_stamp(scoped), without_stamp(plain))
        kediri = self.client.get("/kota-kediri/transparansi/data.json", {"preset": "month", **others}).json()
        self.assertEqual(kediri["site"], "Aduan Kota Kediri")
        self.assertEqual(kediri["figures"]["received"], 2)
        self.assertEqual([row["agency"] for row in kediri["agencies"]], [str(self.kediri_transport)])
        # The installation's open data is the default government's, as before.
        blitar = self.client.get("/transparansi/data.json", {"preset": "month", **others}).json()
        self.assertEqual(blitar["figures"]["received"], 2)
        self.assertEqual([row["agency"] for row in blitar["agencies"]], [str(self.transport)])


def without_stamp(response) -> str:
    """An open-data download without its generated_at line (the second it was made)."""
    return "\n".join(line for line in response.content.decode().splitlines() if "generated_at" not in line)


class GovernmentSlugTests(PortalCase):
    def test_a_slug_that_is_already_a_path_of_the_site_is_refused(self):
        for slug in ("lapor", "laporan", "kerja", "admin"):
            government = factory.Government(name=f"Kota {slug}", slug=slug, tracking_prefix="ZZ")
            with self.subTest(slug=slug), self.assertRaises(ValidationError) as refused:
                government.full_clean()
            self.assertIn("slug", refused.exception.message_dict)
        factory.Government(name="Kota Madiun", slug="kota-madiun", tracking_prefix="MDN").full_clean()
