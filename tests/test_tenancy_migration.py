"""The migration to governments, from the schema before it with data in it: an existing
single-government installation becomes the installation's one government, every row
assigned to it, with no step by hand."""

import datetime as dt

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

BEFORE = [
    ("governments", None),
    ("agencies", "0004_region_centre"),
    ("core", "0003_scheduled_job"),
    ("reports", "0017_disposition_forwarded_to_unit"),
    ("monev", "0001_rollup"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes()]


@override_settings(
    ADUAN_LETTERHEAD_NAME="Pemerintah Kota Madiun",
    ADUAN_TRACKING_PREFIX="MDN",
    ADUAN_LETTERHEAD_UNIT="Bagian Pengaduan",
)
class GovernmentMigrationTests(TransactionTestCase):
    def tearDown(self):
        migrate(latest())  # whatever happened, the next tests find the current schema
        super().tearDown()

    def test_existing_rows_become_the_installations_one_government(self):
        apps = migrate(BEFORE)
        Agency = apps.get_model("agencies", "Agency")
        Decree = apps.get_model("agencies", "Decree")
        Category = apps.get_model("reports", "Category")
        Report = apps.get_model("reports", "Report")
        CalendarEntry = apps.get_model("core", "CalendarEntry")
        agency = Agency.objects.create(name="Dinas Perhubungan", short_name="Dishub")
        Decree.objects.create(
            number="188/1", date=dt.date(2026, 1, 2), valid_from=dt.date(2026, 1, 2), valid_until=dt.date(2026, 12, 31)
        )
        category = Category.objects.create(name="Perhubungan", default_agency=agency)
        now = timezone.now()
        Report.objects.create(
            tracking_number="MDN-2026-000001",
            secret="s" * 40,
            description="Lampu mati",
            category=category,
            received_at=now,
        )
        CalendarEntry.objects.create(date=dt.date(2026, 7, 20), name="Hari Jadi Kota")
        Region = apps.get_model("agencies", "Region")
        kecamatan = Region.objects.create(name="Taman", level="kecamatan")
        Region.objects.create(name="Kejuron", level="kelurahan", parent=kecamatan)

        apps = migrate(latest())

        Government = apps.get_model("governments", "Government")
        government = Government.objects.get()
        self.assertEqual(
            (government.name, government.slug, government.kind, government.tracking_prefix, government.letterhead_unit),
            ("Pemerintah Kota Madiun", "kota-madiun", "kota", "MDN", "Bagian Pengaduan"),
        )
        for app, model in (
            ("agencies", "Agency"),
            ("agencies", "Decree"),
            ("reports", "Category"),
            ("reports", "Report"),
            ("core", "CalendarEntry"),
        ):
            rows = apps.get_model(app, model).objects.all()
            self.assertEqual(list(rows.values_list("government_id", flat=True)), [government.pk], model)
        # and the columns are required from now on
        for app, model in (
            ("agencies", "Agency"),
            ("reports", "Report"),
            ("reports", "Category"),
            ("agencies", "Decree"),
            ("agencies", "Region"),
        ):
            self.assertFalse(apps.get_model(app, model)._meta.get_field("government").null, model)
        # The kecamatan and kelurahan are the government's territory (its portal's lists).
        regions = apps.get_model("agencies", "Region").objects.all()
        self.assertEqual(set(regions.values_list("government_id", flat=True)), {government.pk})
        self.assertEqual(regions.count(), 2)
