"""Who gets into the staff workspace: active appointments only, each role to its page."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from tests import factory
from tests.base import AduanTestCase

HOME = reverse("workspace:home")
INBOX = reverse("workspace:inbox")
DISPOSITIONS = reverse("workspace:dispositions")
REPORTS = reverse("workspace:reports")
LOGIN = reverse("workspace:login")


class WorkspaceAccessTests(AduanTestCase):
    def test_anonymous_visitor_is_sent_to_the_login_page(self):
        for url in (HOME, INBOX, DISPOSITIONS, reverse("workspace:manual_entry")):
            response = self.client.get(url)
            self.assertRedirects(response, f"{LOGIN}?next={url}", fetch_redirect_response=False)

    def test_login_page_renders_and_logs_in(self):
        response = self.client.get(LOGIN)
        self.assertContains(response, "Masuk ruang kerja petugas")
        # Set here: setUpTestData hashed with a hasher this test's settings no longer list.
        self.coordinator.set_password("sandi-uji-123")
        self.coordinator.save(update_fields=["password"])
        response = self.client.post(LOGIN, {"username": "koordinator", "password": "wrong"})
        self.assertContains(response, "alert")
        response = self.client.post(LOGIN, {"username": "koordinator", "password": "sandi-uji-123"})
        self.assertRedirects(response, HOME, target_status_code=302)

    def test_home_redirects_each_role_to_its_page(self):
        cases = [
            (self.coordinator, INBOX),
            (self.pw_liaison, DISPOSITIONS),
            (self.pw_operator, DISPOSITIONS),
            (self.pw_head, DISPOSITIONS),
            (self.executive, REPORTS),
        ]
        for user, target in cases:
            self.login(user)
            self.assertRedirects(self.client.get(HOME), target, msg_prefix=user.username)

    def test_outsider_without_appointment_gets_a_friendly_403(self):
        self.login(self.outsider)
        for url in (HOME, INBOX, DISPOSITIONS, REPORTS):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 403, url)
            self.assertContains(response, "Anda tidak memiliki penunjukan (SK) yang aktif", status_code=403)

    def test_outsider_cannot_open_a_report(self):
        report = self.make_report()
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("workspace:report", args=[report.pk])).status_code, 403)

    def test_an_expired_appointment_gives_no_access(self):
        now = timezone.now()
        former = factory.make_user("mantan_koordinator")
        factory.appoint(
            former,
            self.unit,
            Role.COORDINATOR,
            valid_from=now - dt.timedelta(days=400),
            valid_until=now - dt.timedelta(minutes=1),
        )
        report = self.make_report()
        self.login(former)
        self.assertEqual(self.client.get(INBOX).status_code, 403)
        self.assertEqual(self.client.get(reverse("workspace:report", args=[report.pk])).status_code, 403)
        response = self.client.post(reverse("workspace:report_action", args=[report.pk, "verifikasi"]))
        self.assertEqual(response.status_code, 403)
        report.refresh_from_db()
        self.assertEqual(report.status, "received")

    def test_an_appointment_not_yet_started_gives_no_access(self):
        now = timezone.now()
        newcomer = factory.make_user("calon_penghubung")
        factory.appoint(newcomer, self.public_works, Role.LIAISON, valid_from=now + dt.timedelta(days=3))
        self.login(newcomer)
        self.assertEqual(self.client.get(DISPOSITIONS).status_code, 403)

    def test_nav_shows_each_role_its_links(self):
        self.login(self.coordinator)
        response = self.client.get(INBOX)
        self.assertContains(response, reverse("workspace:manual_entry"))
        self.assertContains(response, reverse("workspace:logout"))
        self.login(self.pw_liaison)
        response = self.client.get(DISPOSITIONS)
        self.assertNotContains(response, reverse("workspace:manual_entry"))
        self.assertNotContains(response, f'href="{INBOX}"')

    def test_superuser_sees_the_admin_link(self):
        self.coordinator.is_superuser = True
        self.coordinator.save(update_fields=["is_superuser"])
        self.login(self.coordinator)
        self.assertContains(self.client.get(INBOX), reverse("admin:index"))

    def test_agency_staff_see_only_their_agencys_reports_in_the_list(self):
        mine = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        theirs = factory.make_disposed(self.coordinator, self.transport, category=self.category)
        self.login(self.pw_liaison)
        response = self.client.get(REPORTS)
        self.assertContains(response, mine.tracking_number)
        self.assertNotContains(response, theirs.tracking_number)
