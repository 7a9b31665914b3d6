"""Disk per report: ``pg_database_size`` and each large table's rows, heap (with TOAST) and
indexes on a filled bench database (docs/scaling.md's "disk per million reports"). Prints
a markdown table; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_1m .venv/bin/python bench/sizes.py
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402

common.setup()

from django.db import connection  # noqa: E402

MIB = 2**20


def main():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), pg_database_size(current_database())")
        name, total = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM reports_report")
        reports = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname, c.reltuples::bigint, pg_table_size(c.oid), pg_indexes_size(c.oid)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'r' AND n.nspname = 'public' AND pg_total_relation_size(c.oid) > 8 * 1024 * 1024"
            " ORDER BY pg_total_relation_size(c.oid) DESC"
        )
        tables = cursor.fetchall()
    per_million = 1_000_000 / reports if reports else 0
    print(
        f"{name}: {reports:,} reports, database {total / MIB:,.0f} MiB"
        f" ({total * per_million / 2**30:.2f} GiB per million reports)\n"
    )
    print("| table | rows | heap + TOAST MiB | indexes MiB | total MiB | MiB per million reports |")
    print("|---|---:|---:|---:|---:|---:|")
    for table, rows, heap, indexes in tables:
        print(
            f"| {table} | {rows:,} | {heap / MIB:,.0f} | {indexes / MIB:,.0f} | {(heap + indexes) / MIB:,.0f} |"
            f" {(heap + indexes) * per_million / MIB:,.0f} |"
        )


if __name__ == "__main__":
    main()
