"""Open311 POST requests: an API key, a location, the service's questions, and every kind of
bad input refused in GeoReport's error format with nothing stored."""

import json
from decimal import Decimal

import time_machine
from django.utils import timezone

from apikeys import actions as key_actions
from apikeys.models import ApiKeyUse
from open311.models import AttributeAnswer, AttributeValue, Datatype, ServiceAttribute, ServiceRequest
from reports.models import Channel, ReplyChannel, Report
from tests import open311_schema
from tests.open311_base import BASE, Open311TestCase

URL = f"{BASE}/requests.json"


class SubmitCase(Open311TestCase):
    def data(self, **overrides):
        values = {
            "api_key": self.key,
            "service_code": str(self.category.pk),
            "lat": "-8.098312",
            "long": "112.168134",
            "description": "Lampu PJU di depan SDN 1 mati sejak tiga malam.",
            "attribute[kerusakan]": "mati",
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v is not None}

    def post(self, fmt="json", **overrides):
        return self.client.post(f"{BASE}/requests.{fmt}", self.data(**overrides))

    def assertRefused(self, response, status=400):
        description = self.assertError(response, status)
        self.assertFalse(Report.objects.exists())
        self.assertFalse(ServiceRequest.objects.exists())
        self.assertFalse(AttributeAnswer.objects.exists())
        return description


class SubmitTests(SubmitCase):
    def test_a_request_becomes_a_report_through_submit_report(self):
        response = self.post(
            email="warga@example.org",
            first_name="Siti",
            last_name="Aminah",
            phone="081234567890",
            device_id="android-123",
            account_id="akun-9",
            media_url="https://foto.example.org/pju.jpg",
            **{"attribute[jumlah-tiang]": "2"},
        )

        self.assertEqual(response.status_code, 200, response.content)
        body = json.loads(response.content)
        open311_schema.validate(body, "swagger-RequestResponse")
        report = Report.objects.get()
        self.assertEqual(body[0]["service_request_id"], report.tracking_number)
        self.assertEqual(body[0]["account_id"], "akun-9")
        self.assertEqual(report.channel, Channel.API)
        self.assertEqual(report.category, self.category)
        self.assertEqual((report.latitude, report.longitude), (Decimal("-8.098312"), Decimal("112.168134")))
        self.assertEqual(
            (report.reporter_name, report.reporter_email, report.reporter_phone),
            ("Siti Aminah", "warga@example.org", "081234567890"),
        )
        self.assertEqual(report.reply_channel, ReplyChannel.EMAIL)
        self.assertTrue(report.events.filter(action="submitted").exists())
        answers = {a.attribute.code: a.value for a in report.attribute_answers.select_related("attribute")}
        self.assertEqual(answers, {"kerusakan": "mati", "jumlah-tiang": "2"})
        submitted = report.open311
        self.assertEqual(submitted.api_key, self.api_key)
        self.assertEqual(
            (submitted.device_id, submitted.media_url), ("android-123", "https://foto.example.org/pju.jpg")
        )
        self.assertEqual(body[0]["token"], submitted.token)

    def test_the_token_gives_the_service_request_id(self):
        body = json.loads(self.post().content)
        value, response = self.fetch(f"tokens/{body[0]['token']}")
        self.assertEqual(response.status_code, 200)
        open311_schema.validate(value, "swagger-TokenResponse")
        self.assertEqual(value, [{"service_request_id": body[0]["service_request_id"], "token": body[0]["token"]}])
        _value, unknown = self.fetch("tokens/tidak-ada")
        self.assertError(unknown, 404)

    def test_xml_answer_is_well_formed(self):
        response = self.post(fmt="xml")
        self.assertEqual(response.status_code, 200)
        root, value = open311_schema.from_xml(response.content)
        self.assertEqual(root, "service_requests")
        self.assertEqual(value[0]["service_request_id"], Report.objects.get().tracking_number)

    def test_an_address_string_or_a_kelurahan_code_is_location_enough(self):
        self.assertEqual(self.post(lat=None, long=None, address_string="Jl. Merdeka depan pasar").status_code, 200)
        self.assertEqual(self.post(lat=None, long=None, address_id="35.72.03.1004").status_code, 200)
        by_address, by_id = Report.objects.order_by("pk")
        self.assertEqual(by_address.address, "Jl. Merdeka depan pasar")
        self.assertEqual(by_id.region, self.kelurahan)
        self.assertEqual(by_id.open311.address_id, "35.72.03.1004")

    def test_a_request_without_description_is_described_by_its_answers(self):
        self.post(description="")
        self.assertEqual(Report.objects.get().description, "Lampu penerangan jalan umum\nJenis kerusakan: Mati total")

    def test_multi_value_answers_and_anonymous_confidential_flags(self):
        times = ServiceAttribute.objects.create(
            category=self.category, code="waktu", description="Kapan mati?", datatype=Datatype.MULTI
        )
        for key in ("malam", "pagi"):
            AttributeValue.objects.create(attribute=times, key=key, name=key.title())
        response = self.client.post(
            URL,
            {**self.data(anonymous="true", confidential="1"), "attribute[waktu][]": ["malam", "pagi", "malam"]},
        )
        self.assertEqual(response.status_code, 200, response.content)
        report = Report.objects.get()
        self.assertTrue(report.is_anonymous and report.is_confidential)
        self.assertEqual(report.attribute_answers.get(attribute=times).value, ["malam", "pagi"])
        self.assertEqual(report.reply_channel, ReplyChannel.NONE)

    def test_a_submitted_request_is_readable_once_verified(self):
        from reports import actions

        tracking = json.loads(self.post().content)[0]["service_request_id"]
        self.assertError(self.client.get(f"{BASE}/requests/{tracking}.json"), 404)
        actions.verify_report(Report.objects.get(), actor=self.coordinator)
        (request,), _response = self.fetch(f"requests/{tracking}", schema="requests.json")
        self.assertEqual(request["service_code"], str(self.category.pk))


class BadKeyTests(SubmitCase):
    def test_missing_unknown_and_revoked_keys_are_403(self):
        self.assertRefused(self.post(api_key=None), 403)
        self.assertRefused(self.post(api_key="adk_abcdefgh_salah"), 403)
        key_actions.revoke_key(self.api_key)
        self.assertRefused(self.post(), 403)

    def test_a_key_without_the_open311_scope_is_403(self):
        _other, key = key_actions.issue_key(name="REST saja", organisation="X", scopes=[])
        self.assertRefused(self.post(api_key=key), 403)

    def test_over_the_rate_limit_is_429_with_retry_after(self):
        _limited, key = key_actions.issue_key(name="Sibuk", organisation="X", rate_limit_per_minute=1)
        with time_machine.travel(timezone.now().replace(second=10), tick=False):
            self.assertEqual(self.post(api_key=key, service_code="999999").status_code, 400)
            response = self.post(api_key=key)
        self.assertRefused(response, 429)
        self.assertEqual(response["Retry-After"], "50")
        self.assertEqual(ApiKeyUse.objects.filter(status_code=429).count(), 1)


class BadInputTests(SubmitCase):
    def test_malformed_or_missing_locations_are_400(self):
        cases = [
            {"lat": "abc"},
            {"lat": "-8,0983"},
            {"lat": "91"},
            {"long": "181"},
            {"lat": "nan"},
            {"long": None},
            {"lat": None, "long": None},
            {"lat": None, "long": None, "address_id": "99.99"},
            {"address_string": "x" * 301},
        ]
        for overrides in cases:
            with self.subTest(overrides):
                self.assertRefused(self.post(**overrides))

    def test_unknown_or_missing_service_code_is_400(self):
        for code in ("999999", "abc", str(self.category.parent_id), None):
            with self.subTest(code):
                self.assertRefused(self.post(service_code=code))

    def test_attribute_errors_are_400_with_the_attribute_named(self):
        cases = {
            "kerusakan": {"attribute[kerusakan]": None},
            "kerusakan ": {"attribute[kerusakan]": ""},
            "meledak": {"attribute[kerusakan]": "meledak"},
            "jumlah-tiang": {"attribute[jumlah-tiang]": "dua"},
            "warna": {"attribute[warna]": "merah"},
        }
        for expected, overrides in cases.items():
            with self.subTest(overrides):
                self.assertIn(expected.strip(), self.assertRefused(self.post(**overrides)))
        two = self.client.post(URL, {**self.data(), "attribute[kerusakan]": ["mati", "kedip"]})
        self.assertRefused(two)

    def test_datetime_attributes_must_be_iso_8601(self):
        ServiceAttribute.objects.create(
            category=self.category, code="sejak", description="Sejak kapan?", datatype=Datatype.DATETIME
        )
        self.assertRefused(self.post(**{"attribute[sejak]": "tiga hari lalu"}))
        self.assertEqual(self.post(**{"attribute[sejak]": "2026-11-01T19:00:00+07:00"}).status_code, 200)

    def test_bad_contact_media_and_text_are_400(self):
        for overrides in (
            {"email": "bukan-email"},
            {"phone": "telepon saya"},
            {"media_url": "javascript:alert(1)"},
            {"media_url": "ftp://foto.example.org/a.jpg"},
            {"description": "x" * 4001},
            {"anonymous": "mungkin"},
            {"first_name": "x" * 61},
        ):
            with self.subTest(overrides):
                self.assertRefused(self.post(**overrides))

    def test_wrong_content_type_is_400(self):
        response = self.client.post(URL, json.dumps(self.data()), content_type="application/json")
        self.assertIn("Content-Type", self.assertRefused(response))

    def test_a_json_body_nested_100000_levels_deep_is_400(self):
        deep = b"[" * 30_000 + b"]" * 30_000  # under the 64 KB limit: refused for its type, never parsed
        response = self.client.post(URL, deep, content_type="application/json")
        self.assertRefused(response)

    def test_an_oversized_request_is_400(self):
        response = self.post(description="x" * 70_000)
        self.assertRefused(response)

    def test_file_uploads_are_refused(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        photo = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
        self.assertRefused(self.client.post(URL, {**self.data(), "media": photo}))

    def test_errors_come_in_xml_too(self):
        response = self.post(fmt="xml", lat="abc")
        self.assertEqual(response.status_code, 400)
        root, value = open311_schema.from_xml(response.content)
        self.assertEqual(root, "errors")
        self.assertEqual(value[0]["code"], "400")
        self.assertIn("lat", value[0]["description"])

    def test_an_error_inside_submit_report_stores_nothing(self):
        # A failure after the report is written rolls the report back with it.
        from unittest import mock

        failing = mock.patch("open311.actions.AttributeAnswer.objects.bulk_create", side_effect=RuntimeError("boom"))
        with failing, self.assertRaises(RuntimeError):
            self.post()
        self.assertFalse(Report.objects.exists())


class AdminTests(SubmitCase):
    def setUp(self):
        super().setUp()
        from tests import factory

        self.login(factory.make_user("sysadmin", is_staff=True, is_superuser=True))

    def test_the_administrator_defines_a_question_with_its_options(self):
        from django.urls import reverse

        form = {
            "category": self.other_category.pk,
            "code": "durasi",
            "description": "Sudah berapa lama?",
            "datatype": "singlevaluelist",
            "order": 1,
            "variable": "on",
            "is_active": "on",
            "values-TOTAL_FORMS": "1",
            "values-INITIAL_FORMS": "0",
            "values-0-order": "1",
            "values-0-key": "minggu",
            "values-0-name": "Lebih dari seminggu",
        }
        url = reverse("admin:open311_serviceattribute_add")
        self.assertEqual(self.client.get(url).status_code, 200)
        empty = {**form, "code": "kosong", "values-TOTAL_FORMS": "0"}
        self.assertEqual(self.client.post(url, empty).status_code, 200)  # a list without options is refused
        self.assertFalse(ServiceAttribute.objects.filter(code="kosong").exists())
        self.assertEqual(self.client.post(url, form).status_code, 302)
        value, _response = self.fetch(f"services/{self.other_category.pk}", schema="service-definition.json")
        self.assertEqual(value["attributes"][0]["values"], [{"key": "minggu", "name": "Lebih dari seminggu"}])

    def test_staff_see_the_answers_and_the_use_log_in_the_admin(self):
        from django.urls import reverse

        self.post(device_id="android-123")
        submitted = ServiceRequest.objects.get()
        page = self.client.get(reverse("admin:open311_servicerequest_change", args=[submitted.pk]))
        self.assertContains(page, "Jenis kerusakan: mati")
        self.assertContains(page, "android-123")
        uses = self.client.get(reverse("admin:apikeys_apikeyuse_changelist"))
        self.assertContains(uses, "/open311/v2/requests.json")
