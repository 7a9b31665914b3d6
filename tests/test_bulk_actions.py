"""reports.actions.apply_to_each: one action on many reports, each on its own."""

from core.errors import DomainError
from reports import actions
from reports.models import Status
from tests import factory
from tests.base import AduanTestCase


class ApplyToEachTests(AduanTestCase):
    def test_refusals_are_kept_with_their_reason_and_the_others_are_done(self):
        received = self.make_report()
        disposed = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        verified = factory.make_verified(self.coordinator, category=self.category)
        outcomes = actions.apply_to_each(
            [received, disposed, verified], actions.archive_report, actor=self.coordinator, reason="spam"
        )
        self.assertEqual([o.done for o in outcomes], [True, False, True])
        self.assertEqual(outcomes[1].reason, "Tindakan ini tidak dapat dilakukan pada status laporan saat ini.")
        self.assertEqual(outcomes[0].report.status, Status.ARCHIVED)
        for report, archived in ((received, 1), (disposed, 0), (verified, 1)):
            self.assertEqual(report.events.filter(action="archived").count(), archived)

    def test_a_refusal_rolls_back_only_its_own_report(self):
        first, second = self.make_report(), self.make_report()
        real_archive = actions.archive_report

        def refuse_after_writing(report, **kwargs):
            done = real_archive(report, **kwargs)
            if report.pk == second.pk:
                raise DomainError("Ditolak setelah menulis.")
            return done

        outcomes = actions.apply_to_each([first, second], refuse_after_writing, actor=self.coordinator, reason="spam")
        self.assertEqual([o.done for o in outcomes], [True, False])
        second.refresh_from_db()
        self.assertEqual(second.status, Status.RECEIVED)  # what it wrote before refusing is gone
        self.assertFalse(second.events.filter(action="archived").exists())
        first.refresh_from_db()
        self.assertEqual(first.status, Status.ARCHIVED)

    def test_an_error_that_is_not_a_refusal_stops_the_loop(self):
        reports = [self.make_report(), self.make_report()]
        seen = []

        def broken(report, **kwargs):
            seen.append(report.pk)
            raise RuntimeError("disk")

        with self.assertRaises(RuntimeError):
            actions.apply_to_each(reports, broken, actor=self.coordinator)
        self.assertEqual(seen, [reports[0].pk])
