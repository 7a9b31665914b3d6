"""The monev rollup (monev/rollup.py, monev/sums.py): figures read from it equal the figures
computed the old way from the events (tests/monev_reference.py) after many life cycles —
returns, re-dispositions, disputes and second resolutions, holds, ratings, archives —
for several periods and filters; a rebuild from the events gives the rows the events'
own refreshes left; a rolled-back action leaves nothing behind.

The life cycles happen in the ten weeks before today (any date: CI moves the clock)."""

import datetime as dt
import random
from io import StringIO

import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from monev import rollup, sums
from monev.figures import DIMENSIONS, Filter, month_of
from monev.models import DailyRollup, RollupReport
from reports import actions
from reports.actions import ExternalState
from reports.models import Channel, Kind, Status
from tests import factory
from tests import monev_reference as reference
from tests.base import AduanTestCase
from tests.rollup import rebuilt, rows


class RollupTest(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.today = timezone.localdate()
        cls.first = cls.today - dt.timedelta(days=75)
        rng = random.Random(21)
        for i in range(26):
            cls._life(rng, cls.first + dt.timedelta(days=3 * i), i)

    @classmethod
    def _life(cls, rng, day, i):
        now = timezone.now() - dt.timedelta(hours=1)
        clock = {"at": timezone.make_aware(dt.datetime.combine(day, dt.time(9)))}

        def step(days=0, hours=1):
            """Travel ``days`` days (at 9:00 plus the step's hour) or ``hours`` later; False
            once that is in the future (the life stops there)."""
            at = clock["at"] + dt.timedelta(days=days, hours=0 if days else hours)
            if days:
                at = at.replace(hour=9 + rng.randrange(6))
            if at >= now:
                return False
            clock["at"] = at
            return True

        def at():
            return time_machine.travel(clock["at"], tick=False)

        coordinator = cls.coordinator
        agencies = [(cls.public_works, cls.pw_liaison), (cls.transport, cls.transport_liaison)]
        with at():
            report = factory.make_report(
                channel=rng.choice([Channel.WEB, Channel.WHATSAPP]),
                kind=Kind.INFORMATION_REQUEST if i % 5 == 4 else Kind.COMPLAINT,
                category=rng.choice([cls.category, cls.other_category]),
                region=rng.choice([cls.kelurahan, cls.other_kelurahan]),
            )
        if i % 9 == 3:
            if step(rng.randrange(2)):
                with at():
                    actions.archive_report(report, actor=coordinator, reason=rng.choice(["spam", "unclear"]))
            return
        if i % 4 == 1 and step(1):
            with at():
                actions.hold_report(report, actor=coordinator, question="Di sebelah mana tepatnya?")
            if not step(rng.randrange(1, 4)):
                return
            with at():
                actions.reply_as_reporter(report, actor=factory.reporter_of(report), message="Depan pasar.")
        if not step(rng.randrange(0, 5)):
            return
        with at():
            actions.verify_report(report, actor=coordinator)
        for round_ in range(2):
            agency, liaison = rng.choice(agencies)
            if not step(rng.randrange(0, 2)):
                return
            with at():
                actions.dispose_report(report, actor=coordinator, lead_agency=agency)
            if agency == cls.transport and rng.random() < 0.5:
                if not step(rng.randrange(0, 3)):
                    return
                with at():
                    actions.return_disposition(
                        report.dispositions.get(agency=agency, is_active=True), actor=liaison, reason="Bukan wewenang."
                    )
                if not step(hours=2):
                    return
                agency, liaison = agencies[0]
                with at():
                    actions.dispose_report(report, actor=coordinator, lead_agency=agency)
            disposition = report.dispositions.get(agency=agency, is_active=True)
            for _n in range(rng.randrange(1, 3)):
                if not step(rng.randrange(0, 7)):
                    return
                with at():
                    actions.post_follow_up(disposition, actor=liaison, message="Sedang kami tangani.")
            if not step(rng.randrange(0, 9)):
                return
            with at():
                actions.finish_disposition(disposition, actor=liaison, message="Sudah selesai.")
            if not step(rng.randrange(1, 4)):
                return
            report.refresh_from_db()
            if report.rating is None and rng.random() < 0.5:
                with at():
                    actions.rate_report(report, actor=factory.reporter_of(report), rating=rng.randrange(1, 6))
            if round_ == 0 and rng.random() < 0.4:
                if not step(hours=1):
                    return
                with at():
                    actions.dispute_resolution(report, actor=factory.reporter_of(report), reason="Belum beres.")
                continue
            if rng.random() < 0.6 and step(hours=1):
                with at():
                    actions.close_report(report, actor=coordinator)
            return

    def filters(self):
        last_month = month_of(self.today.replace(day=1) - dt.timedelta(days=1))
        month_before = month_of(last_month.start - dt.timedelta(days=1))
        periods = [
            last_month,
            month_before,
            Filter(self.today - dt.timedelta(days=29), self.today),
            Filter(self.first - dt.timedelta(days=3), self.today),
            Filter(self.first + dt.timedelta(days=20), self.first + dt.timedelta(days=26)),
        ]
        scopes = [
            {},
            {"agency": self.public_works.pk},
            {"agency": self.transport.pk},
            {"category": self.category.parent_id},
            {"category": self.other_category.pk, "channel": Channel.WHATSAPP},
            {"kind": Kind.INFORMATION_REQUEST},
            {"kecamatan": self.kecamatan.pk},
            {"kelurahan": self.other_kelurahan.pk, "agency": self.public_works.pk},
        ]
        return [period.with_(**scope) for period in periods for scope in scopes]

    def test_the_history_is_varied_enough_to_mean_something(self):
        whole = reference.compute(Filter(self.first - dt.timedelta(days=3), self.today))
        self.assertGreater(whole.received, 20)
        self.assertGreater(whole.returned, 0)
        self.assertGreater(whole.reopened, 0)
        self.assertGreater(whole.rated, 0)
        self.assertGreater(whole.archived, 0)
        self.assertGreater(whole.backlog_total + whole.on_time["verification"].total, 0)

    def test_figures_from_the_rollup_equal_the_figures_from_the_events(self):
        for flt in self.filters():
            self.assertEqual(sums.compute(flt).as_dict(), reference.compute(flt).as_dict(), flt)

    def test_scorecard_breakdowns_and_trend_equal_the_old_computation(self):
        for flt in self.filters()[::3]:
            mine = {a: f.as_dict() for a, f in sums.compute_by_agency(flt).items()}
            theirs = {a: f.as_dict() for a, f in reference.compute_by_agency(flt).items()}
            self.assertEqual(mine, theirs, flt)
            dimensions = [d for d in DIMENSIONS if not (d == "agency" and flt.agency)]
            mine = {d: {r.value: r.counts for r in rows} for d, rows in sums.breakdowns(flt, dimensions).items()}
            theirs = {d: {r.value: r.counts for r in rows} for d, rows in reference.breakdowns(flt, dimensions).items()}
            self.assertEqual(mine, theirs, flt)
            self.assertEqual(sums.trend(flt, months=4), reference.trend(flt, months=4), flt)

    def test_rebuild_gives_what_the_events_left(self):
        incremental = rows()
        self.assertTrue(incremental)
        out = StringIO()
        call_command("rebuild_monev_rollup", "--batch", "7", stdout=out)
        self.assertIn("26", out.getvalue())
        self.assertEqual(rows(), incremental)
        self.assertEqual(RollupReport.objects.count(), 26)

    def test_refreshing_again_changes_nothing(self):
        before = rows()
        rollup.refresh(RollupReport.objects.values_list("report_id", flat=True))
        self.assertEqual(rows(), before)

    def test_a_rolled_back_action_leaves_the_rollup_as_it_was(self):
        before = rows()
        report = factory.make_report()
        after_submit = rows()
        self.assertNotEqual(after_submit, before)
        with self.assertRaises(RuntimeError), transaction.atomic():
            actions.verify_report(report, actor=self.coordinator)
            raise RuntimeError("cut")
        self.assertEqual(rows(), after_submit)

    def test_the_command_refuses_a_bad_batch(self):
        err = StringIO()
        call_command("rebuild_monev_rollup", "--batch", "0", stderr=err)
        self.assertIn("--batch", err.getvalue())

    def test_reports_submitted_in_bulk_are_in_the_rollup_when_their_batch_commits(self):
        fields = {"description": "Jalan berlubang di depan sekolah.", "reporter_name": "Budi"}
        with transaction.atomic():
            received, disposed = actions.submit_external_reports(
                [
                    (fields, ExternalState(), None),
                    (fields, ExternalState(status=Status.DISPOSED, agency_id=self.public_works.pk), None),
                ],
                source="lapor",
            )
            # Inside the batch's own transaction already.
            self.assertEqual(RollupReport.objects.filter(report__in=[received, disposed]).count(), 2)
        today = Filter(self.today, self.today)
        for flt in (today, today.with_(agency=self.public_works.pk)):
            self.assertEqual(sums.compute(flt).as_dict(), reference.compute(flt).as_dict(), flt)
        self.assertEqual(sums.compute(today.with_(agency=self.public_works.pk)).received, 1)
        self.assertEqual(rows(), rebuilt())


class RollupAfterMigrateTest(AduanTestCase):
    """An installation with reports from before the rollup gets it built by ``migrate``
    (post_migrate), with no step by hand; one that has it is left alone."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for _ in range(3):
            factory.make_report()

    def test_migrate_builds_the_rollup_of_reports_from_before_it(self):
        from django.core.management.sql import emit_post_migrate_signal

        expected = rows()
        self.assertTrue(expected)
        DailyRollup.objects.all().delete()
        RollupReport.objects.all().delete()
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        self.assertEqual(RollupReport.objects.count(), 3)
        self.assertEqual(rows(), expected)

    def test_migrate_leaves_a_kept_rollup_alone(self):
        from django.core.management.sql import emit_post_migrate_signal

        DailyRollup.objects.update(n=0)  # a rollup that exists is not rebuilt by migrate
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        self.assertEqual(rows(), [])


def test_every_measure_name_fits_its_column():
    """PostgreSQL refuses a measure longer than the column (SQLite would store it): the
    longest names are the archive reasons'."""
    from reports.models import ArchiveReason

    longest = max([f"archived:{reason}" for reason in ArchiveReason.values], key=len)
    assert len(longest) <= DailyRollup._meta.get_field("measure").max_length
