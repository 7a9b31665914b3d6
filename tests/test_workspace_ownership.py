"""Two coordinators on one inbox: take and assign from the report page, the owner column
and filter, who else has the report open, and the refusal (409) of an action sent from a
page that others changed since it was loaded."""

from django.urls import reverse

from agencies.models import Role
from reports import actions
from reports.models import Report, Status
from tests import factory
from tests.base import AduanTestCase, TwoCoordinatorsCase

INBOX = reverse("workspace:inbox")


def action_url(report, slug):
    return reverse("workspace:report_action", args=[report.pk, slug])


def version_of(response):
    return response.context["version"]


class TakeAndAssignPageTests(TwoCoordinatorsCase):
    def test_take_from_the_report_page(self):
        report = self.make_report()
        page = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertContains(page, "Belum ada pemilik")
        response = self.client.post(action_url(report, "ambil"), {"version": version_of(page)})
        self.assertRedirects(response, reverse("workspace:report", args=[report.pk]))
        report.refresh_from_db()
        self.assertEqual(report.owner, self.coordinator)
        self.assertContains(self.client.get(response.url), "Diambil koordinator")

    def test_assign_to_a_colleague_from_the_report_page(self):
        report = self.make_report()
        response = self.client.post(action_url(report, "tugaskan"), {"owner": self.colleague.pk})
        self.assertEqual(response.status_code, 302)
        report.refresh_from_db()
        self.assertEqual(report.owner, self.colleague)
        self.assertEqual(report.events.get(action="owner_assigned").actor, self.coordinator)

    def test_assign_offers_only_coordinators_and_refuses_anyone_else(self):
        report = self.make_report()
        page = self.client.get(reverse("workspace:report", args=[report.pk]))
        choices = [label for _value, label in page.context["ownership"]["assign_form"].fields["owner"].choices]
        self.assertEqual(choices[1:], ["koordinator", "koordinator2"])
        response = self.client.post(action_url(report, "tugaskan"), {"owner": self.pw_liaison.pk})
        self.assertEqual(response.status_code, 400)
        report.refresh_from_db()
        self.assertIsNone(report.owner)

    def test_an_agency_liaison_cannot_take_a_report_disposed_to_them(self):
        report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        self.login(self.pw_liaison)
        page = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertIsNone(page.context["ownership"])
        self.assertNotContains(page, 'id="pemilik"')
        response = self.client.post(action_url(report, "ambil"))
        self.assertEqual(response.status_code, 403)
        report.refresh_from_db()
        self.assertIsNone(report.owner)

    def test_the_report_page_says_when_someone_else_owns_it(self):
        report = actions.take_report(self.make_report(), actor=self.colleague)
        response = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertContains(response, "Laporan ini milik koordinator2")
        # The owner reads no such notice on their own report.
        self.login(self.colleague)
        self.assertNotContains(self.client.get(reverse("workspace:report", args=[report.pk])), "Laporan ini milik")

    def test_the_owner_does_not_stop_a_colleague_from_acting(self):
        report = actions.take_report(self.make_report(), actor=self.colleague)
        response = self.client.post(action_url(report, "verifikasi"), {"message": ""})
        self.assertEqual(response.status_code, 302)
        report.refresh_from_db()
        self.assertEqual(report.status, Status.VERIFIED)


class OwnerColumnAndFilterTests(TwoCoordinatorsCase):
    def setUp(self):
        super().setUp()
        self.mine = actions.take_report(self.make_report(), actor=self.coordinator)
        self.theirs = actions.take_report(self.make_report(), actor=self.colleague)
        self.nobodys = self.make_report()

    def numbers(self, response):
        return {r.tracking_number for r in response.context["page"].object_list}

    def test_mine(self):
        self.assertEqual(self.numbers(self.client.get(INBOX, {"owner": "me"})), {self.mine.tracking_number})

    def test_unassigned(self):
        self.assertEqual(self.numbers(self.client.get(INBOX, {"owner": "none"})), {self.nobodys.tracking_number})

    def test_one_colleague(self):
        response = self.client.get(INBOX, {"owner": self.colleague.pk})
        self.assertEqual(self.numbers(response), {self.theirs.tracking_number})

    def test_a_nonsense_owner_is_refused_and_the_list_stays_whole(self):
        response = self.client.get(INBOX, {"owner": "siapa"})
        self.assertEqual(len(self.numbers(response)), 3)
        self.assertContains(response, "Filter berikut tidak diterapkan")

    def test_the_owner_column(self):
        response = self.client.get(INBOX)
        self.assertContains(response, '<th scope="col">Pemilik</th>', html=True)
        self.assertContains(response, "<strong>Saya</strong>", html=True)
        self.assertContains(response, "<td>koordinator2</td>", html=True)

    def test_the_owner_filter_reads_the_coordinators_once_per_form_and_anew_for_the_next(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from workspace import forms

        def owner_select(form):
            with CaptureQueriesContext(connection) as queries:
                html = str(form["owner"])
            coordinator_reads = [q for q in queries.captured_queries if '"auth_user"' in q["sql"]]
            return html, len(coordinator_reads)

        html, reads = owner_select(forms.for_user(forms.ReportFilterForm({}, user=self.coordinator), self.coordinator))
        self.assertEqual(reads, 1)  # drawn once: one read, not one per ask
        self.assertIn("koordinator2", html)
        self.assertNotIn("koordinator3", html)
        newcomer = factory.make_staff(Role.COORDINATOR, self.unit, "koordinator3")
        # A later form (another request) reads them again: the newcomer is offered; so does
        # every form after it (nothing read is kept between forms).
        html, reads = owner_select(forms.for_user(forms.ReportFilterForm({}, user=self.coordinator), self.coordinator))
        self.assertEqual(reads, 1)
        self.assertIn(f'<option value="{newcomer.pk}">koordinator3</option>', html)
        for _ in range(2):
            html, reads = owner_select(forms.ReportFilterForm({}, user=self.coordinator))
            self.assertEqual(reads, 1)
            self.assertIn("koordinator3", html)

    def test_agency_staff_have_no_owner_filter(self):
        factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        self.login(self.pw_liaison)
        response = self.client.get(reverse("workspace:reports"), {"owner": "none"})
        self.assertNotIn("owner", response.context["form"].fields)
        self.assertNotContains(response, "Pemilik")


class StaleVersionTests(TwoCoordinatorsCase):
    """The report page carries its version; a form sent from a page that others changed
    since is refused with 409 and the changes are listed."""

    def open(self, report):
        return self.client.get(reverse("workspace:report", args=[report.pk]))

    def test_acting_on_a_fresh_page_works(self):
        report = self.make_report()
        version = version_of(self.open(report))
        response = self.client.post(action_url(report, "verifikasi"), {"version": version})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Report.objects.get(pk=report.pk).status, Status.VERIFIED)

    def test_acting_after_a_colleague_changed_the_report_is_refused_with_409(self):
        report = self.make_report()
        version = version_of(self.open(report))
        actions.hold_report(report, actor=self.colleague, question="Di RT berapa?")
        response = self.client.post(
            action_url(report, "arsipkan"), {"version": version, "reason": "spam", "message": "Bukan laporan."}
        )
        self.assertEqual(response.status_code, 409)
        report.refresh_from_db()
        self.assertEqual(report.status, Status.ON_HOLD)  # not archived
        self.assertFalse(report.events.filter(action="archived").exists())
        self.assertContains(response, "diubah orang lain sejak Anda membukanya", status_code=409)
        self.assertEqual([e.action for e in response.context["stale_events"]], ["held"])
        self.assertContains(response, "Ditunda, pertanyaan ke pelapor", status_code=409)
        # The form comes back as typed, and the page now carries the new version: sending it again acts.
        self.assertContains(response, "Bukan laporan.", status_code=409)
        again = self.client.post(
            action_url(report, "arsipkan"), {"version": version_of(response), "reason": "spam", "message": ""}
        )
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Report.objects.get(pk=report.pk).status, Status.ARCHIVED)

    def test_a_colleague_taking_the_report_also_makes_the_page_stale(self):
        report = self.make_report()
        version = version_of(self.open(report))
        actions.take_report(report, actor=self.colleague)
        response = self.client.post(action_url(report, "ambil"), {"version": version})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(Report.objects.get(pk=report.pk).owner, self.colleague)

    def test_the_users_own_changes_do_not_make_their_page_stale(self):
        report = self.make_report()
        version = version_of(self.open(report))
        actions.take_report(report, actor=self.coordinator)  # e.g. in another tab
        response = self.client.post(action_url(report, "verifikasi"), {"version": version})
        self.assertEqual(response.status_code, 302)

    def test_a_disposition_action_is_checked_too(self):
        report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        disposition = report.dispositions.get()
        self.login(self.pw_liaison)
        version = version_of(self.open(report))
        actions.classify_report(report, actor=self.coordinator, category=self.other_category)
        url = reverse("workspace:disposition_action", args=[disposition.pk, "kembalikan"])
        response = self.client.post(url, {"version": version, "reason": "Bukan wewenang kami."})
        self.assertEqual(response.status_code, 409)
        disposition.refresh_from_db()
        self.assertEqual(disposition.state, "pending")

    def test_every_form_of_the_page_carries_the_version(self):
        report = self.make_report()
        response = self.open(report)
        html = response.content.decode()
        forms = html.count(f'action="/kerja/laporan/{report.pk}/')  # every action of this report's page
        self.assertGreaterEqual(forms, 6)  # four boxes, take and assign
        self.assertEqual(html.count(f'name="version" value="{version_of(response)}"'), forms)


class PresenceTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.colleague = factory.make_staff(Role.COORDINATOR, cls.unit, "koordinator2")

    def test_the_page_says_who_else_has_it_open(self):
        report = self.make_report()
        self.login(self.colleague)
        self.client.get(reverse("workspace:report", args=[report.pk]))
        self.login(self.coordinator)
        response = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertContains(response, "koordinator2 juga sedang membuka laporan ini.")
        self.assertContains(response, 'hx-trigger="every 20s"')

    def test_the_poll_tells_of_changes_since_the_page_was_loaded(self):
        report = self.make_report()
        self.login(self.coordinator)
        version = version_of(self.client.get(reverse("workspace:report", args=[report.pk])))
        url = reverse("workspace:report_presence", args=[report.pk])
        self.assertNotContains(self.client.get(url, {"version": version}), "berubah sejak")
        actions.verify_report(report, actor=self.colleague)
        response = self.client.get(url, {"version": version})
        self.assertContains(response, "Laporan ini berubah sejak Anda membukanya")
        self.assertContains(response, "Diverifikasi")

    def test_no_one_else_reads_a_report_they_may_not_see_through_the_poll(self):
        report = self.make_report()
        self.login(self.transport_liaison)
        self.assertEqual(self.client.get(reverse("workspace:report_presence", args=[report.pk])).status_code, 404)
