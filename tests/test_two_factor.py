"""Two-factor authentication of staff (accounts/): required for coordinators, executives
and administrators when ADUAN_REQUIRE_2FA is on, optional for agency staff, asked at every
login of whoever has it, on the workspace, the admin site and the API token. Codes are
computed here from the secret the setup page shows, on the clock the server uses (the
suite may run with the clock moved)."""

import base64
import datetime as dt
import json
import re

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from api.models import StaffToken
from apikeys.actions import issue_key
from tests import factory
from tests.base import AduanTestCase

PASSWORD = "rahasia-demo-123"
INBOX = "/kerja/kotak-masuk/"


def code_for(key: bytes, *, at=None) -> str:
    """The 6 digits an authenticator app shows for ``key`` now (or at ``at``)."""
    if at is None:
        return f"{totp(key):06d}"
    with time_machine.travel(at, tick=False):
        return f"{totp(key):06d}"


def later(seconds=31):
    return timezone.now() + dt.timedelta(seconds=seconds)


class TwoFactorCase(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.sysadmin = factory.make_user("admin", is_staff=True, is_superuser=True)

    def setUp(self):
        # setUpTestData hashed the passwords before the tests' fast hasher was set.
        for user in (self.coordinator, self.pw_liaison, self.executive, self.sysadmin):
            user.set_password(PASSWORD)
            user.save()

    def password_login(self, username, door="workspace:login"):
        response = self.client.post(reverse(door), {"username": username, "password": PASSWORD})
        self.assertEqual(response.status_code, 302, response.content[:300])
        return response

    def give_authenticator(self, user):
        device = TOTPDevice.objects.create(user=user, name=twofactor.AUTHENTICATOR_NAME, confirmed=True)
        codes = twofactor.new_recovery_codes(user)
        return device, codes

    def verify_url(self, next_url=INBOX):
        return f"{reverse('accounts:verify')}?next={next_url.replace('/', '%2F')}"

    def setup_url(self, next_url=INBOX):
        return f"{reverse('accounts:setup')}?next={next_url.replace('/', '%2F')}"


class RequiredRolesTests(TwoFactorCase):
    def setUp(self):
        super().setUp()
        # In setUp, not on the class: conftest turns the requirement off around every test.
        self.enterContext(override_settings(ADUAN_REQUIRE_2FA=True))

    def test_the_whole_setup_then_a_login_with_the_code_from_the_app(self):
        self.password_login("koordinator")

        # The inbox is closed until an authenticator is set up.
        self.assertRedirects(self.client.get(INBOX), self.setup_url(), fetch_redirect_response=False)
        page = self.client.get(self.setup_url())
        self.assertContains(page, "<svg")
        secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
        key = base64.b32decode(secret.replace(" ", ""))

        # The code the app shows, typed in: active, and the recovery codes shown once.
        done = self.client.post(reverse("accounts:setup"), {"code": code_for(key), "next": INBOX})
        codes_url = f"{reverse('accounts:recovery_codes')}?next={INBOX.replace('/', '%2F')}"
        self.assertRedirects(done, codes_url, fetch_redirect_response=False)
        shown = self.client.get(codes_url)
        codes = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", shown.content.decode())
        self.assertEqual(len(codes), 10)
        self.assertRedirects(self.client.get(codes_url), reverse("accounts:security"))  # not twice
        self.assertEqual(self.client.get(INBOX).status_code, 200)
        self.client.post(reverse("workspace:logout"))

        # The next login: the password, then the code.
        self.password_login("koordinator")
        self.assertRedirects(self.client.get(INBOX), self.verify_url(), fetch_redirect_response=False)
        with time_machine.travel(later(), tick=False):
            asked = self.client.get(self.verify_url())
            self.assertContains(asked, "kode 6 angka")
            verified = self.client.post(reverse("accounts:verify"), {"code": code_for(key), "next": INBOX})
            self.assertRedirects(verified, INBOX, fetch_redirect_response=False)
            self.assertEqual(self.client.get(INBOX).status_code, 200)

    def test_an_executive_and_the_administrator_are_required_too(self):
        for user in (self.executive, self.sysadmin):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertRedirects(
                    self.client.get(reverse("workspace:home")),
                    self.setup_url(reverse("workspace:home")),
                    fetch_redirect_response=False,
                )

    def test_the_admin_site_asks_for_the_code_after_its_own_login(self):
        device, _codes = self.give_authenticator(self.sysadmin)
        self.password_login("admin", door="admin:login")

        admin = reverse("admin:index")
        self.assertRedirects(self.client.get(admin), self.verify_url(admin), fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("admin:auth_user_changelist")).status_code, 302)

        self.client.post(reverse("accounts:verify"), {"code": code_for(device.bin_key), "next": admin})
        self.assertEqual(self.client.get(admin).status_code, 200)

    def test_the_admin_site_sends_an_administrator_without_an_authenticator_to_set_one_up(self):
        self.password_login("admin", door="admin:login")
        admin = reverse("admin:index")
        self.assertRedirects(self.client.get(admin), self.setup_url(admin), fetch_redirect_response=False)

    def test_a_wrong_code_keeps_the_workspace_closed(self):
        device, _codes = self.give_authenticator(self.coordinator)
        self.password_login("koordinator")

        wrong = f"{(int(code_for(device.bin_key)) + 1) % 1_000_000:06d}"
        refused = self.client.post(reverse("accounts:verify"), {"code": wrong, "next": INBOX})

        self.assertContains(refused, "Kode salah atau sudah kedaluwarsa", status_code=400)
        self.assertEqual(self.client.get(INBOX).status_code, 302)

    def test_codes_right_after_a_wrong_one_wait_a_little(self):
        device, _codes = self.give_authenticator(self.coordinator)
        self.password_login("koordinator")
        with time_machine.travel(timezone.now(), tick=False):
            self.client.post(reverse("accounts:verify"), {"code": "000000x"})
            self.client.post(reverse("accounts:verify"), {"code": f"{(int(code_for(device.bin_key)) + 1) % 10**6:06d}"})
            throttled = self.client.post(reverse("accounts:verify"), {"code": code_for(device.bin_key)})
        self.assertContains(throttled, "Terlalu banyak kode salah", status_code=400)

    def test_a_recovery_code_works_once(self):
        _device, codes = self.give_authenticator(self.coordinator)
        self.password_login("koordinator")

        used = self.client.post(reverse("accounts:verify"), {"code": codes[0].upper(), "next": INBOX})
        self.assertRedirects(used, INBOX, fetch_redirect_response=False)
        self.assertEqual(self.client.get(INBOX).status_code, 200)
        self.assertEqual(twofactor.recovery_codes_left(self.coordinator), 9)
        self.client.post(reverse("workspace:logout"))

        self.password_login("koordinator")
        again = self.client.post(reverse("accounts:verify"), {"code": codes[0], "next": INBOX})
        self.assertEqual(again.status_code, 400)
        self.assertEqual(self.client.get(INBOX).status_code, 302)

    def test_a_session_that_owes_the_code_cannot_set_up_another_authenticator(self):
        device, _codes = self.give_authenticator(self.coordinator)
        self.password_login("koordinator")  # an attacker who knows only the password

        setup = self.client.get(reverse("accounts:setup"))
        self.assertRedirects(setup, reverse("accounts:security"), target_status_code=302)
        self.client.post(reverse("accounts:setup"), {"code": "123456"})

        self.assertEqual(list(TOTPDevice.objects.filter(user=self.coordinator)), [device])
        self.assertEqual(self.client.get(reverse("accounts:security")).status_code, 302)

    def test_a_lost_phone_reset_by_the_administrator_means_a_new_setup_at_the_next_login(self):
        self.give_authenticator(self.coordinator)
        self.client.force_login(self.sysadmin)
        with override_settings(ADUAN_REQUIRE_2FA=False):
            self.client.post(
                reverse("admin:auth_user_changelist"),
                {"action": "reset_two_factor", "_selected_action": [self.coordinator.pk]},
            )
        self.client.logout()

        self.assertFalse(twofactor.has_second_factor(self.coordinator))
        self.password_login("koordinator")
        self.assertRedirects(self.client.get(INBOX), self.setup_url(), fetch_redirect_response=False)

    def test_the_administrator_may_hand_out_a_one_time_code_by_command(self):
        from django.core.management import call_command

        self.give_authenticator(self.coordinator)
        TOTPDevice.objects.filter(user=self.coordinator).delete()  # the phone is gone
        StaticToken.objects.filter(device__user=self.coordinator).delete()
        with open("/dev/null", "w") as quiet:
            call_command("addstatictoken", "koordinator", "-t", "darurat1", stdout=quiet)

        self.password_login("koordinator")
        self.client.post(reverse("accounts:verify"), {"code": "darurat1", "next": INBOX})
        # In with the one-time code, and straight to setting up the new phone.
        self.assertRedirects(self.client.get(INBOX), self.setup_url(), fetch_redirect_response=False)
        self.assertEqual(self.client.get(self.setup_url()).status_code, 200)

    def test_a_required_role_cannot_turn_it_off(self):
        device, _codes = self.give_authenticator(self.coordinator)
        self.password_login("koordinator")
        self.client.post(reverse("accounts:verify"), {"code": code_for(device.bin_key)})

        with time_machine.travel(later(), tick=False):
            self.client.post(reverse("accounts:disable"), {"code": code_for(device.bin_key)})

        self.assertTrue(twofactor.has_authenticator(self.coordinator))

    def test_new_recovery_codes_replace_the_old_ones(self):
        device, old = self.give_authenticator(self.coordinator)
        self.password_login("koordinator")
        self.client.post(reverse("accounts:verify"), {"code": code_for(device.bin_key)})

        made = self.client.post(reverse("accounts:regenerate_codes"))
        page = self.client.get(made["Location"])
        new = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", page.content.decode())

        self.assertEqual(len(new), 10)
        self.assertFalse(set(new) & set(old))
        self.assertEqual(twofactor.check_code(self.coordinator, old[0]), (None, 0))

    def test_the_next_address_stays_on_this_site(self):
        device, _codes = self.give_authenticator(self.coordinator)
        self.password_login("koordinator")

        response = self.client.post(
            reverse("accounts:verify"), {"code": code_for(device.bin_key), "next": "https://jahat.example/"}
        )

        self.assertRedirects(response, reverse("workspace:home"), fetch_redirect_response=False)

    def test_the_qr_code_is_drawn_here_without_inline_style_or_script(self):
        self.password_login("koordinator")
        page = self.client.get(reverse("accounts:setup")).content.decode()
        svg = page[page.index("<svg") : page.index("</svg>")]

        self.assertNotIn("style=", svg)
        self.assertEqual(re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page), [])  # scripts from files only
        self.assertNotIn("http", svg.split("<title>")[0])
        self.assertIn("Aduan Kota Blitar", page)


class OptionalRolesTests(TwoFactorCase):
    @override_settings(ADUAN_REQUIRE_2FA=True)
    def test_a_liaison_may_work_without_it_and_turn_it_on(self):
        self.password_login("penghubung_pupr")
        self.assertEqual(self.client.get(reverse("workspace:dispositions")).status_code, 200)

        page = self.client.get(reverse("accounts:security"))
        self.assertContains(page, "pilihan")
        setup = self.client.get(reverse("accounts:setup")).content.decode()
        key = base64.b32decode(re.search(r'id="totp-secret">([A-Z2-7 ]+)<', setup).group(1).replace(" ", ""))
        self.client.post(reverse("accounts:setup"), {"code": code_for(key)})
        self.client.post(reverse("workspace:logout"))

        self.password_login("penghubung_pupr")
        self.assertEqual(self.client.get(reverse("workspace:dispositions")).status_code, 302)

    def test_a_liaison_turns_it_off_with_a_current_code(self):
        device, _codes = self.give_authenticator(self.pw_liaison)
        self.password_login("penghubung_pupr")
        self.client.post(reverse("accounts:verify"), {"code": code_for(device.bin_key)})

        with time_machine.travel(later(), tick=False):
            self.client.post(reverse("accounts:disable"), {"code": code_for(device.bin_key)})

        self.assertFalse(twofactor.has_second_factor(self.pw_liaison))

    def test_without_the_requirement_a_coordinator_logs_in_with_the_password_alone(self):
        # The demo (make run) and development: ADUAN_REQUIRE_2FA off.
        self.password_login("koordinator")
        self.assertEqual(self.client.get(INBOX).status_code, 200)

    def test_without_the_requirement_whoever_turned_it_on_is_still_asked(self):
        self.give_authenticator(self.coordinator)
        self.password_login("koordinator")
        self.assertRedirects(self.client.get(INBOX), self.verify_url(), fetch_redirect_response=False)

    def test_the_code_page_speaks_english_to_an_english_visitor(self):
        self.give_authenticator(self.coordinator)
        self.password_login("koordinator")
        self.client.cookies["django_language"] = "en"

        page = self.client.get(self.verify_url())

        self.assertContains(page, "Open the authenticator app on your phone")
        self.assertContains(page, "Verification code")

    def test_public_pages_stay_open_between_the_password_and_the_code(self):
        self.give_authenticator(self.coordinator)
        self.password_login("koordinator")
        self.assertEqual(self.client.get(reverse("portal:home")).status_code, 200)


class ApiTokenTests(TwoFactorCase):
    def obtain(self, username, **extra):
        body = {"username": username, "password": PASSWORD, **extra}
        return self.client.post("/api/v1/auth/token/", json.dumps(body), content_type="application/json")

    def test_an_account_with_2fa_gets_a_token_only_with_its_code(self):
        device, codes = self.give_authenticator(self.coordinator)

        missing = self.obtain("koordinator")
        wrong = self.obtain("koordinator", otp="12345x")
        right = self.obtain("koordinator", otp=code_for(device.bin_key))

        self.assertEqual((missing.status_code, missing.json()["errors"][0]["code"]), (401, "otp_required"))
        self.assertEqual((wrong.status_code, wrong.json()["errors"][0]["code"]), (401, "otp_invalid"))
        self.assertEqual(right.status_code, 201, right.content)
        self.assertEqual(StaffToken.objects.filter(user=self.coordinator).count(), 1)

    @override_settings(ADUAN_REQUIRE_2FA=True)
    def test_a_required_role_without_2fa_gets_no_token(self):
        refused = self.obtain("koordinator")

        self.assertEqual(refused.status_code, 403)
        self.assertEqual(refused.json()["errors"][0]["code"], "otp_setup_required")
        self.assertEqual(self.obtain("penghubung_pupr").status_code, 201)


class UserModelTests(TwoFactorCase):
    def test_the_admin_user_list_shows_who_uses_2fa(self):
        self.give_authenticator(self.coordinator)
        self.client.force_login(self.sysadmin)
        page = self.client.get(reverse("admin:auth_user_changelist"))
        self.assertContains(page, "2FA")
        self.assertEqual(get_user_model().objects.count(), page.context["cl"].result_count)


class EnrolmentEndsOtherSessionsTests(TwoFactorCase):
    """Turning two-factor on ends the account's other sessions (opened, maybe, by someone who
    knew the password alone); the session that enrolled stays, and other accounts' too."""

    DISPOSITIONS = "/kerja/disposisi/"

    def logged_in_client(self, username):
        other = Client()
        response = other.post(reverse("workspace:login"), {"username": username, "password": PASSWORD})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(other.get(self.DISPOSITIONS).status_code, 200)
        return other

    def enrol(self):
        page = self.client.get(reverse("accounts:setup"))
        secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
        key = base64.b32decode(secret.replace(" ", ""))
        return self.client.post(reverse("accounts:setup"), {"code": code_for(key), "next": self.DISPOSITIONS})

    def test_enrolling_logs_out_the_accounts_other_sessions_only(self):
        phone = self.logged_in_client("penghubung_pupr")
        colleague = self.logged_in_client("koordinator")
        self.password_login("penghubung_pupr")

        done = self.enrol()

        self.assertEqual(done.status_code, 302)
        self.assertIn("1 sesi lain akun ini diakhiri", [str(m) for m in get_messages(done.wsgi_request)][-1])
        ended = phone.get(self.DISPOSITIONS)
        self.assertEqual(ended.status_code, 302)
        self.assertTrue(ended.url.startswith(reverse("workspace:login")))
        self.assertEqual(self.client.get(self.DISPOSITIONS).status_code, 200)  # the enrolling session stays
        self.assertEqual(colleague.get(self.DISPOSITIONS).status_code, 200)  # another account's stays

    def test_enrolling_revokes_the_accounts_own_api_tokens_not_integration_keys(self):
        liaison = get_user_model().objects.get(username="penghubung_pupr")
        _token, key = StaffToken.objects.issue(liaison, "ponsel")
        _other, other_key = StaffToken.objects.issue(self.coordinator, "laptop")
        integration, _text = issue_key(name="Aplikasi kota", organisation="Diskominfo", actor=liaison)
        api = Client()
        self.assertEqual(api.get("/api/v1/staff/reports/", HTTP_AUTHORIZATION=f"Token {key}").status_code, 200)
        self.password_login("penghubung_pupr")

        done = self.enrol()

        self.assertIn(
            "1 token API pribadi akun ini dicabut; minta token baru dengan kode.",
            [str(m) for m in get_messages(done.wsgi_request)],
        )
        self.assertContains(self.client.get(done.url), "1 token API pribadi akun ini dicabut")  # the confirming page
        self.assertEqual(api.get("/api/v1/staff/reports/", HTTP_AUTHORIZATION=f"Token {key}").status_code, 401)
        self.assertIsNotNone(StaffToken.objects.find(other_key))  # another account's token stays
        integration.refresh_from_db()
        self.assertTrue(integration.is_active)  # a system's key is not the user's

    def test_without_other_sessions_nothing_more_is_said(self):
        self.password_login("penghubung_pupr")
        done = self.enrol()
        self.assertFalse(any("sesi lain" in str(m) or "token" in str(m) for m in get_messages(done.wsgi_request)))
        self.assertEqual(self.client.get(self.DISPOSITIONS).status_code, 200)
