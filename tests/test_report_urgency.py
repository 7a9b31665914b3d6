"""Report.is_urgent, triage's urgency flag copied to the report so the coordinator's queue
(danger first, then the deadline, then arrival and id) is served by one index (issue 21):
triage's actions keep it, migration triage 0003 fills it for the reports that exist, and
the inbox's pages walk that order without a report twice or left out."""

import datetime as dt
import importlib
from types import SimpleNamespace
from unittest import mock

from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reports.models import Report, refresh_current_deadline
from tests.base import AduanTestCase
from triage import actions
from triage.models import ReportTriage

INBOX = reverse("workspace:inbox")
DANGER = "Pohon tumbang menimpa rumah warga di jalan Mawar"
ORDINARY = "Lampu jalan mati di depan pasar"


def is_urgent(report):
    return Report.objects.values_list("is_urgent", flat=True).get(pk=report.pk)


class UrgencyUpkeepTests(AduanTestCase):
    def test_triage_sets_it_and_a_second_read_clears_it(self):
        report = self.make_report(description=DANGER)
        self.assertFalse(is_urgent(report))  # not read yet
        actions.triage_report(report)
        self.assertTrue(is_urgent(report))
        self.assertTrue(report.is_urgent)

        report.description = ORDINARY
        report.save()
        actions.triage_report(report)  # read again (re-triage): no danger now
        self.assertFalse(ReportTriage.objects.get(report=report).is_urgent)
        self.assertFalse(is_urgent(report))

        report.description = DANGER
        report.save()
        actions.triage_report(report)
        self.assertTrue(is_urgent(report))

    def test_an_ordinary_report_stays_not_urgent(self):
        report = self.make_report(description=ORDINARY)
        actions.ensure_triaged(report)
        self.assertFalse(is_urgent(report))

    def test_the_bulk_read_sets_it_and_a_second_run_keeps_the_first_read(self):
        danger, ordinary = self.make_report(description=DANGER), self.make_report(description=ORDINARY)
        self.assertEqual(actions.triage_reports([danger.pk, ordinary.pk]), 2)
        self.assertEqual((is_urgent(danger), is_urgent(ordinary)), (True, False))
        self.assertEqual(actions.triage_reports([danger.pk, ordinary.pk]), 0)
        self.assertEqual((is_urgent(danger), is_urgent(ordinary)), (True, False))

    def test_refresh_copies_the_triage_rows_flag(self):
        danger, ordinary = self.make_report(description=DANGER), self.make_report(description=ORDINARY)
        actions.triage_reports([danger.pk, ordinary.pk])
        # A flag changed behind the actions' back (by hand in the database) is copied again.
        ReportTriage.objects.filter(report=danger).update(is_urgent=False)
        ReportTriage.objects.filter(report=ordinary).update(is_urgent=True)
        actions.refresh_urgency([danger.pk, ordinary.pk])
        self.assertEqual((is_urgent(danger), is_urgent(ordinary)), (False, True))

    def test_the_fill_migration_copies_the_flag_of_existing_reports(self):
        danger, ordinary = self.make_report(description=DANGER), self.make_report(description=ORDINARY)
        actions.triage_reports([danger.pk, ordinary.pk])
        Report.objects.update(is_urgent=False)  # as the column's default left them
        fill = importlib.import_module("triage.migrations.0003_fill_report_is_urgent").fill
        fill(apps, SimpleNamespace(connection=connection))
        self.assertEqual((is_urgent(danger), is_urgent(ordinary)), (True, False))


class QueueOrderTests(AduanTestCase):
    """Danger first, then the nearest deadline, then the earlier arrival, then the id."""

    def setUp(self):
        now = timezone.now()
        self.reports = {}
        # name: (urgent, hours to the deadline); b and c share a deadline (and so do d and e).
        for name, urgent, hours in [
            ("a", False, 30),
            ("b", False, 5),
            ("c", False, 5),
            ("d", True, 50),
            ("e", True, 50),
            ("f", True, 2),
            ("g", False, -3),
        ]:
            report = self.make_report(description=DANGER if urgent else ORDINARY)
            Report.objects.filter(pk=report.pk).update(due_at=now + dt.timedelta(hours=hours))
            self.reports[name] = report.pk
        # c and e arrived before b and d: arrival breaks the tie before the id does.
        for early in ("c", "e"):
            Report.objects.filter(pk=self.reports[early]).update(received_at=now - dt.timedelta(hours=1))
        refresh_current_deadline(self.reports.values())
        actions.triage_reports(self.reports.values())
        self.expected = [self.reports[name] for name in "fedgcba"]
        self.login(self.coordinator)

    def listed(self, response):
        return [report.pk for report in response.context["page"].object_list]

    def test_the_inbox_lists_danger_then_deadline_then_arrival(self):
        self.assertEqual(self.listed(self.client.get(INBOX)), self.expected)

    def test_pages_walk_the_order_without_a_report_twice_or_left_out(self):
        walked = []
        with mock.patch("workspace.views.PAGE_SIZE", 2), mock.patch("workspace.paging.COUNT_CAP", 3):
            for number in range(1, 5):
                walked += self.listed(self.client.get(INBOX, {"page": number}))
        self.assertEqual(walked, self.expected)

    def test_the_urgent_filter_reads_the_column(self):
        response = self.client.get(INBOX, {"urgent": "on"})
        self.assertEqual(self.listed(response), [self.reports[name] for name in "fed"])


class ViewCountTests(AduanTestCase):
    def test_a_views_count_stops_at_the_cap(self):
        now = timezone.now()
        for _ in range(4):
            report = self.make_report(description=ORDINARY)
            Report.objects.filter(pk=report.pk).update(due_at=now - dt.timedelta(hours=1))
        self.login(self.coordinator)
        with mock.patch("workspace.inbox_views.COUNT_CAP", 3):
            views = {view.query: view for view in self.client.get(INBOX).context["views"]}
        overdue = views["overdue=on"]
        self.assertEqual((overdue.count, overdue.exact), (3, False))
        self.assertEqual((views["returned=on"].count, views["returned=on"].exact), (0, True))
        with mock.patch("workspace.inbox_views.COUNT_CAP", 3):
            fragment = self.client.get(reverse("workspace:inbox_views"))
        self.assertContains(fragment, "3+")
        self.assertContains(fragment, "Lebih dari 3 laporan")
