"""The morning digest of dispositions due within a working day or overdue, and the outbox's
entries in the schedule."""

import datetime as dt

import time_machine
from django.conf import settings
from django.utils.module_loading import import_string

from notify import tasks
from notify.models import OutboxMessage
from reports.models import Disposition
from tests import factory
from tests.base import AduanTestCase

# Tuesday 10 March 2026, 07:00 in Blitar (WIB, UTC+7): an ordinary working day.
MORNING = dt.datetime(2026, 3, 10, 0, 0, tzinfo=dt.UTC)


@time_machine.travel(MORNING, tick=False)
class RemindDueWorkTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user in (cls.coordinator, cls.pw_liaison, cls.pw_operator, cls.pw_head, cls.transport_liaison):
            user.email = f"{user.username}@blitarkota.go.id"
            user.save(update_fields=["email"])

    def disposed(self, agency, *, follow_up_in, **overrides):
        overrides.setdefault("category", self.category)
        report = factory.make_disposed(self.coordinator, agency, **overrides)
        Disposition.objects.filter(report=report).update(
            follow_up_due_at=MORNING + follow_up_in, resolution_due_at=MORNING + dt.timedelta(days=30)
        )
        return report

    def digests(self):
        return OutboxMessage.objects.filter(template_code__startswith="staff_work_")

    def test_each_agency_staff_member_gets_one_digest_of_overdue_and_soon_due_work(self):
        soon = self.disposed(self.public_works, follow_up_in=dt.timedelta(hours=20))
        late = self.disposed(self.public_works, follow_up_in=-dt.timedelta(days=2))
        later = self.disposed(self.public_works, follow_up_in=dt.timedelta(days=10))
        elsewhere = self.disposed(self.transport, follow_up_in=dt.timedelta(days=10))

        tasks.remind_due_work.call()

        self.assertEqual(
            set(self.digests().values_list("user__username", "template_code", "channel")),
            {
                ("penghubung_pupr", "staff_work_overdue", "email"),
                ("operator_pupr", "staff_work_overdue", "email"),
                ("kepala_pupr", "staff_work_overdue", "email"),
            },
        )
        liaison = self.digests().get(user=self.pw_liaison)
        self.assertEqual(liaison.recipient, "penghubung_pupr@blitarkota.go.id")
        self.assertIn("1 disposisi terlambat, 1 segera jatuh tempo", liaison.subject)
        for report in (soon, late):
            self.assertIn(report.tracking_number, liaison.body)
        for report in (later, elsewhere):
            self.assertNotIn(report.tracking_number, liaison.body)
        # The agency head hears of the overdue work only.
        head = self.digests().get(user=self.pw_head)
        self.assertIn(late.tracking_number, head.body)
        self.assertNotIn(soon.tracking_number, head.body)

    def test_only_soon_due_work_uses_the_due_soon_template(self):
        soon = self.disposed(self.public_works, follow_up_in=dt.timedelta(hours=20))

        tasks.remind_due_work.call()

        liaison = self.digests().get(user=self.pw_liaison)
        self.assertEqual(liaison.template_code, "staff_work_due_soon")
        self.assertIn("1 disposisi segera jatuh tempo (10 Maret 2026)", liaison.subject)
        self.assertIn(soon.tracking_number, liaison.body)
        self.assertFalse(self.digests().filter(user=self.pw_head).exists())

    def test_a_second_run_the_same_day_queues_nothing_and_the_next_day_queues_again(self):
        self.disposed(self.public_works, follow_up_in=-dt.timedelta(hours=1))
        tasks.remind_due_work.call()
        first = self.digests().count()
        self.assertEqual(first, 3)

        tasks.remind_due_work.call()
        self.assertEqual(self.digests().count(), first)

        with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):
            tasks.remind_due_work.call()
        self.assertEqual(self.digests().count(), 2 * first)

    def test_the_digest_carries_no_report_text(self):
        report = self.disposed(
            self.public_works,
            follow_up_in=-dt.timedelta(hours=1),
            is_confidential=True,
            description="Pungutan liar oleh oknum petugas parkir.",
        )
        tasks.remind_due_work.call()
        body = self.digests().get(user=self.pw_liaison).body
        self.assertIn(report.tracking_number, body)
        self.assertIn(self.category.name, body)
        self.assertNotIn("Pungutan", body)

    def test_finished_or_returned_work_is_not_reminded(self):
        done = self.disposed(self.public_works, follow_up_in=-dt.timedelta(hours=1))
        Disposition.objects.filter(report=done).update(state="done")
        self.assertEqual(tasks.remind_due_work.call(), 0)
        self.assertFalse(self.digests().exists())


class ScheduleTests(AduanTestCase):
    def test_the_outbox_sweep_runs_every_minute_and_the_reminders_every_morning(self):
        self.assertEqual(settings.ADUAN_SCHEDULE["deliver-outbox"], {"task": "notify.tasks.deliver_due", "every": 1})
        self.assertEqual(
            settings.ADUAN_SCHEDULE["remind-due-work"], {"task": "notify.tasks.remind_due_work", "at": "07:00"}
        )
        for name in ("deliver-outbox", "remind-due-work"):
            self.assertEqual(type(import_string(settings.ADUAN_SCHEDULE[name]["task"])).__name__, "Task")
