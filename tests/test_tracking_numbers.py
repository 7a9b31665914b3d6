"""Tracking numbers stay unique and gapless under concurrent submissions."""

import pytest
from django.db import connection
from django.test import TransactionTestCase

from reports.models import Report
from tests import factory
from tests.base import at_once


@pytest.mark.postgres
class ConcurrentSubmissionTests(TransactionTestCase):
    THREADS = 8
    PER_THREAD = 5

    def setUp(self):
        if connection.vendor != "postgresql":
            pytest.skip("row locks are exercised on PostgreSQL; SQLite serialises writers itself")

    def test_concurrent_submissions_get_unique_gapless_numbers(self):
        def submit_many():
            for _ in range(self.PER_THREAD):
                factory.make_report()

        _done, errors = at_once(submit_many, threads=self.THREADS)

        self.assertEqual(errors, [])
        numbers = sorted(int(n[-6:]) for n in Report.objects.values_list("tracking_number", flat=True))
        total = self.THREADS * self.PER_THREAD
        self.assertEqual(numbers, list(range(1, total + 1)))
