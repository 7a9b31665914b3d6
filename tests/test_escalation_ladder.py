"""The escalation ladder: a reminder before the deadline to the agency's staff, the agency
head once it is overdue, the coordinator (and the executives' digest) once it is overdue
by more working days; in order, on working days, once each — even with two workers. A
report's own deadlines (verification, objection answer) climb to the coordinators and the
executives' digest the same way."""

import datetime as dt
import unittest

import time_machine
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import TransactionTestCase

from agencies.models import Role
from core import workdays
from core.models import CalendarEntry
from escalation import ladder
from escalation.models import Escalation, EscalationRule, Level, Step
from notify.models import OutboxMessage
from reports import actions
from reports.models import Disposition, Kind, Report, ReportEvent, Status
from tests import factory
from tests.base import AduanTestCase, at_once


def wib(year, month, day, hour=7, minute=0):
    """A local (WIB, UTC+7) moment."""
    return dt.datetime(year, month, day, hour - 7, minute, tzinfo=dt.UTC)


# The deadline: the end of Thursday 2 April 2026. Friday 3 April is Good Friday (a national
# holiday), then a weekend; Monday 6 April is the first working day after the deadline.
DEADLINE_DAY = dt.date(2026, 4, 2)
START = wib(2026, 3, 30)  # Monday: the report is disposed


# The message templates and ladder rules the migrations seed are there in every test: after
# a TransactionTestCase flushed them, tests/conftest.py (_seeded_after_flush) puts them back.


class LadderCase(AduanTestCase):
    """The base personas with an email address each; the ladder run at a moment."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user in (cls.coordinator, cls.pw_liaison, cls.pw_operator, cls.pw_head, cls.executive):
            user.email = f"{user.username}@blitarkota.go.id"
            user.save(update_fields=["email"])

    def run_on(self, moment):
        with time_machine.travel(moment, tick=False):
            return ladder.run_ladder()


@time_machine.travel(START, tick=False)
class LadderTests(LadderCase):
    def disposed(self, agency=None, **overrides):
        report = factory.make_disposed(
            self.coordinator, agency or self.public_works, category=self.category, **overrides
        )
        Disposition.objects.filter(report=report).update(
            follow_up_due_at=workdays.end_of_day(DEADLINE_DAY),
            resolution_due_at=workdays.end_of_day(dt.date(2026, 6, 30)),
        )
        return report

    def fired(self, report):
        return list(
            Escalation.objects.filter(disposition__report=report)
            .order_by("fired_at", "level")
            .values_list("step", "level")
        )

    def test_the_ladder_climbs_in_order_across_a_holiday_and_a_weekend_once_each(self):
        report = self.disposed()
        days = {
            wib(2026, 3, 31): [],  # Tuesday: two working days before, too early
            wib(2026, 4, 1): [(Step.FOLLOW_UP, Level.REMINDER)],  # Wednesday: one working day before
            wib(2026, 4, 2): [],  # Thursday, the deadline day: already reminded
            wib(2026, 4, 3): [],  # Good Friday: nobody is told on a holiday
            wib(2026, 4, 4): [],  # Saturday
            wib(2026, 4, 5): [],  # Sunday
            wib(2026, 4, 6): [(Step.FOLLOW_UP, Level.OVERDUE)],  # Monday: overdue by one working day
            wib(2026, 4, 7): [(Step.FOLLOW_UP, Level.ESCALATED)],  # Tuesday: overdue by two
            wib(2026, 4, 8): [],  # Wednesday: nothing left to fire
        }
        seen = []
        for moment, expected in days.items():
            for _twice in range(2):  # a second run the same morning fires nothing more
                self.run_on(moment)
            seen += expected
            self.assertEqual(self.fired(report), seen, moment)
        events = list(report.events.filter(action="escalated").order_by("created_at"))
        self.assertEqual([e.data["level"] for e in events], [1, 2, 3])
        self.assertTrue(all(not e.is_public and e.actor_role == "system" for e in events))
        self.assertEqual(events[1].created_at, wib(2026, 4, 6))

    def test_each_rung_tells_its_own_people_through_the_outbox(self):
        report = self.disposed()
        for moment in (wib(2026, 4, 1), wib(2026, 4, 6), wib(2026, 4, 7)):
            self.run_on(moment)
        sent = set(OutboxMessage.objects.filter(report=report).values_list("template_code", "user__username"))
        self.assertEqual(
            sent,
            {
                ("escalation_reminder", "penghubung_pupr"),
                ("escalation_reminder", "operator_pupr"),
                ("escalation_overdue", "kepala_pupr"),
                ("escalation_coordinator", "koordinator"),
            },
        )
        [head] = self.assertQueued(template="escalation_overdue")
        self.assertIn(report.tracking_number, head.subject)
        self.assertNotIn("Siti", head.body)  # never the reporter's identity
        self.assertNotIn("081234567890", head.body)

    def test_a_confidential_reports_text_stays_out_of_the_messages(self):
        report = self.disposed(is_confidential=True, description="Pungli oleh oknum petugas parkir di pasar.")
        self.run_on(wib(2026, 4, 6))
        body = OutboxMessage.objects.get(template_code="escalation_overdue").body
        self.assertIn(report.tracking_number, body)
        self.assertNotIn("Pungli", body)
        self.assertIn("RAHASIA", body)

    def test_the_executives_digest_lists_escalated_work_once(self):
        report = self.disposed()
        for moment in (wib(2026, 4, 6), wib(2026, 4, 7)):
            self.run_on(moment)
        with time_machine.travel(wib(2026, 4, 7, 7, 30), tick=False):
            self.assertEqual(ladder.send_executive_digest(), 1)
            self.assertEqual(ladder.send_executive_digest(), 0)  # already digested
        [digest] = self.assertQueued(template="escalation_digest")
        self.assertEqual(digest.user, self.executive)
        self.assertIn(report.tracking_number, digest.body)
        self.assertIn("terlambat 2 hari kerja", digest.body)

    def test_an_administrators_local_holiday_also_stops_the_ladder(self):
        report = self.disposed()
        CalendarEntry.objects.create(date=dt.date(2026, 4, 6), name="Hari jadi kota", kind=CalendarEntry.Kind.HOLIDAY)
        workdays.calendar_changed()
        self.assertEqual(self.run_on(wib(2026, 4, 6)), 0)
        self.run_on(wib(2026, 4, 7))  # overdue by one working day (Tuesday) only
        self.assertEqual(self.fired(report), [(Step.FOLLOW_UP, Level.OVERDUE)])

    def test_the_rules_are_configurable_per_step(self):
        report = self.disposed()
        EscalationRule.objects.filter(step=Step.FOLLOW_UP).update(remind_days_before=3, escalate_after_days=1)
        self.run_on(wib(2026, 3, 30))  # Monday: three working days before Thursday
        self.run_on(wib(2026, 4, 6))  # Monday after: overdue by one working day → head and coordinator
        self.assertEqual(
            self.fired(report),
            [(Step.FOLLOW_UP, Level.REMINDER), (Step.FOLLOW_UP, Level.OVERDUE), (Step.FOLLOW_UP, Level.ESCALATED)],
        )
        EscalationRule.objects.filter(step=Step.RESOLUTION).update(is_active=False)
        Disposition.objects.filter(report=report).update(resolution_due_at=workdays.end_of_day(dt.date(2026, 4, 1)))
        self.run_on(wib(2026, 4, 8))
        self.assertFalse(Escalation.objects.filter(step=Step.RESOLUTION).exists())

    def test_work_that_is_followed_up_or_finished_does_not_climb(self):
        report = self.disposed()
        disposition = report.dispositions.get()
        from reports import actions

        with time_machine.travel(wib(2026, 3, 31), tick=False):
            actions.post_follow_up(disposition, actor=self.pw_liaison, message="Sudah kami cek ke lokasi.")
        self.run_on(wib(2026, 4, 6))
        self.assertEqual(self.fired(report), [])  # the first follow-up came in time
        with time_machine.travel(wib(2026, 4, 6, 9), tick=False):
            disposition.refresh_from_db()
            actions.finish_disposition(disposition, actor=self.pw_liaison, message="Lampu sudah diganti.")
        Disposition.objects.filter(pk=disposition.pk).update(resolution_due_at=workdays.end_of_day(DEADLINE_DAY))
        self.run_on(wib(2026, 4, 8))
        self.assertEqual(self.fired(report), [])

    def test_the_scheduler_runs_the_ladder_and_the_digest_every_morning(self):
        self.assertEqual(settings.ADUAN_SCHEDULE["escalation-ladder"]["task"], "escalation.tasks.run_ladder")
        self.assertEqual(settings.ADUAN_SCHEDULE["escalation-digest"]["task"], "escalation.tasks.send_executive_digest")
        # The ladder replaces the old daily digest of due work.
        self.assertNotIn("remind-due-work", settings.ADUAN_SCHEDULE)


# The report's own deadlines, held by the coordinators.
UNIT_SENT = {
    Level.REMINDER: "escalation_unit_reminder",
    Level.OVERDUE: "escalation_unit_overdue",
    Level.ESCALATED: "escalation_unit_escalated",
}


@time_machine.travel(START, tick=False)
class ReportStepLadderTests(LadderCase):
    def received(self, **overrides):
        report = factory.make_report(category=self.category, **overrides)
        Report.objects.filter(pk=report.pk).update(due_at=workdays.end_of_day(DEADLINE_DAY))
        return report

    def in_objection(self, **overrides):
        report = factory.make_resolved(
            self.coordinator, self.public_works, self.pw_liaison, kind=Kind.INFORMATION_REQUEST, **overrides
        )
        report = actions.file_objection(
            report, actor=factory.reporter_of(report), reason="Informasi yang diberikan tidak lengkap."
        )
        Report.objects.filter(pk=report.pk).update(objection_due_at=workdays.end_of_day(DEADLINE_DAY))
        return report

    def fired(self, report):
        return list(
            Escalation.objects.filter(report=report).order_by("fired_at", "level").values_list("step", "round", "level")
        )

    def climb(self, report, step):
        """Run the ladder twice each morning from Tuesday 31 March to Wednesday 8 April;
        the rungs must appear on their days, in order, once each."""
        days = {
            wib(2026, 3, 31): [],  # two working days before: too early
            wib(2026, 4, 1): [(step, 0, Level.REMINDER)],  # one working day before
            wib(2026, 4, 2): [],  # the deadline day: already reminded
            wib(2026, 4, 3): [],  # Good Friday
            wib(2026, 4, 4): [],  # Saturday
            wib(2026, 4, 5): [],  # Sunday
            wib(2026, 4, 6): [(step, 0, Level.OVERDUE)],  # overdue by one working day
            wib(2026, 4, 7): [(step, 0, Level.ESCALATED)],  # overdue by two
            wib(2026, 4, 8): [],
        }
        seen = []
        for moment, expected in days.items():
            for _twice in range(2):
                self.run_on(moment)
            seen += expected
            self.assertEqual(self.fired(report), seen, moment)

    def assert_told_the_coordinators_only(self, report):
        sent = sorted(
            OutboxMessage.objects.filter(report=report, template_code__startswith="escalation_").values_list(
                "template_code", "user__username"
            )
        )
        self.assertEqual(sent, sorted((code, "koordinator") for code in UNIT_SENT.values()))

    def test_the_verification_ladder_climbs_to_the_coordinators_across_a_holiday_once_each(self):
        report = self.received()
        self.climb(report, Step.VERIFICATION)
        events = list(report.events.filter(action="escalated").order_by("created_at"))
        self.assertEqual(
            [(e.data["step"], e.data["level"]) for e in events],
            [("verification", 1), ("verification", 2), ("verification", 3)],
        )
        self.assertTrue(all(not e.is_public and e.actor_role == "system" and e.disposition_id is None for e in events))
        self.assertEqual(events[1].created_at, wib(2026, 4, 6))
        self.assert_told_the_coordinators_only(report)
        [overdue] = self.assertQueued(report=report, template="escalation_unit_overdue")
        self.assertIn("TERLAMBAT", overdue.body)  # level 2 says it is overdue
        self.assertIn("verifikasi dan disposisi", overdue.body)
        self.assertNotIn("Siti", overdue.body)  # never the reporter's identity
        self.assertNotIn("081234567890", overdue.body)
        self.assertNotIn("siti@example.org", overdue.body)

    def test_a_verified_report_waiting_for_disposition_climbs_too_but_not_once_disposed(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        Report.objects.filter(pk=report.pk).update(due_at=workdays.end_of_day(DEADLINE_DAY))
        self.run_on(wib(2026, 4, 6))
        self.assertEqual(self.fired(report), [(Step.VERIFICATION, 0, Level.OVERDUE)])
        with time_machine.travel(wib(2026, 4, 6, 9), tick=False):
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        self.run_on(wib(2026, 4, 7))
        self.assertEqual(self.fired(report), [(Step.VERIFICATION, 0, Level.OVERDUE)])

    def test_the_objection_ladder_climbs_to_the_coordinators_once_each(self):
        report = self.in_objection()
        self.climb(report, Step.OBJECTION)
        self.assert_told_the_coordinators_only(report)
        [escalated] = self.assertQueued(report=report, template="escalation_unit_escalated")
        self.assertIn("tanggapan atas keberatan", escalated.body)
        self.assertIn("terlambat 2 hari kerja", escalated.body)

    def test_a_confidential_reports_text_stays_out_of_the_coordinators_messages(self):
        report = self.received(is_confidential=True, description="Pungli oleh oknum petugas parkir di pasar.")
        self.run_on(wib(2026, 4, 6))
        body = OutboxMessage.objects.get(report=report, template_code="escalation_unit_overdue").body
        self.assertIn(report.tracking_number, body)
        self.assertIn(str(self.category), body)
        self.assertNotIn("Pungli", body)
        self.assertIn("RAHASIA", body)

    def test_a_report_on_hold_does_not_climb_and_the_shifted_deadline_fires_each_rung_once(self):
        report = self.received()
        self.run_on(wib(2026, 4, 1))  # reminded
        with time_machine.travel(wib(2026, 4, 1, 9), tick=False):
            report = actions.hold_report(report, actor=self.coordinator, question="Di depan pasar yang mana?")
        self.run_on(wib(2026, 4, 6))  # the clock is paused: nothing
        self.run_on(wib(2026, 4, 7))
        self.assertEqual(self.fired(report), [(Step.VERIFICATION, 0, Level.REMINDER)])
        with time_machine.travel(wib(2026, 4, 7, 9), tick=False):
            actions.reply_as_reporter(report, actor=factory.reporter_of(report), message="Pasar Legi.")
        report.refresh_from_db()
        self.assertGreater(report.due_at, workdays.end_of_day(DEADLINE_DAY))  # moved later
        late = workdays.add_working_days(report.due_at, 2)
        for _twice in range(2):
            self.run_on(late)
        self.assertEqual(
            self.fired(report),
            [
                (Step.VERIFICATION, 0, Level.REMINDER),
                (Step.VERIFICATION, 0, Level.OVERDUE),
                (Step.VERIFICATION, 0, Level.ESCALATED),
            ],
        )

    def test_a_report_returned_by_its_agency_climbs_the_verification_ladder_afresh(self):
        report = self.received()
        self.run_on(wib(2026, 4, 7))  # overdue and escalated, round 0
        with time_machine.travel(wib(2026, 4, 7, 9), tick=False):
            report = actions.verify_report(report, actor=self.coordinator)
            report = actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
            actions.return_disposition(report.dispositions.get(), actor=self.pw_liaison, reason="Bukan wewenang kami.")
        report.refresh_from_db()
        self.assertEqual(report.status, Status.VERIFIED)
        Report.objects.filter(pk=report.pk).update(due_at=workdays.end_of_day(dt.date(2026, 4, 8)))
        for _twice in range(2):
            self.run_on(wib(2026, 4, 9))
        self.assertEqual(
            self.fired(report),
            [
                (Step.VERIFICATION, 0, Level.OVERDUE),
                (Step.VERIFICATION, 0, Level.ESCALATED),
                (Step.VERIFICATION, 1, Level.OVERDUE),
            ],
        )

    def test_the_executives_digest_lists_the_coordinators_late_reports(self):
        report = self.received()
        self.run_on(wib(2026, 4, 7))
        with time_machine.travel(wib(2026, 4, 7, 7, 30), tick=False):
            self.assertEqual(ladder.send_executive_digest(), 1)
            self.assertEqual(ladder.send_executive_digest(), 0)
        [digest] = self.assertQueued(template="escalation_digest")
        self.assertEqual(digest.user, self.executive)
        self.assertIn(f"{report.tracking_number} ({self.category}, koordinator): verifikasi dan disposisi", digest.body)
        self.assertIn("terlambat 2 hari kerja", digest.body)
        self.assertIn("tenggat tereskalasi", digest.subject)

    def test_the_rules_of_the_report_steps_are_seeded_and_configurable(self):
        self.assertEqual(
            set(EscalationRule.objects.values_list("step", "remind_days_before", "escalate_after_days")),
            {(step, 1, 2) for step in Step.values},
        )
        report = self.received()
        EscalationRule.objects.filter(step=Step.VERIFICATION).update(remind_days_before=0, escalate_after_days=1)
        self.run_on(wib(2026, 4, 1))  # no reminder
        self.run_on(wib(2026, 4, 6))  # overdue by one working day: both rungs
        self.assertEqual(
            self.fired(report), [(Step.VERIFICATION, 0, Level.OVERDUE), (Step.VERIFICATION, 0, Level.ESCALATED)]
        )
        other = self.received()
        EscalationRule.objects.filter(step=Step.VERIFICATION).update(is_active=False)
        self.run_on(wib(2026, 4, 8))
        self.assertEqual(self.fired(other), [])

    def test_the_database_keeps_each_rung_once(self):
        report = self.received()
        Escalation.objects.create(report=report, step=Step.VERIFICATION, level=Level.OVERDUE, deadline=report.due_at)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Escalation.objects.create(
                report=report, step=Step.VERIFICATION, level=Level.OVERDUE, deadline=report.due_at
            )
        # Another round is another rung.
        Escalation.objects.create(
            report=report, step=Step.VERIFICATION, round=1, level=Level.OVERDUE, deadline=report.due_at
        )
        # A disposition's step needs its disposition; a report's own step has none.
        with self.assertRaises(IntegrityError), transaction.atomic():
            Escalation.objects.create(report=report, step=Step.FOLLOW_UP, level=Level.OVERDUE, deadline=report.due_at)


@unittest.skipUnless(connection.vendor == "postgresql", "needs PostgreSQL: SQLite serialises all writers anyway")
class ConcurrentLadderTests(TransactionTestCase):
    def test_two_workers_running_the_ladder_at_once_fire_each_rung_once(self):
        unit = factory.make_agency("ULPIM", is_complaint_unit=True)
        agency = factory.make_agency("Dinas Lingkungan Hidup")
        coordinator = factory.make_staff(Role.COORDINATOR, unit, "koordinator")
        for role, name in [(Role.LIAISON, "penghubung"), (Role.AGENCY_HEAD, "kepala")]:
            user = factory.make_staff(role, agency, name)
            user.email = f"{name}@blitarkota.go.id"
            user.save()
        coordinator.email = "koordinator@blitarkota.go.id"
        coordinator.save()
        # Monday 30 November 2026, 07:00 WIB; the deadlines passed ten days before.
        now = wib(2026, 11, 30)
        reports = [factory.make_disposed(coordinator, agency) for _ in range(5)]
        Disposition.objects.update(
            follow_up_due_at=now - dt.timedelta(days=10), resolution_due_at=now + dt.timedelta(days=30)
        )
        # And three reports the coordinators have not verified, their deadline as long past.
        waiting = [factory.make_report() for _ in range(3)]
        Report.objects.filter(pk__in=[r.pk for r in waiting]).update(due_at=now - dt.timedelta(days=10))
        results, errors = at_once(lambda: ladder.run_ladder(now=now))
        self.assertEqual(errors, [])
        # Overdue and escalated for each of the eight reports, fired by one worker or the other.
        self.assertEqual(sum(results), 16)
        self.assertEqual(Escalation.objects.count(), 16)
        self.assertEqual(ReportEvent.objects.filter(action="escalated").count(), 16)
        for report in reports:
            self.assertEqual(
                sorted(
                    OutboxMessage.objects.filter(report=report, template_code__startswith="escalation_").values_list(
                        "template_code", flat=True
                    )
                ),
                ["escalation_coordinator", "escalation_overdue"],
            )
        for report in waiting:
            self.assertEqual(
                sorted(
                    OutboxMessage.objects.filter(report=report, template_code__startswith="escalation_").values_list(
                        "template_code", flat=True
                    )
                ),
                ["escalation_unit_escalated", "escalation_unit_overdue"],
            )
