"""core/dbrouter.py without a replica (any database): which requests may read from one, the
router's answers, the pin after a write. Against a real replica: tests/test_read_replica.py."""

import time

from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import resolve

from core import dbrouter
from reports.models import Category
from tests.base import AduanTestCase


def eligible(method, path, cookies=None):
    request = getattr(RequestFactory(), method.lower())(path)
    request.COOKIES.update(cookies or {})
    request.resolver_match = match = resolve(path)
    return dbrouter._eligible(request, match.func)


class EligibleViewsTests(SimpleTestCase):
    def test_public_monev_and_open311_gets_may_read_from_a_replica(self):
        for path in ("/", "/laporan/", "/transparansi/", "/transparansi/data.csv", "/open311/v2/services.json"):
            self.assertTrue(eligible("GET", path), path)
        self.assertTrue(eligible("GET", "/kerja/monev/"))

    def test_staff_pages_writes_and_the_api_read_from_the_primary(self):
        self.assertFalse(eligible("GET", "/kerja/"))
        self.assertFalse(eligible("GET", "/api/v1/"))
        self.assertFalse(eligible("POST", "/lapor/"))
        self.assertFalse(eligible("POST", "/open311/v2/requests.json"))

    def test_a_view_marked_replica_reads_may_outside_the_namespaces(self):
        self.assertTrue(eligible("GET", "/kerja/lapor/ekspor/"))
        self.assertFalse(eligible("GET", "/kerja/lapor/impor/"))

    def test_a_client_inside_its_sticky_window_reads_from_the_primary(self):
        later = str(int((time.time() + 5) * 1000))
        earlier = str(int((time.time() - 5) * 1000))

        self.assertFalse(eligible("GET", "/transparansi/", {dbrouter.PIN_COOKIE: later}))
        self.assertTrue(eligible("GET", "/transparansi/", {dbrouter.PIN_COOKIE: earlier}))
        self.assertFalse(eligible("GET", "/transparansi/", {dbrouter.PIN_COOKIE: "not-a-time"}))


class RouterTests(SimpleTestCase):
    router = dbrouter.ReplicaRouter()

    def test_outside_a_request_django_chooses_as_before_and_writes_go_to_the_primary(self):
        self.assertIsNone(self.router.db_for_read(Category))
        self.assertEqual(self.router.db_for_write(Category), "default")

    def test_inside_a_replica_request_reads_go_there_until_the_first_write(self):
        token = dbrouter._routing.set(dbrouter._Routing(use_replica=True))
        try:
            self.assertEqual(self.router.db_for_read(Category), "replica")
            self.assertEqual(self.router.db_for_write(Category), "default")
            self.assertEqual(self.router.db_for_read(Category), "default")
        finally:
            dbrouter._routing.reset(token)

    def test_nothing_migrates_the_replica(self):
        self.assertIs(self.router.allow_migrate("replica", "reports"), False)
        self.assertIsNone(self.router.allow_migrate("default", "reports"))

    def test_without_a_replica_the_state_is_off(self):
        self.assertEqual(dbrouter.replica_state(fresh=True), dbrouter.ReplicaState("off"))


class WithoutReplicaTests(AduanTestCase):
    def test_no_pin_cookie_and_no_routing_without_a_replica(self):
        response = self.client.post("/i18n/setlang/", {"language": "id", "next": "/"})

        self.assertNotIn(dbrouter.PIN_COOKIE, response.cookies)
        self.assertIsNone(dbrouter._routing.get())

    @override_settings(ADUAN_DB_REPLICA_URL="postgres://x@127.0.0.1:1/x")
    def test_a_replica_url_without_a_replica_database_changes_nothing(self):
        self.assertFalse(dbrouter.replica_configured())
