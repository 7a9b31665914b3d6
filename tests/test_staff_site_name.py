"""What a government's staff read is named after their government (governments.models
site_name, through StaffProfile.government_id): the password-reset email, the
authenticator app's entry, the staff site's pages and the SP4N-LAPOR! export. A person of
the home government, or of none (an administrator), still reads the installation's name;
and the home government's id, cached, follows even a bulk update within HOME_TIMEOUT."""

import csv
import datetime as dt
import io
from urllib.parse import quote

import time_machine
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import reset, twofactor
from governments.models import HOME_TIMEOUT, Government, home_government_id, several_governments, site_name
from tests import factory
from tests.test_site_name import SiteNameCase

KEDIRI_HOST = "lapor.kedirikota.go.id"


class PasswordResetSiteNameTests(SiteNameCase):
    def reset_email(self, user):
        user.email = f"{user.username}@example.go.id"
        user.save(update_fields=["email"])
        self.assertTrue(reset.send(user.pk, "id"))
        return mail.outbox[-1]

    def test_a_kediri_coordinators_reset_email_is_from_aduan_kota_kediri(self):
        message = self.reset_email(self.kediri_coordinator)
        self.assertIn("Aduan Kota Kediri", message.subject)
        self.assertIn("di Aduan Kota Kediri.", message.body)
        self.assertNotIn("Blitar", message.subject + message.body)

    def test_a_blitar_coordinators_and_an_administrators_are_from_the_installation(self):
        for user in (self.coordinator, factory.make_user("admin_sistem", is_staff=True)):
            with self.subTest(user=user.username):
                message = self.reset_email(user)
                self.assertIn("Aduan Kota Blitar", message.subject)
                self.assertIn("di Aduan Kota Blitar.", message.body)


class AuthenticatorIssuerTests(SiteNameCase):
    def test_a_kediri_coordinators_authenticator_is_filed_under_aduan_kota_kediri(self):
        device = twofactor.pending_authenticator(self.kediri_coordinator)
        self.assertIn(f"issuer={quote('Aduan Kota Kediri')}", device.config_url)
        self.assertTrue(device.config_url.startswith("otpauth://totp/Aduan%20Kota%20Kediri%3A"), device.config_url)
        self.login(self.kediri_coordinator)
        self.assertContains(self.client.get(reverse("accounts:setup")), "Nama akun di aplikasi: Aduan Kota Kediri")

    def test_a_blitar_coordinators_is_filed_under_the_installation(self):
        device = twofactor.pending_authenticator(self.coordinator)
        self.assertIn(f"issuer={quote('Aduan Kota Blitar')}", device.config_url)
        self.login(self.coordinator)
        self.assertContains(self.client.get(reverse("accounts:setup")), "Nama akun di aplikasi: Aduan Kota Blitar")


@override_settings(ALLOWED_HOSTS=["testserver", KEDIRI_HOST])
class StaffPagesSiteNameTests(SiteNameCase):
    """One rule (aduan/context_processors.py): a staff page names its reader's government,
    the login page the government of the host name it is on."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kediri.host = KEDIRI_HOST
        cls.kediri.save()

    def title(self, response):
        self.assertEqual(response.status_code, 200)
        return response.content.decode().split("<title>")[1].split("</title>")[0]

    def test_the_login_page_on_kediris_host_names_aduan_kota_kediri(self):
        login = reverse("workspace:login")
        self.assertEqual(
            self.title(self.client.get(login, HTTP_HOST=KEDIRI_HOST)), "Masuk ruang kerja · Aduan Kota Kediri"
        )
        self.assertEqual(self.title(self.client.get(login)), "Masuk ruang kerja · Aduan Kota Blitar")

    def test_a_kediri_coordinators_pages_name_aduan_kota_kediri(self):
        self.login(self.kediri_coordinator)
        inbox = self.client.get(reverse("workspace:inbox"))
        self.assertEqual(self.title(inbox), "Kotak masuk · Aduan Kota Kediri")
        self.assertContains(inbox, "Aduan Kota Kediri · Ruang kerja petugas")
        self.assertNotContains(inbox, "Aduan Kota Blitar")
        # The installation's own portal stays the installation's, whoever reads it.
        self.assertContains(self.client.get("/lapor/"), ">Aduan Kota Blitar</a>")

    def test_a_blitar_coordinators_and_an_administrators_pages_name_the_installation(self):
        self.login(self.coordinator)
        self.assertEqual(self.title(self.client.get(reverse("workspace:inbox"))), "Kotak masuk · Aduan Kota Blitar")
        self.login(factory.make_user("admin_sistem", is_staff=True))
        self.assertEqual(self.title(self.client.get(reverse("accounts:security"))), "Akun · Aduan Kota Blitar")

    def government_queries(self, user):
        self.login(user)
        inbox = reverse("workspace:inbox")
        self.client.get(inbox)  # the caches warm (the home government's id among them)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(inbox)
        return [query["sql"] for query in queries if 'FROM "governments_government"' in query["sql"]]

    def test_a_blitar_coordinators_page_asks_nothing_for_its_name(self):
        # The home government's id is cached: no government is read to name the page.
        self.assertEqual(self.government_queries(self.coordinator), [])


class ExportSiteNameTests(SiteNameCase):
    def agency_row(self, user):
        self.login(user)
        today = timezone.localdate().isoformat()
        response = self.client.get(
            reverse("lapor:export"), {"received_from": today, "received_to": today, "format": "csv"}
        )
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        return next(row for row in rows if row and row[0] == "Instansi")

    def test_kediris_export_is_of_aduan_kota_kediri(self):
        self.assertEqual(self.agency_row(self.kediri_coordinator), ["Instansi", "Aduan Kota Kediri"])

    def test_blitars_export_is_of_the_installation(self):
        self.assertEqual(self.agency_row(self.coordinator), ["Instansi", "Aduan Kota Blitar"])


class HomeGovernmentCacheTests(SiteNameCase):
    def test_a_bulk_update_is_read_once_the_cached_home_expires(self):
        cache.clear()
        now = timezone.now()
        with time_machine.travel(now, tick=False):
            self.assertEqual(home_government_id(), self.blitar.pk)
            self.assertIs(several_governments(), True)
            # No save, so no cache cleared: Blitar stops serving, Kediri is the oldest active one.
            Government.objects.filter(pk=self.blitar.pk).update(is_active=False)
            self.assertEqual(home_government_id(), self.blitar.pk)  # still the cached one
        with time_machine.travel(now + dt.timedelta(seconds=HOME_TIMEOUT - 1), tick=False):
            self.assertEqual(home_government_id(), self.blitar.pk)
            self.assertIs(several_governments(), True)
        with time_machine.travel(now + dt.timedelta(seconds=HOME_TIMEOUT + 1), tick=False):
            self.assertEqual(home_government_id(), self.kediri.pk)
            self.assertIs(several_governments(), False)  # Kediri alone: no referral between governments
            self.assertEqual(site_name(self.kediri), "Aduan Kota Blitar")
