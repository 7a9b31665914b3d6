"""The period box of the monev dashboard and the transparency page: the dates actually
applied are shown in the form and as a heading, and with no period asked for, the last
full month stands in for a month that has barely started. Every date comes from the
(possibly moved) clock."""

import datetime as dt

import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from monev import dashboard, figures, periods
from monev.catalogue import PUBLIC_DIMENSIONS
from tests.base import AduanTestCase


def moment(day: dt.date, hour=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def this_month(day: int) -> dt.date:
    return timezone.localdate().replace(day=day)


def last_month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    return figures.period_bounds("month", day.replace(day=1) - dt.timedelta(days=1))


@override_settings(ADUAN_MONEV_MONTH_MIN_DAYS=7, ADUAN_MONEV_MONTH_MIN_REPORTS=3)
class DefaultPeriodTest(AduanTestCase):
    def setUp(self):
        cache.clear()

    def _reports_on(self, day, n):
        with time_machine.travel(moment(day), tick=False):
            return [self.make_report() for _ in range(n)]

    def test_on_the_third_the_pages_show_last_month_and_say_why(self):
        today = this_month(3)
        first, last = last_month_of(today)
        self._reports_on(first + dt.timedelta(days=14), 4)
        with time_machine.travel(moment(today), tick=False):
            page = self.client.get(reverse("transparency:page"))
        self.assertEqual((page.context["period"]["start"], page.context["period"]["end"]), (first, last))
        self.assertContains(page, "Bulan ini baru berjalan 3 hari; ditampilkan bulan lalu.")
        self.assertContains(page, f'value="{first.isoformat()}"')
        self.assertContains(page, f'value="{last.isoformat()}"')
        self.assertContains(page, '<option value="last_month" selected>')
        self.assertEqual(dict(page.context["headline"])["Diterima"], 4)
        self.assertContains(page, "Periode 1 ")  # the heading, in words

    def test_after_a_week_with_enough_reports_this_month_is_shown(self):
        today = this_month(12)
        self._reports_on(this_month(8), 3)
        self.login(self.coordinator)
        with time_machine.travel(moment(today), tick=False):
            page = self.client.get(reverse("monev:dashboard"))
        start, end = figures.period_bounds("month", today)
        self.assertEqual((page.context["period"]["start"], page.context["period"]["end"]), (start, end))
        self.assertTrue(page.context["period"]["running"])
        self.assertEqual(page.context["period"]["note"], "")
        self.assertContains(page, '<option value="month" selected>')
        self.assertContains(page, f'value="{start.isoformat()}"')
        self.assertNotContains(page, "ditampilkan bulan lalu")

    def test_after_a_week_with_too_few_reports_last_month_is_shown(self):
        today = this_month(20)
        self._reports_on(this_month(9), 2)
        with time_machine.travel(moment(today), tick=False):
            chosen = periods.default_period(today)
            page = self.client.get(reverse("transparency:page"))
        self.assertEqual((chosen.start, chosen.end), last_month_of(today))
        self.assertContains(page, "Bulan ini baru berjalan 20 hari dengan 2 laporan masuk; ditampilkan bulan lalu.")

    def test_the_note_is_in_english_on_the_english_page(self):
        today = this_month(2)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        with time_machine.travel(moment(today), tick=False):
            page = self.client.get(reverse("transparency:page"))
        self.assertContains(page, "This month has run only 2 days; showing last month.")

    def test_a_period_asked_for_is_shown_as_asked_and_never_replaced(self):
        today = this_month(2)
        first, last = last_month_of(today)
        before = first - dt.timedelta(days=1)
        wanted = {"start": (before - dt.timedelta(days=40)).isoformat(), "end": before.isoformat()}
        self.login(self.coordinator)
        with time_machine.travel(moment(today), tick=False):
            page = self.client.get(reverse("monev:dashboard"), wanted)
            this = self.client.get(reverse("monev:dashboard"), {"preset": "month"})
        self.assertContains(page, f'value="{wanted["start"]}"')
        self.assertContains(page, '<option value="" selected>')
        self.assertEqual(page.context["period"]["note"], "")
        self.assertEqual(this.context["period"]["start"], today.replace(day=1))
        self.assertContains(this, '<option value="month" selected>')

    def test_warm_up_builds_the_public_page_of_the_default_period(self):
        today = this_month(3)
        with time_machine.travel(moment(today, hour=6), tick=False):
            self.assertIn("public page, default period", dashboard.warm())
            first, last = last_month_of(today)
            key = dashboard.board_key(figures.Filter(first, last), with_scorecard=True, dimensions=PUBLIC_DIMENSIONS)
            self.assertIsNotNone(cache.get(key))
