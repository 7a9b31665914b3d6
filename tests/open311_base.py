"""Shared set-up for the Open311 tests: a service with questions, an API key, and helpers
that fetch a document in JSON and in XML and check both against the official schemas."""

import json

from django.core.cache import cache

from apikeys import actions as key_actions
from open311.models import AttributeValue, Datatype, ServiceAttribute
from tests import open311_schema
from tests.base import AduanTestCase

BASE = "/open311/v2"


class Open311TestCase(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kelurahan.code = "35.72.03.1004"
        cls.kelurahan.save()
        cls.damage = ServiceAttribute.objects.create(
            category=cls.category,
            code="kerusakan",
            description="Jenis kerusakan",
            datatype=Datatype.SINGLE,
            required=True,
            order=1,
        )
        AttributeValue.objects.create(attribute=cls.damage, key="mati", name="Mati total", order=1)
        AttributeValue.objects.create(attribute=cls.damage, key="kedip", name="Berkedip", order=2)
        cls.poles = ServiceAttribute.objects.create(
            category=cls.category, code="jumlah-tiang", description="Jumlah tiang", datatype=Datatype.NUMBER, order=2
        )
        cls.api_key, cls.key = key_actions.issue_key(name="Aplikasi Warga", organisation="Komunitas Blitar")

    def setUp(self):
        cache.clear()

    def fetch(self, path, schema=None, **params):
        """GET ``path`` as .json and .xml; check both, return (json value, json response)."""
        response = self.client.get(f"{BASE}/{path}.json", params)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        value = json.loads(response.content.decode("utf-8"))
        if schema and response.status_code == 200:
            open311_schema.validate(value, schema)
        xml = self.client.get(f"{BASE}/{path}.xml", params)
        self.assertEqual(xml.status_code, response.status_code)
        self.assertEqual(xml["Content-Type"], "text/xml; charset=utf-8")
        self.assertTrue(xml.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>"))
        _root, xml_value = open311_schema.from_xml(xml.content)
        self.assertEqual(_comparable(xml_value), _comparable(value))
        return value, response

    def assertError(self, response, status):
        self.assertEqual(response.status_code, status, response.content)
        errors = json.loads(response.content)
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0]["code"], status)
        self.assertTrue(errors[0]["description"])
        return errors[0]["description"]


def _comparable(value):
    """JSON as XML can carry it: empty lists vanish into empty elements, numbers are text."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if v not in (None, [], "")}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value
