"""Each busy page answers in a fixed number of queries, whatever the number of events,
attachments or rows behind it (issue 21: "constant query counts"). The numbers are
measured; a change that adds a query to a page changes them here on purpose, and one that
makes a page's count grow with its rows fails the second assertion of each test."""

from django.urls import reverse

from core.uploads import clean_bytes
from reports import actions
from reports.models import Audience
from tests import factory
from tests.base import AduanTestCase
from workspace.views import PAGE_SIZE

# session, user, appointments; report with category/region/owner, dispositions,
# attachments, events; the identity-read audit row; failed messages to the reporter;
# canned replies; triage (row, stored duplicates, suggestions, merged reports); whether
# the report may be referred or its referral returned (one query: reports/access.py); the
# coordinators of the action forms (their categories, agencies and kelurahan are kept in
# memory after the first view: core/choice_lists.py).
REPORT_PAGE_QUERIES = 16
# The same page again, its timeline, action forms and triage panel kept as HTML
# (workspace/fragments.py): the triage panel's suggestions and merged reports are not read;
# every read of the access check and the page's data is, and the stored duplicates (other
# reports: part of the panel's key).
REPORT_PAGE_KEPT_QUERIES = 14
# session, user, appointments; the queue's page's ids and their rows
# (workspace.paging.page_of_rows: the sort runs over narrow rows) and its capped count (none
# when the first page holds every report); the counts of its tabs (on hold, overdue,
# returned, urgent, mine) and the newest report's id; the newest event's id (the bulk
# form's version: reports changed after it are skipped); saved views; the coordinators of
# the filter and bulk forms (the filter's once: workspace.forms.OwnerField). Their categories,
# agencies, kecamatan and kelurahan are kept in memory after the first view
# (core/choice_lists.py): four queries more on that one. The saved views' counts are kept
# too (workspace/inbox_views.py): INBOX_VIEW_COUNTS more on the first view after a change.
INBOX_QUERIES = 12
INBOX_VIEW_COUNTS = 4
# the portal's government (its slug's, or the default one), the report, its public events,
# its public attachments.
PUBLIC_PAGE_QUERIES = 4


def photo(name="foto.jpg"):
    return clean_bytes(name, factory.jpeg_bytes())


class QueryCountTests(AduanTestCase):
    def disposed(self, **overrides):
        overrides.setdefault("category", self.category)
        overrides.setdefault("region", self.kelurahan)
        return factory.make_disposed(self.coordinator, self.public_works, **overrides)

    def grow(self, report, *, events, photos, audience=Audience.STAFF):
        """``events`` more follow-up events on ``report``, ``photos`` of them with a photo."""
        disposition = report.dispositions.get()
        for i in range(events):
            actions.post_follow_up(
                disposition,
                actor=self.pw_liaison,
                message=f"Tindak lanjut {i}",
                audience=audience,
                attachments=[photo()] if i < photos else [],
            )

    def test_report_page_with_20_events_and_3_attachments(self):
        report = self.disposed()
        self.grow(report, events=20 - report.events.count(), photos=3)
        self.assertEqual((report.events.count(), report.attachments.count()), (20, 3))
        self.login(self.coordinator)
        url = reverse("workspace:report", args=[report.pk])
        self.client.get(url)  # the first view reads a report no worker has triaged yet
        with self.assertNumQueries(REPORT_PAGE_QUERIES):
            response = self.client.get(url)
        self.assertEqual(len(response.context["events"]), 20)
        with self.assertNumQueries(REPORT_PAGE_KEPT_QUERIES):
            self.client.get(url)
        self.grow(report, events=20, photos=3)
        with self.assertNumQueries(REPORT_PAGE_QUERIES):  # a new version: drawn again
            response = self.client.get(url)
        self.assertEqual(len(response.context["events"]), 40)
        with self.assertNumQueries(REPORT_PAGE_KEPT_QUERIES):
            kept = self.client.get(url)
        self.assertEqual(kept.content.count(b'<li class="timeline-'), 40)
        self.assertEqual(report.attachments.count(), 6)
        for attachment in report.attachments.all():
            self.assertContains(response, reverse("workspace:attachment", args=[attachment.pk]))

    def test_inbox_first_page(self):
        def fill(n):
            for i in range(n):
                report = self.make_report(description=f"Lampu jalan mati nomor {i}")
                if i % 3 == 0:
                    actions.verify_report(report, actor=self.coordinator)

        fill(20)
        self.login(self.coordinator)
        url = reverse("workspace:inbox")
        # The first view reads the kept lists, counts the views and the active governments
        # (kept until a government is saved: the "referred out" link), and the home
        # government's id (kept a minute: the page's name, site_name_of); one page: no count.
        with self.assertNumQueries(INBOX_QUERIES + 4 + INBOX_VIEW_COUNTS - 1 + 1 + 1):
            self.client.get(url)
        with self.assertNumQueries(INBOX_QUERIES - 1):
            response = self.client.get(url)
        self.assertEqual(len(response.context["page"].object_list), 20)
        fill(PAGE_SIZE)  # more than a page
        with self.assertNumQueries(INBOX_QUERIES + INBOX_VIEW_COUNTS):  # counted again: reports changed
            response = self.client.get(url)
        with self.assertNumQueries(INBOX_QUERIES):
            response = self.client.get(url)
        self.assertEqual(response.context["page"].paginator.count, 20 + PAGE_SIZE)
        self.assertEqual(len(response.context["page"].object_list), PAGE_SIZE)

    def test_public_report_page(self):
        report = self.disposed()
        self.grow(report, events=10, photos=3, audience=Audience.PUBLIC)
        url = reverse("portal:public_detail", args=[report.tracking_number])
        with self.assertNumQueries(PUBLIC_PAGE_QUERIES):
            response = self.client.get(url)
        published = len(response.context["timeline"])
        self.assertGreaterEqual(published, 10)
        self.grow(report, events=20, photos=3, audience=Audience.PUBLIC)
        with self.assertNumQueries(PUBLIC_PAGE_QUERIES):
            response = self.client.get(url)
        self.assertEqual(len(response.context["timeline"]), published + 20)
        photos = report.attachments.filter(is_public=True)
        self.assertEqual(len(photos), 6)
        for attachment in photos:
            self.assertContains(
                response, reverse("portal:public_attachment", args=[report.tracking_number, attachment.pk])
            )
