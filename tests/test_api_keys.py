"""Integration clients call the resident endpoints with an administrator's API key
(apikeys/): checked, rate limited per key, and every use logged."""

from apikeys import actions as apikeys_actions
from apikeys.models import ApiKeyUse
from reports.models import Report
from tests.api_base import ApiTestCase

SUBMIT = "/api/v1/resident/reports/"


class ApiKeyTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.api_key, self.key = apikeys_actions.issue_key(
            name="Aplikasi Kota", organisation="Diskominfo", scopes=["api.resident"], rate_limit_per_minute=3
        )

    def payload(self):
        return {
            "kind": "complaint",
            "description": "Jalan berlubang di Jl. Kenanga.",
            "category": self.category.pk,
            "region": self.kelurahan.pk,
            "reporter_name": "Ani",
        }

    def test_a_keyed_client_submits_and_the_use_is_logged(self):
        response = self.post(SUBMIT, self.payload(), headers={"X-Api-Key": self.key})
        self.assertEqual(response.status_code, 201, response.content)
        report = Report.objects.get(tracking_number=response.json()["tracking_number"])
        self.assertEqual(report.channel, "api")
        self.assertIn("Aplikasi Kota", report.channel_reference)
        use = ApiKeyUse.objects.get(key=self.api_key)
        self.assertEqual((use.method, use.path, use.status_code), ("POST", SUBMIT, 201))

    def test_the_authorization_header_form_works_too(self):
        response = self.post(SUBMIT, self.payload(), headers={"Authorization": f"ApiKey {self.key}"})
        self.assertEqual(response.status_code, 201, response.content)

    def test_an_unknown_or_revoked_key_is_refused_in_the_api_format(self):
        self.assertError(self.post(SUBMIT, self.payload(), headers={"X-Api-Key": "adk_00000000_nope"}), 403)
        apikeys_actions.revoke_key(self.api_key)
        self.assertError(self.post(SUBMIT, self.payload(), headers={"X-Api-Key": self.key}), 403, "api_key_invalid")
        self.assertFalse(Report.objects.exists())
        self.assertEqual(ApiKeyUse.objects.filter(key=self.api_key, status_code=403).count(), 1)

    def test_a_key_without_the_scope_is_refused(self):
        _row, other = apikeys_actions.issue_key(name="Lain", organisation="X", scopes=[])
        self.assertError(self.post(SUBMIT, self.payload(), headers={"X-Api-Key": other}), 403, "api_key_scope")

    def test_the_keys_own_rate_limit_applies(self):
        for _ in range(3):
            self.assertEqual(self.get("/api/v1/categories/", headers={"X-Api-Key": self.key}).status_code, 200)
        response = self.get("/api/v1/categories/", headers={"X-Api-Key": self.key})
        self.assertError(response, 429, "throttled")
        self.assertIn("Retry-After", response)

    def test_a_key_does_not_open_staff_endpoints(self):
        self.assertError(self.get("/api/v1/staff/reports/", headers={"X-Api-Key": self.key}), 401)
