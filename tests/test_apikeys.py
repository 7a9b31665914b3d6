"""API keys: issued once, stored as a hash, revocable, rate limited, every use logged."""

import datetime as dt
import io

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone

from apikeys import access, actions, tasks
from apikeys.models import ApiKey, ApiKeyUse
from core.errors import DomainError


def issue(**overrides):
    values = {"name": "Aplikasi Kota", "organisation": "Diskominfo"}
    values.update(overrides)
    return actions.issue_key(**values)


class ApiKeyTestCase(TestCase):
    def setUp(self):
        cache.clear()  # rate-limit counters live in the cache
        self.factory = RequestFactory()

    def get(self, **headers):
        return self.factory.get("/open311/v2/requests.json", headers=headers)


class IssuingTests(ApiKeyTestCase):
    def test_only_a_hash_and_a_prefix_are_stored(self):
        api_key, key = issue()

        self.assertTrue(key.startswith(f"adk_{api_key.prefix}_"))
        self.assertGreater(len(key), 40)
        row = ApiKey.objects.values().get(pk=api_key.pk)
        # Everything after the prefix is the secret (it may itself contain "_").
        secret = key.removeprefix(f"adk_{api_key.prefix}_")
        self.assertGreater(len(secret), 30)
        self.assertFalse(any(secret in str(value) for value in row.values()))
        self.assertEqual(len(row["key_hash"]), 64)

    def test_two_keys_differ(self):
        self.assertNotEqual(issue()[1], issue()[1])

    def test_every_registered_scope_by_default_and_unknown_scopes_refused(self):
        api_key, _key = issue()
        self.assertIn("open311.submit", api_key.scopes)
        with self.assertRaises(DomainError):
            issue(scopes=["everything"])

    def test_name_and_organisation_are_required(self):
        with self.assertRaises(DomainError):
            issue(organisation=" ")
        self.assertFalse(ApiKey.objects.exists())

    def test_command_prints_a_working_key_once(self):
        out, err = io.StringIO(), io.StringIO()
        call_command("issue_api_key", "--name", "Aplikasi Android", "--organisation", "Dinas X", stdout=out, stderr=err)

        key = out.getvalue().strip()
        self.assertEqual(access.authenticate(self.get(**{"X-Api-Key": key})).name, "Aplikasi Android")
        self.assertNotIn(key, err.getvalue())

    def test_revoke_command_revokes(self):
        api_key, key = issue()
        call_command("revoke_api_key", api_key.prefix, stdout=io.StringIO())

        with self.assertRaises(access.InvalidKey):
            access.authenticate(self.get(**{"X-Api-Key": key}))


class AuthenticateTests(ApiKeyTestCase):
    def test_header_authorization_and_parameter_are_accepted(self):
        api_key, key = issue()
        requests = [
            self.get(**{"X-Api-Key": key}),
            self.get(Authorization=f"ApiKey {key}"),
            self.factory.get("/open311/v2/requests.json", {"api_key": key}),
            self.factory.post("/open311/v2/requests.json", {"api_key": key}),
        ]
        for request in requests:
            self.assertEqual(access.authenticate(request), api_key)
            self.assertEqual(request.api_key, api_key)

    def test_missing_unknown_wrong_secret_and_revoked_keys_are_403(self):
        api_key, key = issue()
        wrong_secret = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")
        with self.assertRaises(access.MissingKey) as missing:
            access.authenticate(self.get())
        self.assertEqual(missing.exception.status, 403)
        for text in ["nonsense", "adk_00000000_secret", wrong_secret]:
            with self.assertRaises(access.InvalidKey):
                access.authenticate(self.get(**{"X-Api-Key": text}))

        actions.revoke_key(api_key)
        with self.assertRaises(access.InvalidKey) as revoked:
            access.authenticate(self.get(**{"X-Api-Key": key}))
        self.assertEqual(revoked.exception.status, 403)

    def test_a_key_without_the_scope_is_refused(self):
        _api_key, key = issue(scopes=[])
        with self.assertRaises(access.ScopeDenied):
            access.authenticate(self.get(**{"X-Api-Key": key}), scope="open311.submit")

    def test_last_used_is_written_at_most_once_a_minute(self):
        api_key, key = issue()
        with self.assertNumQueries(2):  # find the key, write last_used_at
            access.authenticate(self.get(**{"X-Api-Key": key}))
        with self.assertNumQueries(1):  # find the key only
            access.authenticate(self.get(**{"X-Api-Key": key}))
        api_key.refresh_from_db()
        self.assertIsNotNone(api_key.last_used_at)

    def test_over_the_per_minute_limit_is_429_until_the_next_minute(self):
        _api_key, key = issue(rate_limit_per_minute=3)
        start = timezone.now().replace(second=5)
        with time_machine.travel(start, tick=False):
            for _ in range(3):
                access.authenticate(self.get(**{"X-Api-Key": key}))
            with self.assertRaises(access.RateLimited) as limited:
                access.authenticate(self.get(**{"X-Api-Key": key}))
        self.assertEqual(limited.exception.status, 429)
        self.assertEqual(limited.exception.retry_after, 55)
        with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
            access.authenticate(self.get(**{"X-Api-Key": key}))

    def test_the_default_limit_comes_from_settings(self):
        _api_key, key = issue()
        with (
            self.settings(ADUAN_API_KEY_RATE_LIMIT=1),
            time_machine.travel(timezone.now().replace(second=1), tick=False),
        ):
            access.authenticate(self.get(**{"X-Api-Key": key}))
            with self.assertRaises(access.RateLimited):
                access.authenticate(self.get(**{"X-Api-Key": key}))


class UseLogTests(ApiKeyTestCase):
    url = "/open311/v2/requests.json"

    def test_every_use_is_logged_with_status_path_method_and_address(self):
        api_key, key = issue()
        self.client.post(self.url, {"api_key": key, "service_code": "999999"}, REMOTE_ADDR="203.0.113.9")

        use = ApiKeyUse.objects.get()
        self.assertEqual(
            (use.key, use.method, use.path, use.status_code, use.remote_addr),
            (api_key, "POST", self.url, 400, "203.0.113.9"),
        )

    def test_refused_uses_of_a_known_key_are_logged_too(self):
        api_key, key = issue(rate_limit_per_minute=1)
        with time_machine.travel(timezone.now().replace(second=1), tick=False):
            self.client.post(self.url, {"api_key": key})
            self.client.post(self.url, {"api_key": key})
        actions.revoke_key(api_key)
        self.client.post(self.url, {"api_key": key})

        self.assertEqual(sorted(api_key.uses.values_list("status_code", flat=True)), [400, 403, 429])

    def test_old_log_rows_can_be_pruned(self):
        api_key, _key = issue()
        old = ApiKeyUse.objects.create(key=api_key, method="GET", path="/x", status_code=200)
        ApiKeyUse.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=200))
        recent = ApiKeyUse.objects.create(key=api_key, method="GET", path="/y", status_code=200)
        call_command("prune_api_key_uses", "--days", "180", stdout=io.StringIO())
        self.assertEqual(list(ApiKeyUse.objects.all()), [recent])

    def test_the_daily_prune_keeps_the_last_180_days_of_uses(self):
        api_key, _key = issue()
        now = timezone.now()
        ages = {"old": 181, "almost": 179, "today": 0}
        for path, days in ages.items():
            use = ApiKeyUse.objects.create(key=api_key, method="GET", path=path, status_code=200)
            ApiKeyUse.objects.filter(pk=use.pk).update(at=now - dt.timedelta(days=days))
        with time_machine.travel(now, tick=False):
            self.assertEqual(tasks.prune_uses.call(), 1)
        self.assertEqual(set(ApiKeyUse.objects.values_list("path", flat=True)), {"almost", "today"})
        self.assertEqual(
            settings.ADUAN_SCHEDULE["prune-api-key-uses"], {"task": "apikeys.tasks.prune_uses", "at": "03:00"}
        )

    def test_requests_without_a_known_key_log_nothing(self):
        self.client.post(self.url, {"api_key": "adk_12345678_nothing"})
        self.client.get(self.url)
        self.assertFalse(ApiKeyUse.objects.exists())


class AdminTests(ApiKeyTestCase):
    def setUp(self):
        super().setUp()
        admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "rahasia-admin-123")
        self.client.force_login(admin)

    def test_issuing_shows_the_key_once_and_stores_its_hash(self):
        response = self.client.post(
            reverse("admin:apikeys_apikey_add"),
            {"name": "Aplikasi Android", "organisation": "Diskominfo", "scopes": ["open311.submit"]},
        )

        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        api_key = ApiKey.objects.get()
        key = response.context["key"]
        self.assertContains(response, key)
        self.assertEqual(api_key.scopes, ["open311.submit"])
        self.assertEqual(access.authenticate(self.get(**{"X-Api-Key": key})), api_key)
        change_page = self.client.get(reverse("admin:apikeys_apikey_change", args=[api_key.pk]))
        list_page = self.client.get(reverse("admin:apikeys_apikey_changelist"))
        self.assertNotContains(change_page, key)
        self.assertNotContains(list_page, key)

    def test_revoke_action(self):
        api_key, key = issue()
        self.client.post(
            reverse("admin:apikeys_apikey_changelist"), {"action": "revoke", "_selected_action": [api_key.pk]}
        )
        api_key.refresh_from_db()
        self.assertIsNotNone(api_key.revoked_at)
        with self.assertRaises(access.InvalidKey):
            access.authenticate(self.get(**{"X-Api-Key": key}))
