"""Bulk actions of the inbox: each chosen report through the same action, its own event,
the refused ones named with their reason, the others done."""

from django.contrib.messages import get_messages
from django.urls import reverse

from reports import actions
from reports.models import ReportEvent, Status
from tests import factory
from tests.base import TwoCoordinatorsCase

BULK = reverse("workspace:inbox_bulk")
INBOX = reverse("workspace:inbox")


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


class BulkActionTests(TwoCoordinatorsCase):
    def post(self, reports, operation, **fields):
        data = {"reports": [r.pk for r in reports], "operation": operation, "next": f"{INBOX}?kind=complaint", **fields}
        return self.client.post(BULK, data)

    def test_archive_as_spam_with_a_mix_of_allowed_and_refused_reports(self):
        received = self.make_report()
        verified = factory.make_verified(self.coordinator, category=self.category)
        disposed = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        response = self.post([received, disposed, verified], "archive_spam")
        self.assertRedirects(response, f"{INBOX}?kind=complaint", fetch_redirect_response=False)
        for report in (received, verified):
            report.refresh_from_db()
            self.assertEqual(report.status, Status.ARCHIVED)
            self.assertEqual(report.archive_reason, "spam")
            self.assertEqual(report.events.filter(action="archived").count(), 1)
        disposed.refresh_from_db()
        self.assertEqual(disposed.status, Status.DISPOSED)
        self.assertFalse(disposed.events.filter(action="archived").exists())
        messages = said(response)
        self.assertIn(
            f"Diarsipkan sebagai spam: 2 laporan ({received.tracking_number}, {verified.tracking_number}).", messages
        )
        self.assertIn("1 laporan ditolak:", messages)
        self.assertIn(
            f"{disposed.tracking_number}: Tindakan ini tidak dapat dilakukan pada status laporan saat ini.", messages
        )

    def test_the_summary_reads_in_english(self):
        received = self.make_report()
        disposed = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = self.post([received, disposed], "archive_spam")
        messages = said(response)
        self.assertIn(f"Archived as spam: 1 report ({received.tracking_number}).", messages)
        self.assertIn(
            f"{disposed.tracking_number}: This action cannot be performed in the report's current status.", messages
        )

    def test_archive_as_duplicates_of_one_original(self):
        original = self.make_report()
        copies = [self.make_report(), self.make_report()]
        self.post([*copies, original], "archive_duplicate", duplicate_of=original.tracking_number)
        for copy in copies:
            copy.refresh_from_db()
            self.assertEqual(copy.duplicate_of, original)
        original.refresh_from_db()
        self.assertEqual(original.status, Status.RECEIVED)  # refused: not a duplicate of itself
        self.assertEqual(original.events.filter(action="duplicate_merged").count(), 2)

    def test_dispose_to_one_agency_refuses_reports_not_yet_verified(self):
        verified = [factory.make_verified(self.coordinator, category=self.category) for _ in range(2)]
        received = self.make_report()
        response = self.post([*verified, received], "dispose", lead_agency=self.public_works.pk)
        for report in verified:
            report.refresh_from_db()
            self.assertEqual(report.status, Status.DISPOSED)
            self.assertEqual(report.dispositions.get().agency, self.public_works)
            self.assertEqual(report.events.filter(action="disposed").count(), 1)
        received.refresh_from_db()
        self.assertEqual(received.status, Status.RECEIVED)
        self.assertFalse(received.dispositions.exists())
        self.assertIn(f"{received.tracking_number}: Tindakan ini", " ".join(said(response)))

    def test_assign_to_a_colleague(self):
        reports = [self.make_report(), self.make_report()]
        self.post(reports, "assign", owner=self.colleague.pk)
        for report in reports:
            report.refresh_from_db()
            self.assertEqual(report.owner, self.colleague)
            self.assertEqual(report.events.filter(action="owner_assigned").count(), 1)

    def test_assign_to_someone_who_is_not_a_coordinator_is_refused_as_a_whole(self):
        report = self.make_report()
        response = self.post([report], "assign", owner=self.pw_liaison.pk)
        self.assertEqual(response.status_code, 302)
        report.refresh_from_db()
        self.assertIsNone(report.owner)
        self.assertTrue(any("Pilih" in m for m in said(response)))

    def test_each_report_writes_its_own_event_and_nothing_more(self):
        reports = [self.make_report() for _ in range(3)]
        before = ReportEvent.objects.count()
        self.post(reports, "archive_spam")
        self.assertEqual(ReportEvent.objects.count(), before + 3)
        self.assertEqual(
            set(ReportEvent.objects.filter(action="archived").values_list("report_id", flat=True)),
            {r.pk for r in reports},
        )

    def test_an_operation_that_needs_an_argument_says_so(self):
        report = self.make_report()
        response = self.post([report], "dispose")
        self.assertIn("Pilih perangkat daerah utama.", said(response))
        self.assertEqual(response.status_code, 302)

    def test_nothing_chosen(self):
        response = self.client.post(BULK, {"operation": "archive_spam"})
        self.assertRedirects(response, INBOX, fetch_redirect_response=False)
        self.assertIn("Pilih setidaknya satu laporan.", said(response))

    def test_another_sites_next_is_not_followed(self):
        response = self.client.post(
            BULK, {"reports": [self.make_report().pk], "operation": "archive_spam", "next": "https://contoh.net/"}
        )
        self.assertRedirects(response, INBOX, fetch_redirect_response=False)

    def test_only_coordinators_act_in_bulk(self):
        report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        for user in (self.pw_liaison, self.executive):
            self.login(user)
            response = self.post([report], "archive_spam")
            self.assertEqual(response.status_code, 403)
        report.refresh_from_db()
        self.assertEqual(report.status, Status.DISPOSED)

    def test_the_inbox_shows_the_checkboxes_to_coordinators_only(self):
        report = self.make_report()
        response = self.client.get(INBOX)
        self.assertContains(response, f'name="reports" value="{report.pk}" form="bulk"')
        self.assertContains(response, 'action="/kerja/kotak-masuk/massal/"')
        self.login(self.executive)
        self.assertNotContains(self.client.get(INBOX), 'form="bulk"')

    def test_bulk_then_inbox_round_trip(self):
        """Five reports archived as spam: one post, one redirect to the same inbox view."""
        reports = [self.make_report() for _ in range(5)]
        response = self.post(reports, "archive_spam")
        page = self.client.get(response.url)
        self.assertContains(page, "Diarsipkan sebagai spam: 5 laporan")
        self.assertEqual(list(page.context["page"].object_list), [])

    def version_of_the_inbox(self):
        return self.client.get(INBOX).context["bulk_form"]["version"].value()

    def test_a_report_another_coordinator_changed_since_the_list_was_drawn_is_skipped_and_named(self):
        untouched, changed = self.make_report(), self.make_report()
        version = self.version_of_the_inbox()
        actions.assign_report(changed, actor=self.colleague, owner=self.colleague)  # after the page was drawn
        response = self.post([untouched, changed], "archive_spam", version=version)
        untouched.refresh_from_db()
        changed.refresh_from_db()
        self.assertEqual(untouched.status, Status.ARCHIVED)
        self.assertEqual(changed.status, Status.RECEIVED)
        messages = said(response)
        self.assertIn("1 laporan ditolak:", messages)
        self.assertIn(
            f"{changed.tracking_number}: Diubah orang lain sejak daftar ini dibuka; dilewati. "
            "Buka laporannya untuk melihat perubahannya.",
            messages,
        )

    def test_the_coordinators_own_changes_since_the_list_was_drawn_do_not_block(self):
        report = self.make_report()
        version = self.version_of_the_inbox()
        actions.assign_report(report, actor=self.coordinator, owner=self.coordinator)
        self.post([report], "archive_spam", version=version)
        report.refresh_from_db()
        self.assertEqual(report.status, Status.ARCHIVED)

    def test_the_inbox_sends_the_newest_event_as_the_lists_version(self):
        self.make_report()
        response = self.client.get(INBOX)
        newest = ReportEvent.objects.latest("pk").pk
        self.assertContains(response, f'name="version" value="{newest}"')
