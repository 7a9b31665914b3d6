"""A trigram index on UPPER(tracking_number), on PostgreSQL only: the staff search finds a
tracking number typed without its prefix (``2026-000123``, ``000123``) with
``UPPER(tracking_number) LIKE '%2026-000123%'``, which the prefix index of migration 0013
cannot serve. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension since
PostgreSQL 13, so the database's owner may create it.

Built CONCURRENTLY (``atomic = False``) like the indexes of 0013, and not in Report.Meta
for the same reason (SQLite has no operator classes).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "report_tracking_number_trigram"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{INDEX}" ON "reports_report" '
        'USING gin (UPPER("tracking_number") gin_trgm_ops)'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("reports", "0014_report_is_urgent")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop, hints={"reseed": False})]
