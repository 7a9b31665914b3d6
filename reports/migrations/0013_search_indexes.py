"""Indexes for the staff search at national size (issue 21), on PostgreSQL only (SQLite
keeps its LIKE search and has neither GIN nor operator classes):

- report_masked_words_search, report_own_words_search: GIN over the tsvector expressions
  ReportQuerySet.search matches (reports.models.search_vector), so a word search reads
  the index instead of running to_tsvector over every report;
- report_tracking_number_prefix: UPPER(tracking_number) with text_pattern_ops, so
  "starts with BLT-2026-0012" is an index range whatever the database's collation.

Built CONCURRENTLY (``atomic = False``): a national table keeps taking writes meanwhile.
The SQL is Django's own rendering of the expressions, as the queries render them; the
indexes are not in Report.Meta because SQLite rebuilds a table with every declared index.
tests/test_search_indexes.py checks that the plans use them.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

MASKED = ("masked_title", "masked_description", "masked_address")
OWN = ("title", "description", "address")


WORD_INDEXES = [
    GinIndex(SearchVector(*MASKED, config="indonesian"), name="report_masked_words_search"),
    GinIndex(SearchVector(*OWN, config="indonesian"), name="report_own_words_search"),
]
PREFIX_INDEX = "report_tracking_number_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Report = apps.get_model("reports", "Report")
    for index in WORD_INDEXES:
        sql = str(index.create_sql(Report, schema_editor))
        schema_editor.execute(sql.replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY IF NOT EXISTS", 1))
    schema_editor.execute(
        f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{PREFIX_INDEX}" ON "reports_report" '
        '(UPPER("tracking_number") text_pattern_ops)'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [index.name for index in WORD_INDEXES] + [PREFIX_INDEX]:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("reports", "0012_fill_current_deadline")]

    operations = [migrations.RunPython(create, drop, hints={"reseed": False})]
