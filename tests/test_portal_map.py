"""The public map (/peta/) and its GeoJSON, and the nearby reports on the report form: only
public reports, never a reporter's identity, and an anonymous report only at its
kelurahan's centre, never at its pin."""

import datetime as dt
import json
from decimal import Decimal

import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from reports import actions
from reports.models import ArchiveReason
from tests import factory
from tests.base import AduanTestCase

MAP = reverse("portal:map")
DATA = reverse("portal:map_data")
NEARBY = reverse("portal:nearby")
IDENTITY = ["Siti Aminah", "081234567890", "siti@example.org"]
CENTRE = (Decimal("-8.100000"), Decimal("112.180000"))  # Bendogerit's centre in these tests
PIN = ("-8.094321", "112.176543")  # a reporter's house


class MapCase(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kelurahan.latitude, cls.kelurahan.longitude = CENTRE
        cls.kelurahan.save()

    def verified(self, **overrides):
        overrides.setdefault("category", self.category)
        overrides.setdefault("region", self.kelurahan)
        return factory.make_verified(self.coordinator, **overrides)

    def features(self, query=""):
        response = self.client.get(DATA + query)
        self.assertEqual(response["Content-Type"], "application/geo+json")
        return response.json()

    def by_number(self, data):
        return {f["properties"]["number"]: f for f in data["features"]}


class PublicMapTests(MapCase):
    def test_the_map_and_its_data_show_only_verified_non_confidential_unarchived_reports(self):
        shown = self.verified(title="Lampu mati", latitude=PIN[0], longitude=PIN[1])
        received = self.make_report(title="Baru diterima", latitude=PIN[0], longitude=PIN[1])
        confidential = self.verified(title="Rahasia", is_confidential=True, latitude=PIN[0], longitude=PIN[1])
        archived = self.make_report(title="Spam", latitude=PIN[0], longitude=PIN[1])
        actions.archive_report(archived, actor=self.coordinator, reason=ArchiveReason.SPAM)
        numbers = set(self.by_number(self.features()))
        self.assertEqual(numbers, {shown.tracking_number})
        page = self.client.get(MAP)
        self.assertContains(page, shown.tracking_number)
        for hidden in (received, confidential, archived):
            self.assertNotContains(page, hidden.tracking_number)

    def test_a_named_report_sits_at_its_own_pin(self):
        report = self.verified(latitude=PIN[0], longitude=PIN[1])
        feature = self.by_number(self.features())[report.tracking_number]
        self.assertEqual(feature["geometry"]["coordinates"], [float(PIN[1]), float(PIN[0])])
        self.assertFalse(feature["properties"]["coarse"])

    def test_an_anonymous_report_sits_at_its_kelurahan_centre_never_its_pin(self):
        report = self.verified(is_anonymous=True, latitude=PIN[0], longitude=PIN[1])
        response = self.client.get(DATA)
        feature = self.by_number(response.json())[report.tracking_number]
        self.assertEqual(feature["geometry"]["coordinates"], [float(CENTRE[1]), float(CENTRE[0])])
        self.assertTrue(feature["properties"]["coarse"])
        for part in PIN + (PIN[0][:7], PIN[1][:8]):  # not even the pin rounded
            self.assertNotIn(part.lstrip("-"), response.content.decode())
        self.assertNotContains(self.client.get(MAP), PIN[0][:7])

    def test_an_anonymous_report_falls_back_to_its_kecamatan_centre_and_otherwise_is_not_drawn(self):
        report = self.verified(region=self.other_kelurahan, is_anonymous=True, latitude=PIN[0], longitude=PIN[1])
        self.assertNotIn(report.tracking_number, self.by_number(self.features()))  # no centre known: listed only
        self.assertContains(self.client.get(MAP), report.tracking_number)
        self.kecamatan.latitude, self.kecamatan.longitude = Decimal("-8.1"), Decimal("112.19")
        self.kecamatan.save()
        feature = self.by_number(self.features())[report.tracking_number]
        self.assertEqual(feature["geometry"]["coordinates"], [112.19, -8.1])

    def test_near_me_measures_an_anonymous_report_from_its_centre_not_its_pin(self):
        # Standing on the anonymous reporter's doorstep, 0.7 km from the kelurahan centre:
        # the report is listed at the centre's distance, so the order cannot give the pin away.
        self.verified(is_anonymous=True, latitude=PIN[0], longitude=PIN[1], title="Anonim")
        page = self.client.get(MAP, {"near": f"{PIN[0]},{PIN[1]}"})
        self.assertContains(page, "Anonim")
        self.assertContains(page, "± 0,7 km")
        self.assertNotContains(page, "± 0,0 km")

    def test_near_me_lists_reports_within_two_km_nearest_first(self):
        far = self.verified(title="Jauh sekali", latitude="-8.200000", longitude="112.180000")
        near = self.verified(title="Dekat", latitude="-8.100500", longitude="112.180000")
        nearer = self.verified(title="Paling dekat", latitude="-8.100100", longitude="112.180000")
        page = self.client.get(MAP, {"near": "-8.1,112.18"}).content.decode()
        self.assertNotIn(far.tracking_number, page)
        self.assertLess(page.index(nearer.tracking_number), page.index(near.tracking_number))
        data = self.features("?near=-8.1,112.18")
        self.assertEqual(set(self.by_number(data)), {near.tracking_number, nearer.tracking_number})

    def test_no_reporter_identity_or_address_in_the_map_data(self):
        self.verified(
            title="Tolong hubungi Siti Aminah",
            description="Hubungi 081234567890 atau siti@example.org",
            address="Jl. Mawar 12",
            latitude=PIN[0],
            longitude=PIN[1],
        )
        report = self.verified(latitude=PIN[0], longitude=PIN[1])
        actions.support_report(report, device="phone", email="budi.supporter@example.org")
        body = self.client.get(DATA).content.decode()
        for text in [*IDENTITY, "Jl. Mawar 12", "budi.supporter"]:
            self.assertNotIn(text, body)
        self.assertNotIn("Siti Aminah", self.client.get(MAP).content.decode())

    def test_filters_by_category_status_and_period(self):
        with time_machine.travel(timezone.now() - dt.timedelta(days=60)):
            old = self.verified(title="Lama", latitude=PIN[0], longitude=PIN[1])
        light = self.verified(title="Lampu", latitude=PIN[0], longitude=PIN[1])
        other_parent = factory.make_category("Sampah menumpuk")
        rubbish = self.verified(category=other_parent, latitude=PIN[0], longitude=PIN[1])
        disposed = factory.make_disposed(self.coordinator, self.transport, region=self.kelurahan)

        def numbers(query):
            return set(self.by_number(self.features(query)))

        self.assertEqual(numbers(f"?category={other_parent.parent_id}"), {rubbish.tracking_number})
        self.assertEqual(numbers("?status=disposed"), {disposed.tracking_number})
        self.assertNotIn(old.tracking_number, numbers("?period=30"))
        self.assertIn(light.tracking_number, numbers("?period=30"))
        self.assertIn(old.tracking_number, numbers("?period=90"))

    @override_settings(ADUAN_MAP_MAX_REPORTS=2)
    def test_the_data_has_a_row_limit_newest_first_and_says_when_it_cut(self):
        reports = [self.verified(latitude=PIN[0], longitude=PIN[1]) for _ in range(3)]
        data = self.features()
        self.assertEqual(data["limit"], 2)
        self.assertTrue(data["truncated"])
        self.assertEqual(set(self.by_number(data)), {r.tracking_number for r in reports[1:]})
        self.assertContains(self.client.get(MAP), "Hanya 2 laporan terbaru")

    def test_the_data_costs_the_same_queries_for_few_or_many_reports(self):
        self.verified(latitude=PIN[0], longitude=PIN[1])
        # The portal's government, then the reports.
        with self.assertNumQueries(2):
            self.client.get(DATA)
        for _ in range(4):
            self.verified(is_anonymous=True, latitude=PIN[0], longitude=PIN[1])
        with self.assertNumQueries(2):
            self.client.get(DATA)

    def test_the_page_loads_the_map_scripts_from_our_own_static_files(self):
        page = self.client.get(MAP)
        self.assertContains(page, "/static/vendor/leaflet.markercluster/leaflet.markercluster.js")
        self.assertContains(page, "/static/js/public-map.js")
        config = json.loads(page.context["map"] and json.dumps(page.context["map"]))
        self.assertEqual(config["regions"], [{"name": "Bendogerit", "lat": -8.1, "lng": 112.18}])
        self.assertEqual(config["data"], DATA)

    def test_the_public_report_page_of_an_anonymous_report_shows_no_address(self):
        report = self.verified(is_anonymous=True, address="Jl. Mawar 12 rumah pagar hijau")
        page = self.client.get(reverse("portal:public_detail", args=[report.tracking_number]))
        self.assertContains(page, "Bendogerit")
        self.assertNotContains(page, "Jl. Mawar 12")


class FilterDefinitionTests(AduanTestCase):
    def test_the_map_and_the_list_filter_by_one_category_field(self):
        from portal.forms import PublicFilterForm
        from portal.map_forms import MapFilterForm

        for name in ("category", "status"):
            self.assertIs(MapFilterForm.base_fields[name], PublicFilterForm.base_fields[name])
        # The list keeps its order of fields.
        self.assertEqual(list(PublicFilterForm().fields), ["q", "category", "kecamatan", "status"])


class NearbyOnTheFormTests(MapCase):
    def nearby(self, **params):
        return self.client.get(NEARBY, params, headers={"HX-Request": "true"})

    def test_open_public_reports_of_the_same_category_near_the_pin_are_offered(self):
        same = self.verified(title="Lampu mati dekat pasar", latitude="-8.100200", longitude="112.180100")
        other_category = self.verified(category=self.other_category, latitude="-8.1002", longitude="112.1801")
        far = self.verified(title="Lampu jauh", latitude="-8.200000", longitude="112.180000")
        confidential = self.verified(is_confidential=True, latitude="-8.1002", longitude="112.1801")
        received = self.make_report(latitude="-8.1002", longitude="112.1801")
        closed = factory.make_resolved(
            self.coordinator,
            self.transport,
            self.transport_liaison,
            category=self.category,
            region=self.kelurahan,
            latitude="-8.1002",
            longitude="112.1801",
        )
        actions.close_report(closed, actor=self.coordinator)
        response = self.nearby(category=self.category.pk, latitude="-8.1", longitude="112.18")
        self.assertContains(response, "Sudah dilaporkan? Dukung laporan ini")
        self.assertContains(response, same.tracking_number)
        self.assertContains(response, reverse("portal:support", args=[same.tracking_number]))
        for hidden in (other_category, far, confidential, received, closed):
            self.assertNotContains(response, hidden.tracking_number)
        for text in IDENTITY:
            self.assertNotContains(response, text)

    def test_without_a_pin_the_chosen_kelurahan_is_used(self):
        here = self.verified(latitude=None, longitude=None)
        elsewhere = self.verified(region=self.other_kelurahan)
        response = self.nearby(category=self.category.pk, region=self.kelurahan.pk)
        self.assertContains(response, here.tracking_number)
        self.assertNotContains(response, elsewhere.tracking_number)

    def test_an_anonymous_report_is_near_by_its_centre_only(self):
        # Its pin is 0.7 km from the centre: pinning the pin itself finds it 0.7 km away;
        # a pin 0.4 km beyond it (1.2 km from the centre) does not find it at all.
        anonymous = self.verified(is_anonymous=True, latitude=PIN[0], longitude=PIN[1])
        self.assertContains(self.nearby(category=self.category.pk, latitude=PIN[0], longitude=PIN[1]), "0,7 km")
        beyond = self.nearby(category=self.category.pk, latitude="-8.090914", longitude="112.174469")
        self.assertNotContains(beyond, anonymous.tracking_number)

    def test_nothing_without_a_category_and_nothing_from_bad_input(self):
        self.verified(latitude="-8.1002", longitude="112.1801")
        self.assertEqual(self.nearby(latitude="-8.1", longitude="112.18").content.strip(), b"")
        self.assertEqual(self.nearby(category="x", latitude="abc").status_code, 200)

    def test_the_report_form_asks_for_nearby_reports_on_category_kelurahan_and_pin(self):
        page = self.client.get(reverse("portal:submit"))
        self.assertContains(page, f'hx-get="{NEARBY}"')
        self.assertContains(page, "change from:#id_category, change from:#id_region, change from:#id_longitude")
