"""Monev figures on the fixture city (tests/monev_city.py) equal hand-computed values."""

import datetime as dt

import time_machine
from django_tasks_db.models import DBTaskResult

from monev import figures, rollup, sums
from monev.figures import Filter
from reports import actions
from reports.models import Channel, Kind, ReportEvent
from tests import monev_city
from tests.base import AduanTestCase

MARCH = Filter(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
APRIL = Filter(dt.date(2026, 4, 1), dt.date(2026, 4, 30))


class FiguresTest(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.r1, cls.r2, cls.r3, cls.r4, cls.r5 = monev_city.build(cls)

    def test_april_counts(self):
        fig = sums.compute(APRIL)
        self.assertEqual(
            (fig.received, fig.verified, fig.disposed, fig.followed_up, fig.resolved, fig.closed, fig.archived),
            (4, 3, 3, 4, 3, 1, 1),
        )
        self.assertEqual(fig.archived_by_reason["spam"], 1)
        self.assertEqual(fig.archived_by_reason["duplicate"], 0)

    def test_archived_by_reason_counts_reports_not_events(self):
        # A second "archived" event for the same report (e.g. an import that records the
        # state again) must not count the report twice, for the city nor for an agency.
        event = ReportEvent.objects.get(report__in=[self.r1, self.r2, self.r3, self.r4, self.r5], action="archived")
        event.pk = None
        event.save()
        fig = sums.compute(APRIL)
        self.assertEqual(fig.archived_by_reason["spam"], 1)
        by_agency = sums.compute_by_agency(APRIL)
        self.assertTrue(all(f.archived_by_reason["spam"] <= 1 for f in by_agency.values()))

    def test_report_crossing_the_month_boundary_counts_in_each_month_for_what_happened_there(self):
        march = sums.compute(MARCH)
        self.assertEqual((march.received, march.verified, march.disposed), (1, 1, 1))
        self.assertEqual((march.followed_up, march.resolved), (0, 0))
        self.assertEqual(march.backlog_total, 1)  # R1, disposed, at the end of March
        self.assertEqual(march.backlog["0-7"], 1)
        self.assertEqual(list(figures.report_set(MARCH, "backlog")), [self.r1])
        april_resolved = set(figures.report_set(APRIL, "resolved"))
        self.assertIn(self.r1, april_resolved)
        self.assertNotIn(self.r1, set(figures.report_set(APRIL, "received")))

    def test_a_past_period_does_not_change_when_a_report_changes_today(self):
        before_march, before_april = sums.compute(MARCH).as_dict(), sums.compute(APRIL).as_dict()
        with time_machine.travel(monev_city.at((5, 4)), tick=False):
            actions.close_report(self.r1, actor=self.coordinator)
            actions.dispose_report(self.r2, actor=self.coordinator, lead_agency=self.transport)
            actions.classify_report(self.r3, actor=self.coordinator, kind=Kind.ASPIRATION)
        self.assertEqual(sums.compute(MARCH).as_dict(), before_march)
        after = sums.compute(APRIL).as_dict()
        # R3's kind is a classification, not history: only a kind filter could see it.
        self.assertEqual(after, before_april)

    def test_on_time_shares_per_step(self):
        fig = sums.compute(APRIL)
        shares = {step: (s.hits, s.total) for step, s in fig.on_time.items()}
        self.assertEqual(
            shares, {"verification": (2, 3), "follow_up": (4, 4), "resolution": (1, 2), "information": (1, 1)}
        )
        self.assertEqual(fig.on_time["verification"].percent, 66.7)

    def test_working_day_median_across_good_friday(self):
        fig = sums.compute(APRIL)
        # First follow-up in working days: R1 2, R2 1 (Thu 2 → Mon 6 Apr over Good Friday), R3 5, R5 1.
        self.assertEqual(fig.follow_up_days_median, 1.5)
        self.assertEqual(fig.follow_up_days_p90, 5)
        # Resolution: R1 3, R2 7, R5 1.
        self.assertEqual(fig.resolution_days_median, 3)
        self.assertEqual(fig.resolution_days_p90, 7)

    def test_holiday_counts_as_a_working_day_when_the_calendar_says_so(self):
        from core import workdays
        from core.models import CalendarEntry

        with self.captureOnCommitCallbacks(execute=True):
            CalendarEntry.objects.create(date=dt.date(2026, 4, 3), kind=CalendarEntry.Kind.WORKING_DAY, name="Masuk")
        workdays.calendar_changed()
        try:
            # The change queued a refresh of the rollup (working days are stored in it).
            self.assertTrue(DBTaskResult.objects.filter(task_path="monev.tasks.refresh_rollup").exists())
            rollup.refresh_all()
            fig = sums.compute(APRIL)
            # R2's follow-up now takes 2 working days (3 and 6 Apr): [1, 2, 2, 5] → 2.
            self.assertEqual(fig.follow_up_days_median, 2)
        finally:
            CalendarEntry.objects.all().delete()
            workdays.calendar_changed()
            rollup.refresh_all()

    def test_returns_reopenings_and_satisfaction(self):
        fig = sums.compute(APRIL)
        self.assertEqual((fig.returned, fig.returns_per_report), (1, 0.33))
        self.assertEqual((fig.reopened, fig.reopens_per_report), (1, 0.33))
        self.assertEqual((fig.rated, fig.rating_mean), (2, 4.5))
        self.assertEqual((fig.share_rated.hits, fig.share_rated.total), (2, 3))

    def test_backlog_and_heard_back(self):
        fig = sums.compute(APRIL)
        self.assertEqual(fig.backlog_total, 2)  # R2 (reopened) and R3
        self.assertEqual(fig.backlog, {"0-7": 0, "8-30": 2, "31-90": 0, "90+": 0})
        self.assertEqual(set(figures.report_set(APRIL, "backlog", bucket="8-30")), {self.r2, self.r3})
        self.assertEqual((fig.heard_back.hits, fig.heard_back.total), (3, 4))  # not R4 (archived, no reply)

    def test_agency_scope_counts_its_own_dispositions(self):
        pw = sums.compute(APRIL.with_(agency=self.public_works.pk))
        self.assertEqual((pw.received, pw.disposed, pw.followed_up, pw.resolved, pw.returned), (3, 3, 4, 3, 0))
        transport = sums.compute(APRIL.with_(agency=self.transport.pk))
        self.assertEqual((transport.received, transport.disposed, transport.followed_up), (1, 1, 0))
        self.assertEqual((transport.returned, transport.returns_per_report), (1, 1.0))
        self.assertEqual(transport.on_time["follow_up"].total, 0)

    def test_every_agency_at_once_equals_one_compute_per_agency(self):
        """The scorecard's grouped figures are compute()'s, agency by agency, in both months,
        with a filter, and after later changes (a close, a new disposition, a return)."""

        def check():
            for flt in (MARCH, APRIL, APRIL.with_(channel=Channel.WEB)):
                grouped = sums.compute_by_agency(flt)
                self.assertTrue(grouped)
                for agency, fig in grouped.items():
                    self.assertEqual(fig.as_dict(), sums.compute(flt.with_(agency=agency)).as_dict(), (flt, agency))
            self.assertEqual(set(sums.compute_by_agency(APRIL)), {self.public_works.pk, self.transport.pk})

        check()
        with time_machine.travel(monev_city.at((4, 28)), tick=False):
            actions.dispose_report(self.r2, actor=self.coordinator, lead_agency=self.transport)
            actions.return_disposition(
                self.r2.dispositions.get(agency=self.transport, is_active=True),
                actor=self.transport_liaison,
                reason="Bukan wewenang.",
            )
        with time_machine.travel(monev_city.at((5, 4)), tick=False):
            actions.close_report(self.r1, actor=self.coordinator)
        check()

    def test_trend_and_breakdowns_equal_the_filtered_counts_per_agency(self):
        for agency in (self.public_works.pk, self.transport.pk):
            flt = APRIL.with_(agency=agency)
            self.assertEqual(
                sums.trend(flt, months=2),
                [
                    (
                        month.start,
                        figures.report_set(month.with_(agency=agency), "received").count(),
                        figures.report_set(month.with_(agency=agency), "resolved").count(),
                    )
                    for month in (MARCH, APRIL)
                ],
            )
            for dimension, rows in sums.breakdowns(flt, ["channel", "kelurahan", "agency"]).items():
                for row in rows:
                    for metric, n in row.counts.items():
                        expected = figures.report_set(flt.with_(**{dimension: row.value}), metric).count()
                        self.assertEqual(n, expected, (agency, dimension, row.value, metric))

    def test_scope_filters(self):
        self.assertEqual(sums.compute(APRIL.with_(channel=Channel.WHATSAPP)).received, 2)
        info = sums.compute(APRIL.with_(kind=Kind.INFORMATION_REQUEST))
        self.assertEqual((info.received, info.resolved, info.closed), (1, 1, 1))
        self.assertEqual(sums.compute(APRIL.with_(kelurahan=self.other_kelurahan.pk)).received, 1)
        self.assertEqual(sums.compute(APRIL.with_(kecamatan=self.kecamatan.pk)).received, 4)
        self.assertEqual(sums.compute(APRIL.with_(category=self.category.parent_id)).received, 4)
        self.assertEqual(sums.compute(APRIL.with_(category=self.other_category.pk)).received, 1)

    def test_breakdown_rows_equal_the_filtered_counts(self):
        for dimension in figures.DIMENSIONS:
            rows = sums.breakdown(APRIL, dimension)
            self.assertTrue(rows, dimension)
            for row in rows:
                for metric, n in row.counts.items():
                    expected = figures.report_set(APRIL.with_(**{dimension: row.value}), metric).count()
                    self.assertEqual(n, expected, (dimension, row.value, metric))
        channels = {row.value: row.counts["received"] for row in sums.breakdown(APRIL, "channel")}
        self.assertEqual(channels, {"web": 2, "whatsapp": 2})

    def test_trend_per_month(self):
        series = sums.trend(APRIL, months=2)
        self.assertEqual(series, [(dt.date(2026, 3, 1), 1, 0), (dt.date(2026, 4, 1), 4, 3)])

    def test_period_bounds(self):
        day = dt.date(2026, 5, 17)
        self.assertEqual(figures.period_bounds("month", day), (dt.date(2026, 5, 1), dt.date(2026, 5, 31)))
        self.assertEqual(figures.period_bounds("quarter", day), (dt.date(2026, 4, 1), dt.date(2026, 6, 30)))
        self.assertEqual(figures.period_bounds("year", day), (dt.date(2026, 1, 1), dt.date(2026, 12, 31)))

    def test_percentile_nearest_rank(self):
        self.assertEqual(figures.percentile_90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 9)
        self.assertEqual(figures.percentile_90([4]), 4)
        self.assertIsNone(figures.percentile_90([]))
