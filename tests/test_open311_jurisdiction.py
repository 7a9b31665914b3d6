"""Open311's jurisdiction_id and the resident API's ``government``: each government's own."""

import json

from django.core.cache import cache
from django.test import override_settings

from apikeys import actions as key_actions
from open311.models import ServiceRequest
from reports.models import Report
from tests import factory
from tests.test_tenancy import TwoGovernmentsCase

BASE = "/open311/v2"


class JurisdictionCase(TwoGovernmentsCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kediri_kecamatan = factory.make_region("Pesantren", government=cls.kediri)
        cls.kediri_kelurahan = factory.make_region("Bangsal", parent=cls.kediri_kecamatan)
        cls.kediri_kelurahan.code = "35.71.03.1001"
        cls.kediri_kelurahan.save(update_fields=["code"])
        cls.api_key, cls.key = key_actions.issue_key(name="Aplikasi Warga", organisation="Komunitas")

    def setUp(self):
        cache.clear()
        super().setUp()

    def get(self, path, **params):
        response = self.client.get(f"{BASE}/{path}.json", params)
        return response, json.loads(response.content)


class Open311JurisdictionTests(JurisdictionCase):
    def test_services_are_the_jurisdictions_own(self):
        _response, kediri = self.get("services", jurisdiction_id="kota-kediri")
        self.assertEqual([s["service_code"] for s in kediri], [str(self.kediri_category.pk)])
        _response, default = self.get("services")
        codes = {s["service_code"] for s in default}
        self.assertIn(str(self.category.pk), codes)
        self.assertNotIn(str(self.kediri_category.pk), codes)

    def test_requests_are_the_jurisdictions_own(self):
        _response, kediri = self.get("requests", jurisdiction_id="kota-kediri")
        self.assertEqual([r["service_request_id"] for r in kediri], [self.kediri_report.tracking_number])
        _response, default = self.get("requests")
        self.assertEqual([r["service_request_id"] for r in default], [self.blitar_report.tracking_number])
        response, _body = self.get(f"requests/{self.kediri_report.tracking_number}")
        self.assertEqual(response.status_code, 404)

    def test_an_unknown_or_inactive_jurisdiction_is_not_found(self):
        response, body = self.get("services", jurisdiction_id="kota-entah")
        self.assertEqual(response.status_code, 404)
        self.assertIn("jurisdiction_id kota-entah tidak dikenal", body[0]["description"])
        self.kediri.is_active = False
        self.kediri.save(update_fields=["is_active"])
        self.assertEqual(self.get("requests", jurisdiction_id="kota-kediri")[0].status_code, 404)
        # Not a slug (a NUL byte: PostgreSQL refuses it in a query, a 500 there): not found.
        self.assertEqual(self.get("services", jurisdiction_id="kota\x00kediri")[0].status_code, 404)

    def test_a_portal_path_that_is_no_slug_is_not_found(self):
        self.assertEqual(self.client.get("/kota%00kediri/").status_code, 404)

    def test_a_request_posted_for_a_jurisdiction_is_that_governments(self):
        data = {
            "api_key": self.key,
            "jurisdiction_id": "kota-kediri",
            "service_code": str(self.kediri_category.pk),
            "address_id": self.kediri_kelurahan.code,
            "description": "Lampu jalan mati di depan pasar.",
        }
        response = self.client.post(f"{BASE}/requests.json", data)
        self.assertEqual(response.status_code, 200, response.content)
        report = Report.objects.get(tracking_number=json.loads(response.content)[0]["service_request_id"])
        self.assertEqual(report.government, self.kediri)
        self.assertEqual(report.region, self.kediri_kelurahan)
        self.assertTrue(report.tracking_number.startswith("KDR-"))

    def test_another_jurisdictions_service_is_refused_and_nothing_is_stored(self):
        before = Report.objects.count()
        data = {"api_key": self.key, "service_code": str(self.kediri_category.pk), "address_string": "Jl. Dhoho"}
        response = self.client.post(f"{BASE}/requests.json", data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("tidak dikenal", json.loads(response.content)[0]["description"])
        self.assertEqual(Report.objects.count(), before)
        self.assertFalse(ServiceRequest.objects.exists())


class ResidentApiGovernmentTests(JurisdictionCase):
    def test_lookups_are_the_governments_own(self):
        categories = self.client.get("/api/v1/categories/", {"government": "kota-kediri"}).json()
        self.assertEqual({c["id"] for c in categories} - {self.kediri_category.parent_id}, {self.kediri_category.pk})
        regions = self.client.get("/api/v1/regions/", {"government": "kota-kediri"}).json()
        names = {r["name"] for r in (regions["results"] if isinstance(regions, dict) else regions)}
        self.assertEqual(names, {"Pesantren", "Bangsal"})
        default = self.client.get("/api/v1/categories/").json()
        self.assertNotIn(self.kediri_category.pk, {c["id"] for c in default})

    def test_under_a_portals_path_the_api_means_that_government(self):
        categories = self.client.get("/kota-kediri/api/v1/categories/").json()
        self.assertIn(self.kediri_category.pk, {c["id"] for c in categories})
        self.assertNotIn(self.category.pk, {c["id"] for c in categories})

    def test_a_resident_submission_goes_to_the_named_government(self):
        payload = {
            "government": "kota-kediri",
            "kind": "complaint",
            "description": "Lampu jalan mati di depan pasar.",
            "category": self.kediri_category.pk,
            "region": self.kediri_kelurahan.pk,
            "reply_channel": "none",
        }
        response = self.client.post("/api/v1/resident/reports/", payload, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        report = Report.objects.get(tracking_number=response.json()["tracking_number"])
        self.assertEqual(report.government, self.kediri)
        self.assertTrue(report.tracking_number.startswith("KDR-"))

    def test_a_cross_government_category_or_unknown_government_is_refused(self):
        before = Report.objects.count()
        payload = {
            "government": "kota-kediri",
            "kind": "complaint",
            "description": "Lampu jalan mati.",
            "category": self.category.pk,
            "region": self.kediri_kelurahan.pk,
        }
        response = self.client.post("/api/v1/resident/reports/", payload, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("category", [e["field"] for e in response.json()["errors"]])
        response = self.client.post(
            "/api/v1/resident/reports/", {**payload, "government": "kota-entah"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["field"], "government")
        self.assertEqual(Report.objects.count(), before)

    def test_tracking_finds_a_report_only_within_its_government(self):
        data = {"tracking_number": self.kediri_report.tracking_number, "contact": "081234567890"}
        self.assertEqual(self.client.post("/api/v1/resident/track/", data).status_code, 404)
        found = self.client.post("/api/v1/resident/track/?government=kota-kediri", data)
        self.assertEqual(found.status_code, 200)
        self.assertEqual(found.json()["secret"], self.kediri_report.secret)


KEDIRI_HOST = "lapor.kedirikota.go.id"


@override_settings(
    ALLOWED_HOSTS=["testserver", KEDIRI_HOST],
    ADUAN_SITE_NAME="Aduan Kota Blitar",
    ADUAN_SITE_URL="https://aduan.example.go.id",
)
class Open311DiscoveryTests(JurisdictionCase):
    """Discovery names who answers for the Open311 it is read on: on Kota Kediri's host name
    Aduan Kota Kediri at that host, on the installation's own host the installation."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kediri.host = KEDIRI_HOST
        cls.kediri.save()

    def discovery(self, fmt="json", **headers):
        response = self.client.get(f"{BASE}/discovery.{fmt}", **headers)
        self.assertEqual(response.status_code, 200)
        return response

    def test_on_a_governments_host_discovery_names_that_government_and_its_host(self):
        value = self.discovery(HTTP_HOST=KEDIRI_HOST).json()
        self.assertEqual(value["contact"], f"Aduan Kota Kediri — http://{KEDIRI_HOST}")
        self.assertEqual(value["key_service"], "Kunci API diterbitkan oleh admin sistem Aduan Kota Kediri.")
        # A client that found it on Kediri's host (its port kept) is sent on there.
        self.assertEqual(value["endpoints"][0]["url"], f"http://{KEDIRI_HOST}/open311/v2")
        on_a_port = self.discovery(HTTP_HOST=f"{KEDIRI_HOST}:8443").json()
        self.assertEqual(on_a_port["endpoints"][0]["url"], f"http://{KEDIRI_HOST}:8443/open311/v2")
        xml = self.discovery("xml", HTTP_HOST=KEDIRI_HOST).content.decode()
        self.assertIn(f"<contact>Aduan Kota Kediri — http://{KEDIRI_HOST}</contact>", xml)
        self.assertNotIn("Blitar", xml)

    def test_on_the_installations_host_discovery_names_the_installation_as_before(self):
        value = self.discovery().json()
        self.assertEqual(value["contact"], "Aduan Kota Blitar — https://aduan.example.go.id")
        self.assertEqual(value["endpoints"][0]["url"], "https://aduan.example.go.id/open311/v2")
        self.assertEqual(value["key_service"], "Kunci API diterbitkan oleh admin sistem Aduan Kota Blitar.")
        # A government without a host name has no Open311 of its own: the installation's.
        self.kediri.host = None
        self.kediri.save()
        value = self.discovery(HTTP_HOST=KEDIRI_HOST).json()
        self.assertEqual(value["contact"], "Aduan Kota Blitar — https://aduan.example.go.id")
        # Open311 is never served under a portal's slug.
        self.assertEqual(self.client.get(f"/kota-kediri{BASE}/discovery.json").status_code, 404)
