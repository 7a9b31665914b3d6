"""Brute-force protection of the three doors staff log in by: the workspace form
(/kerja/masuk/), the admin site (/admin/login/) and the API token (/api/v1/auth/token/).
Failed passwords are counted by django-axes in the database (every worker sees the same
rows) per account and address (5), per account (10) and per address (20), and lock out for
15 minutes after the last failure; the administrator unlocks in the admin or by command."""

import datetime as dt
import json

import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests import factory
from tests.base import AduanTestCase

PASSWORD = "rahasia-demo-123"
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"
LOCKED = "Terlalu banyak percobaan masuk"


class LoginDoors(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sysadmin = factory.make_user("admin", is_staff=True, is_superuser=True)

    def setUp(self):
        # setUpTestData hashed the passwords before the tests' fast hasher was set.
        for user in (self.coordinator, self.pw_liaison, self.sysadmin):
            user.set_password(PASSWORD)
            user.save()

    def workspace_login(self, username, password, address=ATTACKER, **extra):
        return self.client.post(
            reverse("workspace:login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
        )

    def admin_login(self, username, password, address=ATTACKER):
        return self.client.post(
            reverse("admin:login"),
            {"username": username, "password": password, "next": reverse("admin:index")},
            REMOTE_ADDR=address,
        )

    def api_token(self, username, password, address=ATTACKER):
        return self.client.post(
            "/api/v1/auth/token/",
            json.dumps({"username": username, "password": password}),
            content_type="application/json",
            REMOTE_ADDR=address,
        )

    def fail(self, times, username="koordinator", address=ATTACKER):
        for n in range(times):
            self.workspace_login(username, f"tebakan-{n}", address)
            self.client.logout()


class LockoutOnEveryDoorTests(LoginDoors):
    def test_after_five_wrong_passwords_the_workspace_refuses_even_the_right_one(self):
        for n in range(4):
            self.assertEqual(self.workspace_login("koordinator", f"tebakan-{n}").status_code, 200)
        self.assertEqual(self.workspace_login("koordinator", "tebakan-5").status_code, 429)

        refused = self.workspace_login("koordinator", PASSWORD)

        self.assertContains(refused, LOCKED, status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_after_five_wrong_passwords_the_admin_site_refuses_even_the_right_one(self):
        for n in range(5):
            self.admin_login("admin", f"tebakan-{n}")

        refused = self.admin_login("admin", PASSWORD)

        self.assertContains(refused, LOCKED, status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(self.client.get(reverse("admin:index"), REMOTE_ADDR=ATTACKER).status_code, 302)

    def test_after_five_wrong_passwords_the_api_refuses_a_token_even_for_the_right_one(self):
        for n in range(4):
            self.assertEqual(self.api_token("koordinator", f"tebakan-{n}").status_code, 401)
        self.assertEqual(self.api_token("koordinator", "tebakan-5").status_code, 429)

        refused = self.api_token("koordinator", PASSWORD)

        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Content-Type"], "application/json")
        self.assertEqual(refused["Retry-After"], "900")
        [error] = refused.json()["errors"]
        self.assertEqual(error["code"], "locked_out")
        self.assertIn("15 menit", error["message"])
        self.assertNotIn("token", refused.json())

    def test_failures_on_one_door_count_on_the_others(self):
        self.fail(3)
        self.admin_login("koordinator", "tebakan-admin")
        self.api_token("koordinator", "tebakan-api")

        self.assertEqual(self.api_token("koordinator", PASSWORD).status_code, 429)
        self.assertEqual(self.workspace_login("koordinator", PASSWORD).status_code, 429)

    def test_the_right_password_before_the_limit_still_logs_in(self):
        self.fail(4)
        self.assertRedirects(
            self.workspace_login("koordinator", PASSWORD), reverse("workspace:home"), fetch_redirect_response=False
        )


class LockoutPageTests(LoginDoors):
    def test_the_lockout_page_explains_in_indonesian_without_a_stack_trace(self):
        self.fail(5)
        refused = self.workspace_login("koordinator", PASSWORD)

        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Retry-After"], "900")
        self.assertContains(refused, "Coba lagi dalam 15 menit.", status_code=429)
        self.assertContains(refused, "admin sistem", status_code=429)
        self.assertNotContains(refused, "Traceback", status_code=429)
        self.assertTemplateUsed(refused, "accounts/locked_out.html")

    def test_the_lockout_page_is_english_for_an_english_visitor(self):
        self.fail(5)
        self.client.cookies["django_language"] = "en"

        refused = self.workspace_login("koordinator", PASSWORD)

        self.assertContains(refused, "Too many login attempts", status_code=429)
        self.assertContains(refused, "Try again in 15 min.", status_code=429)

    def test_an_unknown_username_is_locked_out_alike_so_the_page_tells_nothing(self):
        self.fail(5, username="tidak-ada")
        self.assertContains(self.workspace_login("tidak-ada", PASSWORD), LOCKED, status_code=429)


class LimitTests(LoginDoors):
    def test_a_wrong_password_on_one_account_does_not_lock_another_account_from_another_address(self):
        self.fail(5, username="koordinator", address=ATTACKER)

        other = self.workspace_login("penghubung_pupr", PASSWORD, address=OWNER)

        self.assertEqual(other.status_code, 302)

    def test_the_owner_at_another_address_is_not_locked_out_by_five_guesses_elsewhere(self):
        self.fail(5, address=ATTACKER)

        self.assertEqual(self.workspace_login("koordinator", PASSWORD, address=OWNER).status_code, 302)

    def test_colleagues_behind_the_same_address_are_not_locked_out_by_one_accounts_lock(self):
        # An office behind one NAT address: one person's five typos lock only their account.
        self.fail(5, username="koordinator", address=ATTACKER)

        self.assertEqual(self.workspace_login("penghubung_pupr", PASSWORD, address=ATTACKER).status_code, 302)

    def test_ten_guesses_spread_over_addresses_lock_the_account_everywhere(self):
        for n in range(10):
            self.fail(1, address=f"203.0.113.{n + 1}")

        self.assertContains(self.workspace_login("koordinator", PASSWORD, address=OWNER), LOCKED, status_code=429)
        self.assertEqual(self.workspace_login("penghubung_pupr", PASSWORD, address=OWNER).status_code, 302)

    def test_twenty_guesses_from_one_address_over_many_accounts_lock_that_address(self):
        for n in range(20):
            self.fail(1, username=f"pengguna{n}", address=ATTACKER)

        self.assertContains(self.workspace_login("penghubung_pupr", PASSWORD), LOCKED, status_code=429)
        self.assertEqual(self.workspace_login("penghubung_pupr", PASSWORD, address=OWNER).status_code, 302)

    def test_the_lock_lifts_fifteen_minutes_after_the_last_failure(self):
        self.fail(5)
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=14), tick=False):
            self.assertEqual(self.workspace_login("koordinator", PASSWORD).status_code, 429)  # extends the lock
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=14 + 16), tick=False):
            self.assertEqual(self.workspace_login("koordinator", PASSWORD).status_code, 302)

    def test_a_successful_login_clears_only_that_accounts_count_from_that_address(self):
        self.fail(4, username="koordinator")
        self.fail(4, username="penghubung_pupr")

        self.assertEqual(self.workspace_login("penghubung_pupr", PASSWORD).status_code, 302)
        self.client.logout()

        self.assertFalse(AccessAttempt.objects.filter(username="penghubung_pupr").exists())
        self.fail(1, username="koordinator")
        self.assertEqual(self.workspace_login("koordinator", PASSWORD).status_code, 429)

    def test_behind_the_proxy_the_forwarded_address_is_the_one_counted(self):
        with self.settings(ADUAN_NUM_PROXIES=1, ADUAN_TRUSTED_PROXIES=["10.0.0.2"]):
            for n in range(5):
                self.workspace_login("koordinator", f"tebakan-{n}", "10.0.0.2", HTTP_X_FORWARDED_FOR=ATTACKER)
            attacker = self.workspace_login("koordinator", PASSWORD, "10.0.0.2", HTTP_X_FORWARDED_FOR=ATTACKER)
            owner = self.workspace_login("koordinator", PASSWORD, "10.0.0.2", HTTP_X_FORWARDED_FOR=OWNER)

        self.assertEqual(attacker.status_code, 429)
        self.assertEqual(owner.status_code, 302)
        self.assertEqual(set(AccessAttempt.objects.values_list("ip_address", flat=True)), {ATTACKER})

    def test_the_failures_are_counted_in_the_database_every_worker_shares(self):
        self.fail(3)
        attempt = AccessAttempt.objects.get(username="koordinator", ip_address=ATTACKER)
        self.assertEqual(attempt.failures_since_start, 3)
        self.assertNotIn(PASSWORD, attempt.post_data)


class UnlockTests(LoginDoors):
    def test_the_administrator_unlocks_an_account_in_the_admin(self):
        self.fail(5)
        self.assertEqual(self.workspace_login("koordinator", PASSWORD).status_code, 429)
        self.client.force_login(self.sysadmin)
        changelist = reverse("admin:axes_accessattempt_changelist")
        self.assertContains(self.client.get(changelist), "koordinator")

        self.client.post(
            changelist,
            {
                "action": "delete_selected",
                "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
                "post": "yes",
            },
        )
        self.client.logout()

        self.assertFalse(AccessAttempt.objects.exists())
        self.assertEqual(self.workspace_login("koordinator", PASSWORD).status_code, 302)

    def test_the_reset_command_unlocks_an_account(self):
        self.fail(5)

        call_command("axes_reset_username", "koordinator", stdout=open("/dev/null", "w"))  # noqa: SIM115

        self.assertEqual(self.workspace_login("koordinator", PASSWORD).status_code, 302)
