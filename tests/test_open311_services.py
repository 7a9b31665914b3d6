"""Open311 discovery, services and service definitions."""

from open311.models import AttributeValue, Datatype, ServiceAttribute
from reports.models import Category
from tests import factory
from tests.open311_base import BASE, Open311TestCase
from triage.models import KeywordRule


class DiscoveryTests(Open311TestCase):
    def test_discovery_names_the_endpoint_and_both_formats(self):
        value, response = self.fetch("discovery")

        self.assertEqual(response.status_code, 200)
        endpoint = value["endpoints"][0]
        self.assertEqual(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2")
        self.assertTrue(endpoint["url"].endswith("/open311/v2"))
        self.assertEqual(endpoint["formats"], ["text/xml", "application/json"])


class ServicesTests(Open311TestCase):
    def test_leaf_categories_are_services_with_group_keywords_and_metadata(self):
        KeywordRule.objects.create(category=self.category, keywords="lampu mati, PJU\ngelap")

        services, response = self.fetch("services", schema="services.json")

        self.assertEqual(response.status_code, 200)
        by_code = {s["service_code"]: s for s in services}
        lamp = by_code[str(self.category.pk)]
        self.assertEqual(lamp["service_name"], "Lampu penerangan jalan umum")
        self.assertEqual(lamp["group"], "Perhubungan")
        self.assertEqual(lamp["keywords"], "lampu mati, PJU, gelap")
        self.assertIs(lamp["metadata"], True)
        self.assertEqual(lamp["type"], "realtime")
        self.assertIs(by_code[str(self.other_category.pk)]["metadata"], False)
        self.assertNotIn(str(self.category.parent_id), by_code)  # a parent with children is a group

    def test_inactive_categories_and_children_of_inactive_parents_are_not_services(self):
        closed_parent = Category.objects.create(name="Lama", is_active=False)
        child = factory.make_category("Anak", parent=closed_parent)
        hidden = factory.make_category("Ditutup", parent=self.category.parent, is_active=False)
        standalone = Category.objects.create(name="Lain-lain")

        codes = {s["service_code"] for s in self.fetch("services", schema="services.json")[0]}

        self.assertNotIn(str(child.pk), codes)
        self.assertNotIn(str(hidden.pk), codes)
        self.assertIn(str(standalone.pk), codes)  # a category without children is a service

    def test_services_take_a_constant_number_of_queries(self):
        for n in range(5):
            factory.make_category(f"Kategori {n}", parent=self.category.parent)
        with self.assertNumQueries(1):
            self.client.get(f"{BASE}/services.json")


class ServiceDefinitionTests(Open311TestCase):
    def test_definition_lists_active_questions_in_order_with_their_values(self):
        ServiceAttribute.objects.create(
            category=self.category, code="lama", description="Sudah berapa lama?", is_active=False
        )
        note = ServiceAttribute.objects.create(
            category=self.category,
            code="catatan",
            description="Foto tiang membantu petugas.",
            variable=False,
            order=3,
            datatype=Datatype.TEXT,
        )

        value, response = self.fetch(f"services/{self.category.pk}", schema="service-definition.json")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(value["service_code"], str(self.category.pk))
        self.assertEqual([a["code"] for a in value["attributes"]], ["kerusakan", "jumlah-tiang", note.code])
        damage = value["attributes"][0]
        self.assertEqual(
            (damage["datatype"], damage["required"], damage["variable"], damage["order"]),
            ("singlevaluelist", True, True, 1),
        )
        self.assertEqual(
            damage["values"], [{"key": "mati", "name": "Mati total"}, {"key": "kedip", "name": "Berkedip"}]
        )
        self.assertIs(value["attributes"][2]["variable"], False)

    def test_a_multi_value_question_lists_its_values(self):
        multi = ServiceAttribute.objects.create(
            category=self.other_category, code="waktu", description="Kapan?", datatype=Datatype.MULTI
        )
        AttributeValue.objects.create(attribute=multi, key="pagi", name="Pagi")
        value, _response = self.fetch(f"services/{self.other_category.pk}", schema="service-definition.json")
        self.assertEqual(value["attributes"][0]["values"], [{"key": "pagi", "name": "Pagi"}])

    def test_unknown_service_is_404_in_both_formats(self):
        for code in ["999999", "abc", str(self.category.parent_id)]:
            value, response = self.fetch(f"services/{code}")
            self.assertError(response, 404)

    def test_unknown_format_is_404(self):
        response = self.client.get(f"{BASE}/services.html")
        self.assertError(response, 404)

    def test_wrong_method_is_refused_in_the_error_format(self):
        response = self.client.post(f"{BASE}/services.json")
        self.assertError(response, 405)
        self.assertEqual(response["Allow"], "GET")
