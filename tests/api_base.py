"""Helpers for the REST API tests: a JSON client, staff tokens, and a clean rate-limit cache."""

import json

from django.core.cache import cache

from api.models import StaffToken
from tests.base import AduanTestCase


class ApiClientMixin:
    """A JSON client with staff tokens for any TestCase: ``post(url, data, user)``."""

    def setUp(self):
        super().setUp()
        cache.clear()  # the throttles count in the cache

    def token_for(self, user):
        return StaffToken.objects.issue(user)[1]

    def headers(self, user=None, **extra):
        headers = dict(extra)
        if user is not None:
            headers["Authorization"] = f"Token {self.token_for(user)}"
        return headers

    def get(self, url, user=None, **kwargs):
        headers = self.headers(user, **kwargs.pop("headers", {}))
        return self.client.get(url, kwargs.pop("data", None), headers=headers, **kwargs)

    def post(self, url, data=None, user=None, *, multipart=False, headers=None):
        headers = self.headers(user, **(headers or {}))
        if multipart:
            return self.client.post(url, data or {}, headers=headers)
        return self.client.post(url, json.dumps(data or {}), content_type="application/json", headers=headers)

    def assertError(self, response, status, code=None, field=None):
        self.assertEqual(response.status_code, status, response.content[:500])
        self.assertEqual(response["Content-Type"], "application/json")
        body = response.json()
        self.assertIn("errors", body)
        self.assertTrue(body["errors"])
        for error in body["errors"]:
            self.assertEqual(set(error), {"field", "code", "message"})
        if code:
            self.assertIn(code, [e["code"] for e in body["errors"]])
        if field:
            self.assertIn(field, [e["field"] for e in body["errors"]])
        self.assertNotIn("Traceback", response.content.decode())
        return body["errors"]


class ApiTestCase(ApiClientMixin, AduanTestCase):
    pass
