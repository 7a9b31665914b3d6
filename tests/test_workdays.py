import datetime as dt

import time_machine
from django.test import TestCase
from django.utils import timezone

from core import workdays
from core.models import CalendarEntry
from reports import actions
from tests import factory
from tests.base import AduanTestCase

WIB = dt.timezone(dt.timedelta(hours=7))


def at(*args):
    return dt.datetime(*args, tzinfo=WIB)


class WorkingDayCalendarTests(TestCase):
    def test_weekends_are_not_working_days(self):
        self.assertFalse(workdays.is_working_day(dt.date(2026, 11, 28)))  # Saturday
        self.assertTrue(workdays.is_working_day(dt.date(2026, 11, 30)))  # Monday

    def test_idul_fitri_and_its_cuti_bersama_are_days_off(self):
        for day in (18, 19, 20, 23, 24):
            self.assertFalse(workdays.is_working_day(dt.date(2026, 3, day)), day)
        self.assertTrue(workdays.is_working_day(dt.date(2026, 3, 25)))

    def test_three_working_days_across_idul_fitri(self):
        # Submitted Tuesday 17 March 2026; 18–24 March are holidays, leave and a weekend.
        due = workdays.add_working_days(at(2026, 3, 17, 10, 0), 3)
        self.assertEqual(timezone.localtime(due), at(2026, 3, 27, 23, 59, 59))

    def test_deadline_across_the_year_end(self):
        # 24 Dec cuti bersama, 25 Dec Christmas, weekend, 1 Jan 2027 New Year.
        self.assertEqual(
            timezone.localtime(workdays.add_working_days(at(2026, 12, 23, 9), 3)), at(2026, 12, 30, 23, 59, 59)
        )
        self.assertEqual(
            timezone.localtime(workdays.add_working_days(at(2026, 12, 23, 9), 5)), at(2027, 1, 4, 23, 59, 59)
        )

    def test_a_local_holiday_entered_by_the_administrator_moves_deadlines(self):
        before = workdays.add_working_days(at(2026, 11, 30, 9), 1)
        CalendarEntry.objects.create(date=dt.date(2026, 12, 1), name="Hari jadi Kota Blitar (contoh)")
        after = workdays.add_working_days(at(2026, 11, 30, 9), 1)
        self.assertEqual(timezone.localtime(before).date(), dt.date(2026, 12, 1))
        self.assertEqual(timezone.localtime(after).date(), dt.date(2026, 12, 2))

    def test_a_declared_working_day_overrides_the_library(self):
        CalendarEntry.objects.create(date=dt.date(2026, 3, 23), kind=CalendarEntry.Kind.WORKING_DAY, name="Koreksi")
        self.assertTrue(workdays.is_working_day(dt.date(2026, 3, 23)))

    def test_working_days_between_counts_days_after_the_start(self):
        self.assertEqual(workdays.working_days_between(at(2026, 11, 27, 9), at(2026, 12, 4, 9)), 5)
        self.assertEqual(workdays.working_days_between(at(2026, 12, 4, 9), at(2026, 11, 27, 9)), 0)


class ReportDeadlineTests(AduanTestCase):
    def test_verification_deadline_is_three_working_days_after_receipt(self):
        with time_machine.travel(at(2026, 3, 17, 10), tick=False):
            report = self.make_report()
        self.assertEqual(timezone.localtime(report.due_at), at(2026, 3, 27, 23, 59, 59))

    def test_category_can_override_the_verification_limit(self):
        self.category.verify_days = 1
        self.category.save()
        with time_machine.travel(at(2026, 11, 30, 10), tick=False):
            report = self.make_report()
        self.assertEqual(timezone.localtime(report.due_at).date(), dt.date(2026, 12, 1))

    def test_the_clock_stops_while_the_report_is_on_hold(self):
        with time_machine.travel(at(2026, 11, 30, 9), tick=False):  # Monday
            report = self.make_report()
            actions.hold_report(report, actor=self.coordinator, question="Di RT berapa tepatnya?")
        self.assertEqual(timezone.localtime(report.due_at).date(), dt.date(2026, 12, 3))
        with time_machine.travel(at(2026, 12, 7, 9), tick=False):  # a week later: 5 working days on hold
            report = actions.reply_as_reporter(report, actor=factory.reporter_of(report), message="RT 02 RW 05")
        self.assertEqual(timezone.localtime(report.due_at).date(), dt.date(2026, 12, 10))
        self.assertEqual(report.events.last().data["paused_working_days"], 5)

    def test_disposition_deadlines_follow_the_resolution_class(self):
        with time_machine.travel(at(2026, 11, 30, 9), tick=False):
            report = factory.make_verified(self.coordinator, category=self.category)
            actions.classify_report(report, actor=self.coordinator, resolution_class="coordination")
            report = actions.dispose_report(report, actor=self.coordinator, lead_agency=self.transport)
        disposition = report.dispositions.get()
        self.assertEqual(timezone.localtime(disposition.follow_up_due_at).date(), dt.date(2026, 12, 7))
        # 14 working days from Monday 30 Nov, with 24 and 25 Dec off: Friday 18 Dec.
        self.assertEqual(timezone.localtime(disposition.resolution_due_at).date(), dt.date(2026, 12, 18))

    def test_field_inspection_gets_sixty_calendar_days(self):
        with time_machine.travel(at(2026, 11, 30, 9), tick=False):
            report = factory.make_verified(self.coordinator, category=self.category)
            actions.classify_report(report, actor=self.coordinator, resolution_class="field")
            report = actions.dispose_report(report, actor=self.coordinator, lead_agency=self.transport)
        self.assertEqual(timezone.localtime(report.dispositions.get().resolution_due_at).date(), dt.date(2027, 1, 29))

    def test_information_request_gets_ten_working_days_and_one_extension_of_seven(self):
        with time_machine.travel(at(2026, 11, 30, 9), tick=False):
            report = self.make_report(kind="information_request")
            self.assertEqual(timezone.localtime(report.info_answer_due_at).date(), dt.date(2026, 12, 14))
            report = actions.verify_report(report, actor=self.coordinator)
            report = actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
            self.assertEqual(report.dispositions.get().resolution_due_at, report.info_answer_due_at)
            report = actions.extend_information_request(report, actor=self.pw_liaison, reason="Data di arsip lama.")
        # 7 working days after 14 Dec: 15,16,17,18,21,22,23 → 23 Dec.
        self.assertEqual(timezone.localtime(report.info_answer_due_at).date(), dt.date(2026, 12, 23))
        self.assertEqual(report.dispositions.get().resolution_due_at, report.info_answer_due_at)

    def test_overdue_reports_are_found(self):
        with time_machine.travel(at(2026, 11, 2, 9), tick=False):
            late = self.make_report()
        with time_machine.travel(at(2026, 11, 30, 9), tick=False):
            fresh = self.make_report()
            overdue = set(late.__class__.objects.overdue())
        self.assertIn(late, overdue)
        self.assertNotIn(fresh, overdue)
