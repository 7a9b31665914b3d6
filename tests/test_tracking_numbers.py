"""Tracking numbers stay unique and gapless under concurrent submissions."""

import threading

import pytest
from django.db import connection, connections
from django.test import TransactionTestCase

from reports.models import Report
from tests import factory


@pytest.mark.postgres
class ConcurrentSubmissionTests(TransactionTestCase):
    THREADS = 8
    PER_THREAD = 5

    def setUp(self):
        if connection.vendor != "postgresql":
            pytest.skip("row locks are exercised on PostgreSQL; SQLite serialises writers itself")

    def test_concurrent_submissions_get_unique_gapless_numbers(self):
        errors = []
        barrier = threading.Barrier(self.THREADS)

        def submit_many():
            try:
                barrier.wait()
                for _ in range(self.PER_THREAD):
                    factory.make_report()
            except Exception as exc:  # collected and asserted below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=submit_many) for _ in range(self.THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        self.assertEqual(errors, [])
        numbers = sorted(int(n[-6:]) for n in Report.objects.values_list("tracking_number", flat=True))
        total = self.THREADS * self.PER_THREAD
        self.assertEqual(numbers, list(range(1, total + 1)))
