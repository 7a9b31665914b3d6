"""Referral between governments in monev (issue 20; monev/rollup.py, monev/tenures.py):
the sender counts the report as referred, never late after the referral; the receiver
counts it from the referral on; a return counts for the government that gave it back;
the incremental rollup equals a rebuild."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from core import workdays
from monev import sums
from monev.figures import Filter
from reports import actions
from reports.models import Category, ReportEvent
from tests import factory
from tests.rollup import rebuilt, rows
from tests.test_referral import ReferralCase


class ReferralMonevTests(ReferralCase):
    def figures(self, government, day):
        return sums.compute(Filter(day - dt.timedelta(days=40), day + dt.timedelta(days=40), government=government.pk))

    def test_the_sender_counts_it_referred_and_never_late_the_receiver_from_the_referral(self):
        start = timezone.now() - dt.timedelta(days=30)
        with time_machine.travel(start, tick=False):
            report = factory.make_report(category=self.category)
        with time_machine.travel(start + dt.timedelta(days=10), tick=False):  # past Blitar's 3 days
            self.refer(report)
        with time_machine.travel(start + dt.timedelta(days=11), tick=False), factory.muted():
            actions.verify_report(report, actor=self.kediri_coordinator)
        day = workdays.local_date(start)
        blitar, kediri = self.figures(self.blitar, day), self.figures(self.kediri, day)
        self.assertEqual((blitar.referred_out, blitar.referred_in), (1, 0))
        self.assertEqual(blitar.received, 1 + 1)  # this one and the setUp's disposed report
        self.assertEqual(blitar.on_time["verification"].total, 1)  # the setUp's only: none late for this one
        self.assertEqual(blitar.backlog_total, 1)  # the setUp's disposed report, not the referred one
        self.assertEqual((kediri.referred_in, kediri.referred_out), (1, 0))
        self.assertEqual(kediri.received, 1 + 1)
        self.assertEqual(kediri.verified, 1 + 1)
        # Kediri verified one working day after the referral: on time.
        self.assertEqual(kediri.on_time["verification"].hits, kediri.on_time["verification"].total)

    def test_a_return_counts_as_the_receivers_return_and_the_sender_has_it_back(self):
        report = factory.make_report(category=self.category)
        self.refer(report)
        self.give_back(report)
        today = timezone.localdate()
        blitar, kediri = self.figures(self.blitar, today), self.figures(self.kediri, today)
        self.assertEqual(kediri.referral_returned, 1)
        self.assertEqual(blitar.referral_returned, 0)
        self.assertEqual(blitar.backlog_total, 2)  # back in Blitar's queue
        self.assertEqual(kediri.backlog_total, 1)  # the setUp's Kediri report only

    def test_the_monev_board_shows_the_referrals(self):
        report = factory.make_report(category=self.category)
        self.refer(report)
        self.login(self.coordinator)
        board = self.client.get(reverse("monev:dashboard"), {"preset": "month"})
        self.assertContains(board, "Rujukan antarpemerintah daerah")
        self.assertContains(board, 'metric=referred_out">1</a>')
        self.assertContains(board, "dirujuk ke pemerintah lain · 0 diterima dari pemerintah lain")
        self.login(self.kediri_coordinator)
        self.assertContains(
            self.client.get(reverse("monev:dashboard"), {"preset": "month"}),
            'metric=referred_out">0</a>\n dirujuk ke pemerintah lain · 1 diterima',
        )

    def test_the_referred_count_opens_the_reports_it_referred_read_only(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)
        back = factory.make_report(category=self.category)
        self.refer(back)
        self.give_back(back)
        self.login(self.coordinator)
        board = self.client.get(reverse("monev:dashboard"), {"preset": "month"})
        html = str(board.context["board_html"])
        self.assertIn("metric=referred_out", html)
        start, end = board.context["period"]["start"], board.context["period"]["end"]
        listed = self.client.get(
            reverse("monev:reports"), {"start": start.isoformat(), "end": end.isoformat(), "metric": "referred_out"}
        )
        self.assertEqual(listed.status_code, 200)
        self.assertEqual({r.pk for r in listed.context["page"].object_list}, {report.pk, back.pk})
        self.assertContains(listed, "Dirujuk ke pemerintah lain")
        # Away: the read-only page; back home: the report's own page.
        self.assertContains(listed, f'href="{reverse("workspace:referred_report", args=[report.pk])}"')
        self.assertContains(listed, f'href="{reverse("workspace:report", args=[back.pk])}"')
        self.assertNotContains(listed, f'href="{reverse("workspace:report", args=[report.pk])}"')
        # The count and the list agree; the receiver referred nothing.
        day = timezone.localdate()
        self.assertEqual(self.figures(self.blitar, day).referred_out, 2)
        self.login(self.kediri_coordinator)
        query = {"start": start.isoformat(), "end": end.isoformat(), "metric": "referred_out"}
        self.assertEqual(list(self.client.get(reverse("monev:reports"), query).context["page"].object_list), [])

    def test_the_incremental_rollup_equals_a_rebuild(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)
        with factory.muted():
            actions.verify_report(report, actor=self.kediri_coordinator)
            actions.add_internal_note(report, actor=self.kediri_coordinator, message="Dicek")
        self.give_back(report)
        self.refer(self.blitar_report)
        with factory.muted():
            actions.verify_and_dispose(
                self.blitar_report, actor=self.kediri_coordinator, lead_agency=self.kediri_transport
            )
        incremental = rows()
        self.assertTrue(any(row[1] == -self.kediri.pk and row[6] == "referred_in" for row in incremental))
        self.assertEqual(incremental, rebuilt())

    def test_the_referral_events_are_recorded_once(self):
        report = factory.make_report(category=self.category)
        self.refer(report)
        self.assertEqual(ReportEvent.objects.filter(report=report, action="referred").count(), 1)
        self.assertEqual(Category.objects.filter(government=self.kediri).count(), 2)  # nothing made
