"""core.fastinsert: what bulk_create does for new rows (primary keys, foreign keys to rows
inserted just before, auto_now, JSON, dates), by COPY on PostgreSQL and one prepared
INSERT on SQLite; and the ids it takes are not taken again."""

from django.db import transaction
from django.utils import timezone

from core import fastinsert
from reports.models import Report, ReportEvent
from tests.base import AduanTestCase


class FastInsertTests(AduanTestCase):
    def test_rows_their_keys_and_values_as_bulk_create_writes_them(self):
        before = timezone.now()
        existing = self.make_report()
        received = timezone.now() - timezone.timedelta(days=3)
        reports = [
            Report(
                tracking_number=f"FAST-{i}",
                description=f"Jalan rusak nomor {i}",
                channel="lapor",
                category=self.category,
                received_at=received,
                reporter_name="Budi",
            )
            for i in range(3)
        ]
        events = [
            ReportEvent(report=report, action="submitted", to_status="received", data={"bulk": True, "n": i})
            for i, report in enumerate(reports)
        ]
        with transaction.atomic():
            fastinsert.insert(reports)
            fastinsert.insert(events)

        self.assertTrue(all(report.pk > existing.pk for report in reports))
        self.assertEqual(len({report.pk for report in reports}), 3)
        self.assertFalse(any(report._state.adding for report in reports))
        stored = Report.objects.get(pk=reports[1].pk)
        self.assertEqual(stored.tracking_number, "FAST-1")
        self.assertEqual(stored.category, self.category)
        self.assertEqual(stored.received_at, received)
        self.assertGreaterEqual(stored.created_at, before)  # auto_now_add
        self.assertGreaterEqual(stored.updated_at, before)  # auto_now
        event = ReportEvent.objects.get(pk=events[2].pk)
        self.assertEqual((event.report_id, event.data), (reports[2].pk, {"bulk": True, "n": 2}))

        # The ids taken are past: a row saved the ordinary way afterwards gets a new one.
        later = self.make_report()
        self.assertGreater(later.pk, max(report.pk for report in reports))

    def test_the_first_rows_of_an_empty_table(self):
        ReportEvent.objects.all().delete()
        Report.objects.all().delete()
        with transaction.atomic():
            [report] = fastinsert.insert([Report(tracking_number="FAST-A", description="Sampah", channel="lapor")])
        self.assertEqual(Report.objects.get(pk=report.pk).tracking_number, "FAST-A")
        self.assertGreater(self.make_report().pk, report.pk)

    def test_nothing_to_insert_is_no_query(self):
        with self.assertNumQueries(0):
            self.assertEqual(fastinsert.insert([]), [])
