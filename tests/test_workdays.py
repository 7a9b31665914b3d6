import datetime as dt

import time_machine
from django.test import TestCase
from django.utils import timezone

from core import workdays
from core.errors import InvalidTransition
from core.models import CalendarEntry
from reports import actions
from reports.models import Report
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

    def test_working_days_between_counts_the_end_day_and_not_the_start_day(self):
        cases = {
            # (start, end): working days d with start's day < d <= end's day, counted by hand
            (at(2026, 11, 28, 9), at(2026, 11, 30, 9)): 1,  # Saturday → Monday: the Monday
            (at(2026, 12, 4, 9), at(2026, 12, 5, 9)): 0,  # Friday → Saturday: nothing after Friday
            (at(2026, 11, 27, 9), at(2026, 11, 30, 9)): 1,  # Friday → Monday
            (at(2026, 11, 30, 8), at(2026, 11, 30, 17)): 0,  # the same day
            (at(2026, 11, 30, 9), at(2026, 12, 4, 9)): 4,  # Monday → Friday
            (at(2026, 12, 23, 9), at(2026, 12, 28, 9)): 1,  # 24 Dec leave, 25 Dec Christmas, weekend
        }
        for (start, end), expected in cases.items():
            with self.subTest(start=start.date(), end=end.date()):
                self.assertEqual(workdays.working_days_between(start, end), expected)


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

    def test_the_objection_window_is_thirty_working_days_after_the_answer(self):
        # Answered Monday 2 March 2026. Counted by hand: 3–6 Mar (4), 9–13 (9), 16–17 (11);
        # 18 Mar Nyepi leave, 19 Nyepi, 20 and 23–24 Idul Fitri leave, 21–22 Idul Fitri;
        # 25–27 (14), 30–31 (16), 1–2 Apr (18); 3 Apr Good Friday; 6–10 (23), 13–17 (28),
        # 20 (29), Tuesday 21 April (30). An objection on 21 April is in time, the next day not.
        with time_machine.travel(at(2026, 3, 2, 10), tick=False):
            in_time = factory.make_resolved(
                self.coordinator, self.public_works, self.pw_liaison, kind="information_request"
            )
            late = factory.make_resolved(
                self.coordinator, self.public_works, self.pw_liaison, kind="information_request"
            )
        with time_machine.travel(at(2026, 4, 21, 23, 30), tick=False):
            actions.file_objection(in_time, actor=factory.reporter_of(in_time), reason="Data tidak lengkap.")
        with time_machine.travel(at(2026, 4, 22, 0, 0, 30), tick=False), self.assertRaises(InvalidTransition):
            actions.file_objection(late, actor=factory.reporter_of(late), reason="Data tidak lengkap.")
        late.refresh_from_db()
        self.assertEqual(late.status, "resolved")

    def test_an_objection_is_answered_within_thirty_working_days(self):
        # Filed Tuesday 21 April 2026. Counted by hand: 22–24 Apr (3), 27–30 (7); 1 May
        # Labour Day; 4–8 (12), 11–13 (15); 14 May Ascension, 15 its leave; 18–22 (20),
        # 25–26 (22); 27 Idul Adha, 28 its leave; 29 (23); 1 June Pancasila; 2–5 (27),
        # 8, 9 and Wednesday 10 June (30).
        with time_machine.travel(at(2026, 4, 20, 10), tick=False):
            report = factory.make_resolved(
                self.coordinator, self.public_works, self.pw_liaison, kind="information_request"
            )
        with time_machine.travel(at(2026, 4, 21, 15), tick=False):
            report = actions.file_objection(report, actor=factory.reporter_of(report), reason="Data tidak lengkap.")
        self.assertEqual(timezone.localtime(report.objection_due_at), at(2026, 6, 10, 23, 59, 59))
        with time_machine.travel(at(2026, 6, 10, 23, 59), tick=False):
            self.assertNotIn(report, Report.objects.overdue())
        with time_machine.travel(at(2026, 6, 11, 0, 0, 30), tick=False):
            self.assertIn(report, Report.objects.overdue())

    def test_a_resolved_report_closes_by_itself_after_ten_working_days(self):
        # Resolved Friday 11 December 2026: 14–18 Dec (5), 21–23 (8); 24 Dec leave, 25
        # Christmas; 28, 29 (10). It closes after Tuesday 29 December, not before.
        with time_machine.travel(at(2026, 12, 11, 14), tick=False):
            report = factory.make_resolved(self.coordinator, self.public_works, self.pw_liaison)
        self.assertEqual(timezone.localtime(report.autoclose_due_at), at(2026, 12, 29, 23, 59, 59))
        with time_machine.travel(at(2026, 12, 29, 23, 59), tick=False):
            self.assertEqual(actions.auto_close_due_reports(), 0)
        with time_machine.travel(at(2026, 12, 30, 0, 1), tick=False):
            self.assertEqual(actions.auto_close_due_reports(), 1)
        report.refresh_from_db()
        self.assertEqual(report.status, "closed")

    def test_overdue_reports_are_found(self):
        with time_machine.travel(at(2026, 11, 2, 9), tick=False):
            late = self.make_report()
        with time_machine.travel(at(2026, 11, 30, 9), tick=False):
            fresh = self.make_report()
            overdue = set(late.__class__.objects.overdue())
        self.assertIn(late, overdue)
        self.assertNotIn(fresh, overdue)
