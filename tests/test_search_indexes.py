"""The staff search's exact tracking-number lookup (the first query of every search) is
served by an index on UPPER(tracking_number), not a scan of every report; the word
searches by the GIN indexes, the inbox's order by (government, status, current_deadline)
(issue 21), each government's pages by indexes with the government first (issue 20)."""

from unittest import skipUnless

from django.db import connection
from django.db.models import F
from django.http import QueryDict
from django.test import TestCase
from django.utils.http import urlencode

from reports import access
from reports.models import Report
from tests import factory
from tests.base import AduanTestCase


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
        # Either index on UPPER(tracking_number): the prefix one (text_pattern_ops,
        # migration 0013) serves equality too.
        self.assertRegex(plan, "report_upper_tracking_number|report_tracking_number_prefix")


def _plan(queryset, *, bitmap_only=False, presorted=False) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A few rows make a sequential scan cheapest; say no to it to see the choice left.
        cursor.execute("SET LOCAL enable_seqscan = off")
        if bitmap_only:
            # Nor a walk of a whole btree (the list's order) filtering every row: with a
            # handful of rows that is as cheap as the GIN indexes, at 200k it is not.
            cursor.execute("SET LOCAL enable_indexscan = off")
        if presorted:
            # Nor sorting a handful of rows found through another index (status alone): at
            # national size the order must come from the index.
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@skipUnless(connection.vendor == "postgresql", "the plans are PostgreSQL's")
class SearchPlanTests(AduanTestCase):
    """The staff and public searches and the inbox's order read the indexes of migrations
    0011 and 0013, which only serve queries that spell their expressions the same way."""

    def setUp(self):
        self.drain = self.make_report(description="Saluran drainase tersumbat di Jalan Kenari.")
        self.lamp = self.make_report(description="Lampu jalan mati.", is_anonymous=True)

    def test_a_staff_word_search_reads_both_word_indexes(self):
        found = access.search_for_staff(Report.objects.all(), "drainase")
        self.assertEqual(list(found), [self.drain])
        plan = _plan(found.values("pk"), bitmap_only=True)
        self.assertIn("report_own_words_search", plan)
        self.assertIn("report_masked_words_search", plan)

    def test_the_public_word_search_reads_the_masked_words_index(self):
        found = Report.objects.search("lampu")
        self.assertEqual(list(found), [self.lamp])
        self.assertIn("report_masked_words_search", _plan(found.values("pk"), bitmap_only=True))

    def test_a_tracking_number_or_its_start_reads_the_prefix_index(self):
        number = self.drain.tracking_number
        for text in (number.lower(), number[:-3], f" {number[:-3].lower()} "):
            with self.subTest(text=text):
                found = access.search_for_staff(Report.objects.all(), text)
                self.assertIn(self.drain, found)
                self.assertIn("report_tracking_number_prefix", _plan(found.values("pk")))

    def test_a_tracking_number_without_its_prefix_reads_the_trigram_index(self):
        without_prefix = self.drain.tracking_number.split("-", 1)[1]
        found = access.search_for_staff(Report.objects.all(), without_prefix)
        self.assertEqual(list(found), [self.drain])
        self.assertIn("report_tracking_number_trigram", _plan(found.values("pk"), bitmap_only=True))

    def test_the_inbox_page_reads_the_urgent_deadline_index_in_order(self):
        from workspace.lists import listed_reports
        from workspace.views import PAGE_SIZE

        Report.objects.filter(pk=self.drain.pk).update(is_urgent=True)
        for query in ({}, {"status": ["disposed", "in_progress"]}, {"status": ["received"], "returned": "on"}):
            with self.subTest(query=query):
                page = listed_reports(self.coordinator, QueryDict(urlencode(query, doseq=True)), queue=True)[1]
                self.assertIn(
                    "report_gov_urgent_deadline", _plan(page.values("pk")[PAGE_SIZE : PAGE_SIZE * 2], presorted=True)
                )
        page = listed_reports(self.coordinator, QueryDict(), queue=True)[1]
        self.assertEqual(list(page.values_list("pk", flat=True)), [self.drain.pk, self.lamp.pk])

    def test_the_overdue_view_reads_the_open_disposition_deadline_indexes(self):
        from reports.models import Disposition

        late = Disposition.objects.overdue()
        plan = _plan(late.values("pk"), bitmap_only=True)
        # With a handful of rows one of them read whole is cheapest; at 200k both ranges are.
        self.assertRegex(plan, "disposition_open_(follow_up|resolution)")
        self.assertNotIn("Seq Scan", plan)

    def test_the_queue_by_deadline_reads_the_government_status_deadline_index(self):
        queue = Report.objects.filter(government=self.drain.government_id, status="received").order_by(
            F("current_deadline").asc(nulls_last=True), "pk"
        )
        self.assertIn("report_gov_status_deadline", _plan(queue.values("pk")[:50], presorted=True))

    def test_the_open311_window_reads_the_government_received_index(self):
        window = Report.objects.filter(government=self.drain.government_id).order_by("-received_at")
        self.assertIn("report_gov_received", _plan(window.values("pk")[:1000], presorted=True))
