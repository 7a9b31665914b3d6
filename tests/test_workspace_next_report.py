"""A report opened from a list remembers it (?from=): back to the list with its filters,
the reports before and after, and after an action the next report that still matches."""

from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import actions
from reports.models import Status
from tests.base import AduanTestCase

INBOX = reverse("workspace:inbox")


def opened_from(list_url):
    return urlencode({"from": list_url})


class NextReportTests(AduanTestCase):
    def setUp(self):
        self.login(self.coordinator)
        # Three reports of one category in the inbox's order (same deadline day, then
        # received first), and one of another category the filter leaves out.
        self.first = self.make_report(description="Lampu jalan mati di depan pasar.")
        self.elsewhere = self.make_report(category=self.other_category, description="Parkir liar di trotoar.")
        self.second = self.make_report(description="Lampu taman kota padam.")
        self.third = self.make_report(description="Lampu jalan berkedip terus.")
        self.list_url = f"{INBOX}?{urlencode({'category': self.category.pk})}"
        self.origin = opened_from(self.list_url)

    def page(self, report):
        return f"{reverse('workspace:report', args=[report.pk])}?{self.origin}"

    def act(self, report, slug, data):
        url = f"{reverse('workspace:report_action', args=[report.pk, slug])}?{self.origin}"
        return self.client.post(url, data)

    def verify_and_dispose(self, report):
        return self.act(report, "verifikasi-teruskan", {"lead_agency": self.public_works.pk})

    def test_the_inbox_links_carry_the_list_and_its_filters(self):
        response = self.client.get(self.list_url)
        self.assertContains(response, f'href="{self.page(self.first)}"'.replace("&", "&amp;"))

    def test_the_page_links_back_to_the_filtered_list_and_to_its_neighbours(self):
        response = self.client.get(self.page(self.second))
        neighbours = response.context["neighbours"]
        self.assertEqual((neighbours.previous, neighbours.next), (self.first.pk, self.third.pk))
        self.assertEqual((neighbours.position, neighbours.count), (2, 3))
        self.assertContains(response, f'href="{self.list_url}"'.replace("&", "&amp;"))
        self.assertContains(response, 'data-key="j"')
        self.assertContains(response, 'data-key="k"')
        # The action forms carry the list on, so the next report can be found after them.
        self.assertContains(response, f"verifikasi-teruskan/?{self.origin}")

    def test_after_verify_and_dispose_the_next_report_of_the_same_filtered_list_opens(self):
        response = self.verify_and_dispose(self.first)
        self.assertRedirects(response, self.page(self.second), fetch_redirect_response=False)
        page = self.client.get(response.url)
        self.assertContains(page, f"{self.first.tracking_number}: Laporan diverifikasi dan didisposisikan.")

    def test_a_report_that_left_the_list_meanwhile_is_skipped(self):
        actions.archive_report(self.second, actor=self.coordinator, reason="spam")  # another coordinator
        response = self.verify_and_dispose(self.first)
        self.assertRedirects(response, self.page(self.third))

    def test_after_the_last_report_back_to_the_list_with_its_filters(self):
        response = self.verify_and_dispose(self.third)
        self.assertRedirects(response, self.list_url, fetch_redirect_response=False)
        self.assertContains(self.client.get(response.url), "Tidak ada laporan berikutnya di daftar ini.")

    def test_a_step_with_more_to_do_stays_on_the_report(self):
        response = self.act(self.first, "verifikasi", {})
        self.assertRedirects(response, self.page(self.first))
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, Status.VERIFIED)

    def test_the_order_is_the_lists_own_urgent_first(self):
        from triage.models import ReportTriage

        ReportTriage.objects.update_or_create(report=self.third, defaults={"is_urgent": True})
        response = self.verify_and_dispose(self.third)
        # The urgent report led the list; the next one is the first of the others.
        self.assertRedirects(response, self.page(self.first))

    def test_without_from_an_action_returns_to_the_report(self):
        response = self.client.post(
            reverse("workspace:report_action", args=[self.first.pk, "verifikasi-teruskan"]),
            {"lead_agency": self.public_works.pk},
        )
        self.assertRedirects(response, reverse("workspace:report", args=[self.first.pk]))

    def test_a_from_that_is_not_a_report_list_is_ignored(self):
        for value in ["https://elsewhere.example/kerja/kotak-masuk/", "/kerja/pengiriman/", "//evil/x", "/nope/"]:
            with self.subTest(value=value):
                url = f"{reverse('workspace:report', args=[self.first.pk])}?{urlencode({'from': value})}"
                response = self.client.get(url)
                self.assertIsNone(response.context["origin"])
                self.assertNotContains(response, 'href="https://elsewhere.example')
                self.assertNotContains(response, "Kembali ke daftar")
        url = f"{reverse('workspace:report_action', args=[self.second.pk, 'verifikasi-teruskan'])}?from=//evil/x"
        response = self.client.post(url, {"lead_agency": self.public_works.pk})
        self.assertRedirects(response, reverse("workspace:report", args=[self.second.pk]))

    def test_a_refused_action_keeps_the_list(self):
        response = self.act(self.first, "verifikasi-teruskan", {"lead_agency": ""})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.context["origin"].url, self.list_url)
        self.assertContains(response, f"verifikasi-teruskan/?{self.origin}", status_code=400)

    def test_the_page_opened_from_a_list_costs_two_queries_more_whatever_the_list_holds(self):
        plain = reverse("workspace:report", args=[self.second.pk])
        self.client.get(plain)  # warm the session and caches
        self.client.get(self.page(self.second))  # and the page's kept forms for the list
        with CaptureQueriesContext(connection) as without:
            self.client.get(plain)
        with CaptureQueriesContext(connection) as with_list:
            self.client.get(self.page(self.second))
        # The filter's category, and the list's ids in one query.
        self.assertEqual(len(with_list), len(without) + 2)
        for _ in range(5):
            self.make_report()
        with CaptureQueriesContext(connection) as longer_list:
            self.client.get(self.page(self.second))
        self.assertEqual(len(longer_list), len(with_list))
