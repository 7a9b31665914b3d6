"""The staff search's exact tracking-number lookup (the first query of every search) is
served by an index on UPPER(tracking_number), not a scan of every report (issue 21)."""

from unittest import skipUnless

from django.db import connection
from django.test import TestCase

from reports.models import Report
from tests import factory


class TrackingNumberIndexTests(TestCase):
    def test_the_index_exists(self):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, Report._meta.db_table)
        self.assertIn("report_upper_tracking_number", constraints)
        self.assertTrue(constraints["report_upper_tracking_number"]["index"])

    @skipUnless(connection.vendor == "postgresql", "the plan is PostgreSQL's")
    def test_the_case_insensitive_lookup_uses_it(self):
        report = factory.make_report()
        lookup = Report.objects.filter(tracking_number__iexact=report.tracking_number.lower())
        self.assertEqual(list(lookup), [report])
        sql, params = lookup.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            # A few rows make a sequential scan cheapest; say no to it to see the choice left.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("report_upper_tracking_number", plan)
