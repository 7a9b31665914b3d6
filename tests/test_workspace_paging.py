"""The inbox counts no further than it must (issue 21): up to 1,000 reports, or one page
past the page asked for; beyond that it says "more than", and the page links still walk
on to the last report."""

from unittest import mock

from django.urls import reverse

from reports.models import Report
from tests.base import AduanTestCase
from workspace.paging import CappedPaginator

INBOX = reverse("workspace:inbox")


class CappedPaginatorTests(AduanTestCase):
    def setUp(self):
        for i in range(7):
            self.make_report(description=f"Lampu jalan mati nomor {i}")
        self.reports = Report.objects.order_by("pk")

    def test_it_counts_to_the_cap_or_one_page_past_the_wanted_one(self):
        first = CappedPaginator(self.reports, 2, wanted=1, cap=3)
        self.assertEqual((first.count, first.exact), (4, False))
        page = first.get_page(1)
        self.assertTrue(page.has_next())
        third = CappedPaginator(self.reports, 2, wanted="3", cap=3)
        self.assertEqual((third.count, third.exact, third.num_pages), (7, True, 4))

    def test_a_small_list_is_counted_exactly(self):
        paginator = CappedPaginator(self.reports, 50, wanted="bukan-angka")
        self.assertEqual((paginator.count, paginator.exact, paginator.wanted), (7, True, 1))


class InboxCountTests(AduanTestCase):
    def setUp(self):
        for i in range(5):
            self.make_report(description=f"Lampu jalan mati nomor {i}")
        self.login(self.coordinator)

    def test_past_the_cap_the_inbox_says_more_than_and_pages_on(self):
        with mock.patch("workspace.paging.COUNT_CAP", 2), mock.patch("workspace.views.PAGE_SIZE", 2):
            first = self.client.get(INBOX)
            self.assertContains(first, "Lebih dari 4 laporan")
            self.assertContains(first, "Halaman 1<")
            self.assertContains(first, "?page=2")
            last = self.client.get(INBOX, {"page": 3})
        self.assertContains(last, "5 laporan")
        self.assertContains(last, "Halaman 3 dari 3")
        self.assertEqual(len(last.context["page"].object_list), 1)
        self.assertEqual(last.context["page"].object_list[0].description, "Lampu jalan mati nomor 4")


def counted(response):
    paginator = response.context["page"].paginator
    return paginator.count, paginator.exact


class FirstPageTests(AduanTestCase):
    """The first page reads its ids before counting: a list that fits on it is counted by
    them (a tracking number searched: no COUNT at all), a longer one counts as before."""

    def setUp(self):
        self.reports = [self.make_report(description=f"Lampu jalan mati nomor {i}") for i in range(5)]
        self.login(self.coordinator)

    def counts_run(self, **params):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(INBOX, params)
        report_counts = [
            q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)") and "LIMIT 1001" not in q["sql"]
        ]
        return response, report_counts

    def test_a_tracking_number_found_is_not_counted(self):
        self.client.get(INBOX)  # the views counted and kept
        wanted = self.reports[2]
        response, page_counts = self.counts_run(q=wanted.tracking_number)
        self.assertEqual([r.pk for r in response.context["page"].object_list], [wanted.pk])
        self.assertEqual(counted(response), (1, True))
        self.assertContains(response, "1 laporan")
        self.assertEqual([sql for sql in page_counts if "LIMIT" in sql], [])

    def test_a_list_longer_than_its_first_page_is_counted(self):
        # (COUNT_CAP 3 here: the page's count is LIMIT 5, the views' LIMIT 1001.)
        with mock.patch("workspace.views.PAGE_SIZE", 2), mock.patch("workspace.paging.COUNT_CAP", 3):
            response, page_counts = self.counts_run()
        self.assertEqual(counted(response), (4, False))
        self.assertEqual(len(response.context["page"].object_list), 2)
        self.assertEqual(len([sql for sql in page_counts if "LIMIT" in sql]), 1)

    def test_a_word_search_counts_to_its_own_cap(self):
        with mock.patch("workspace.views.SEARCH_COUNT_CAP", 3), mock.patch("workspace.views.PAGE_SIZE", 1):
            found = self.client.get(INBOX, {"q": "lampu"})
            listed = self.client.get(INBOX)
        self.assertEqual(counted(found), (3, False))
        self.assertContains(found, "Lebih dari 3 laporan")
        self.assertEqual(counted(listed), (5, True))
