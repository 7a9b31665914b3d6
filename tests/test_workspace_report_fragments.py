"""The report page's kept fragments (workspace/fragments.py: the timeline, the action forms
and the triage panel drawn once per report version and viewer's part): a fragment drawn
for one role is never shown to another (coordinator, the agency the report was disposed
to, another agency), a new event draws them again, and each page still carries its
viewer's own CSRF token and new one-time keys."""

import re

from django.test import Client
from django.urls import reverse

from reports import actions
from tests import factory
from tests.base import AduanTestCase
from workspace import fragments

PHONE = "081234567890"
MESSAGE = f"Pelapor Siti Aminah bisa ditelepon di {PHONE} untuk lokasi tepatnya."


class FragmentBoundaryTests(AduanTestCase):
    def setUp(self):
        super().setUp()
        self.report = factory.make_disposed(
            self.coordinator,
            self.public_works,
            category=self.category,
            region=self.kelurahan,
            reporter_name="Siti Aminah",
            reporter_phone="081298765432",
        )
        self.disposition = self.report.dispositions.get()
        # A staff-only note naming the reporter and a phone number: the coordinator reads it
        # as written, the agency with the personal data masked.
        actions.post_follow_up(self.disposition, actor=self.pw_liaison, message=MESSAGE, audience="staff")
        self.url = reverse("workspace:report", args=[self.report.pk])

    def view(self, user, times=2):
        """The page as ``user`` sees it, ``times`` times (the last one from kept fragments)."""
        self.client.force_login(user)
        for _ in range(times):
            response = self.client.get(self.url)
        return response

    def assertCoordinatorPage(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "triage-panel")
        self.assertContains(response, 'id="aksi-klasifikasi"')
        self.assertContains(response, 'id="aksi-catatan"')
        self.assertNotContains(response, 'id="aksi-selesai"')
        self.assertNotContains(response, f"/kerja/disposisi/{self.disposition.pk}/")

    def assertAgencyPage(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "triage-panel")
        self.assertNotContains(response, 'id="aksi-klasifikasi"')
        self.assertNotContains(response, 'id="aksi-catatan"')
        self.assertContains(response, 'id="aksi-selesai"')
        self.assertContains(response, f"/kerja/disposisi/{self.disposition.pk}/selesai/")

    def test_a_coordinators_fragments_never_reach_the_agency_and_back(self):
        self.assertCoordinatorPage(self.view(self.coordinator))
        self.assertAgencyPage(self.view(self.pw_liaison))
        self.assertCoordinatorPage(self.view(self.coordinator, times=1))
        self.assertAgencyPage(self.view(self.pw_operator))

    def test_the_agencys_fragments_never_reach_the_coordinator(self):
        self.assertAgencyPage(self.view(self.pw_liaison))
        self.assertCoordinatorPage(self.view(self.coordinator))

    def test_another_agency_reads_nothing_of_it(self):
        self.view(self.coordinator)
        self.view(self.pw_liaison)
        self.client.force_login(self.transport_liaison)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(PHONE.encode(), response.content)
        self.assertNotIn(b"aksi-", response.content)

    def test_an_executive_reads_without_the_coordinators_forms(self):
        self.view(self.coordinator)
        response = self.view(self.executive)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'id="aksi-')
        self.assertContains(response, "tidak dapat mengubahnya")

    def test_a_new_event_draws_the_fragments_again(self):
        self.view(self.coordinator)
        actions.post_follow_up(self.disposition, actor=self.pw_liaison, message="Tim sudah di lokasi, kabel diganti.")
        response = self.view(self.coordinator, times=1)
        self.assertContains(response, "Tim sudah di lokasi, kabel diganti.")
        # The report moved on (in progress after its first follow-up): the forms did too.
        self.report.refresh_from_db()
        actions.finish_disposition(self.disposition, actor=self.pw_liaison, message="Selesai diperbaiki.")
        response = self.view(self.pw_liaison, times=1)
        self.assertContains(response, "Selesai diperbaiki.")
        self.assertNotContains(response, 'id="aksi-selesai"')

    def test_a_revealed_identity_is_not_kept_for_the_next_view_nor_for_the_agency(self):
        anonymous = factory.make_disposed(
            self.coordinator, self.public_works, category=self.category, is_anonymous=True, reporter_name="Siti Aminah"
        )
        actions.post_follow_up(anonymous.dispositions.get(), actor=self.pw_liaison, message=MESSAGE, audience="staff")
        url = reverse("workspace:report", args=[anonymous.pk])
        self.client.force_login(self.coordinator)
        for _ in range(2):
            revealed = self.client.post(reverse("workspace:reveal_identity", args=[anonymous.pk]))
            self.assertContains(revealed, PHONE)
            self.assertContains(revealed, "Siti Aminah")
        for _ in range(2):
            self.assertNotContains(self.client.get(url), PHONE)
        self.client.force_login(self.pw_liaison)
        for _ in range(2):
            page = self.client.get(url)
            self.assertEqual(page.status_code, 200)
            self.assertNotContains(page, PHONE)
            self.assertNotContains(page, "Siti Aminah")

    def test_two_agencies_on_one_report_each_get_their_own_forms(self):
        shared = factory.make_disposed(
            self.coordinator, self.public_works, category=self.category, supporting=[self.transport]
        )
        mine = {d.agency_id: d.pk for d in shared.dispositions.all()}
        url = reverse("workspace:report", args=[shared.pk])
        for user, agency, other in (
            (self.pw_liaison, self.public_works, self.transport),
            (self.transport_liaison, self.transport, self.public_works),
            (self.pw_liaison, self.public_works, self.transport),
        ):
            self.client.force_login(user)
            for _ in range(2):
                page = self.client.get(url)
                self.assertContains(page, f"/kerja/disposisi/{mine[agency.pk]}/")
                self.assertNotContains(page, f"/kerja/disposisi/{mine[other.pk]}/")

    def test_each_viewer_gets_their_own_csrf_token_and_new_one_time_keys(self):
        tokens, keys = [], []
        for user in (self.coordinator, self.coordinator, self.colleague_coordinator()):
            client = Client(enforce_csrf_checks=True)
            client.force_login(user)
            page = client.get(self.url)
            self.assertNotIn(fragments.CSRF_MARK.encode(), page.content)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
            tokens.append((client, token))
            keys += re.findall(r'name="submission_key" value="([0-9a-f]{32})"', page.text)
        self.assertEqual(len(set(keys)), len(keys))
        # The token of a page drawn from kept fragments is the viewer's: an action with it passes.
        client, token = tokens[1]
        note = reverse("workspace:report_action", args=[self.report.pk, "catatan"])
        version = self.report.events.order_by("-pk").values_list("pk", flat=True).first()
        response = client.post(
            note, {"message": "Catatan dari halaman tersimpan.", "version": version, "csrfmiddlewaretoken": token}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.report.events.filter(message="Catatan dari halaman tersimpan.").exists())

    def colleague_coordinator(self):
        from agencies.models import Role

        return factory.make_staff(Role.COORDINATOR, self.unit, "koordinator_lain")
