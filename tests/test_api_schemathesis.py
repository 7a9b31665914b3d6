"""Schemathesis against the app's own OpenAPI schema, in process (WSGI, no network): for
every resident and staff operation, generated requests never get a 5xx, and every answer
conforms to the schema (status code documented, content type, body). Path parameters
point at a small real dataset so the operations get past their 404s."""

import os

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode, openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import StaffToken
from reports import actions
from tests import factory
from tests.base import AduanTestCase

MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SKIP = {"/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"}


class SchemaConformanceTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.received = factory.make_report(category=cls.category, region=cls.kelurahan, is_anonymous=True)
        cls.disposed = factory.make_disposed(cls.coordinator, cls.public_works, category=cls.category)
        cls.resolved = factory.make_resolved(cls.coordinator, cls.public_works, cls.pw_liaison, is_confidential=True)
        actions.post_follow_up(cls.disposed.dispositions.get(), actor=cls.pw_liaison, message="Dicek besok.")

    def setUp(self):
        cache.clear()
        # Calls go straight to the WSGI app, whose request signals would close the test's
        # database connection (and its transaction); Django's test client does the same.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)
        self.schema = openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
        self.tokens = {user.username: StaffToken.objects.issue(user)[1] for user in (self.coordinator, self.pw_liaison)}

    def path_parameters(self, path):
        if "{secret}" in path:
            return {
                "secret": self.resolved.secret
                if path.endswith(("confirm/", "rate/", "dispute/"))
                else self.received.secret
            }
        if "/dispositions/{id}" in path:
            return {"id": self.disposed.dispositions.get().pk}
        if "/attachments/{id}" in path:
            return None  # ids drawn at random: 404s, in the API's format
        if "{id}" in path:
            return {
                "id": self.received.pk
                if path.endswith(("verify/", "hold/", "archive/", "classify/"))
                else self.disposed.pk
            }
        return None

    def fuzz(self, prefix, username=None):
        operations = [
            result.ok()
            for result in self.schema.get_all_operations()
            if result.ok().path.startswith(prefix) and result.ok().path not in SKIP
        ]
        self.assertTrue(operations)
        headers = {"Host": "testserver"}
        if username:
            headers["Authorization"] = f"Token {self.tokens[username]}"
        for operation in operations:
            # Valid requests, then (for operations with a body) invalid ones: wrong types,
            # missing fields, out-of-range values; neither may ever get a 5xx.
            modes = [(GenerationMode.POSITIVE, MAX_EXAMPLES)]
            if operation.body:
                modes.append((GenerationMode.NEGATIVE, max(MAX_EXAMPLES // 2, 1)))
            for mode, examples in modes:
                with self.subTest(operation=f"{operation.method.upper()} {operation.path}", user=username, mode=mode):
                    self.run_operation(operation, mode, examples, headers)

    def run_operation(self, operation, mode, examples, headers):
        strategy = operation.as_strategy(mode, path_parameters=self.path_parameters(operation.path))

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case):
            cache.clear()  # the per-address limits would otherwise answer 429 to everything
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        check()

    def test_resident_and_lookup_operations(self):
        self.fuzz("/api/v1/resident/")
        self.fuzz("/api/v1/categories/")
        self.fuzz("/api/v1/regions/")

    def test_staff_operations_as_coordinator(self):
        self.fuzz("/api/v1/staff/", "koordinator")

    def test_staff_operations_as_agency_liaison(self):
        self.fuzz("/api/v1/staff/", "penghubung_pupr")

    def test_token_operations(self):
        self.fuzz("/api/v1/auth/")
