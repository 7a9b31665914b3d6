"""Backups: one dated archive of the database and the media, restored onto an emptied
installation with every report, event, attachment and appointment back (SQLite through
its online backup API; PostgreSQL through pg_dump / pg_restore)."""

import datetime as dt
import io
import tarfile
from pathlib import Path

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django.utils import timezone

from agencies.models import Appointment, Role
from core import backup
from core.uploads import clean_bytes
from reports import actions
from reports.models import Attachment, Report, ReportEvent
from tests import factory


class BackupAndRestoreTests(TransactionTestCase):
    def setUp(self):
        unit = factory.make_agency("Unit Layanan Pengaduan", short_name="ULPIM", is_complaint_unit=True)
        works = factory.make_agency("Dinas PUPR", short_name="DPUPR")
        self.coordinator = factory.make_staff(Role.COORDINATOR, unit, "koordinator")
        self.liaison = factory.make_staff(Role.LIAISON, works, "penghubung")
        self.photo = factory.jpeg_bytes(size=(80, 60))
        first = factory.make_report(attachments=[clean_bytes("foto.jpg", self.photo)], reporter_name="Siti Aminah")
        actions.verify_report(first, actor=self.coordinator)
        actions.dispose_report(first, actor=self.coordinator, lead_agency=works)
        factory.make_report(description="Sampah menumpuk di pasar Legi.", is_anonymous=True)

    def snapshot(self):
        return {
            "reports": sorted(Report.objects.values_list("tracking_number", "status", "masked_description")),
            "events": sorted(ReportEvent.objects.values_list("report__tracking_number", "action")),
            "appointments": sorted(Appointment.objects.values_list("person__username", "role", "decree_number")),
            "attachments": sorted(Attachment.objects.values_list("original_name", "file")),
        }

    def empty_the_installation(self):
        for model in (Attachment, ReportEvent, Report, Appointment):
            model._base_manager.all().delete()
        for path in [p for p in self.media.rglob("*") if p.is_file()]:
            path.unlink()

    @property
    def media(self):
        return Path(settings.MEDIA_ROOT)

    def test_a_backup_restored_onto_an_empty_installation_holds_everything(self):
        before = self.snapshot()
        stored = Attachment.objects.get()
        original_bytes = (self.media / stored.file.name).read_bytes()
        folder = self.media.parent / "backups"

        call_command("backup", dir=str(folder), keep=3, stdout=io.StringIO())
        [archive] = backup.archives_in(folder)
        manifest = backup.read_manifest(archive)
        self.assertEqual(manifest["rows"]["reports.Report"], 2)
        self.assertEqual(manifest["media_files"], 1)

        self.empty_the_installation()
        self.assertFalse(Report.objects.exists())
        self.assertFalse((self.media / stored.file.name).exists())

        out = io.StringIO()
        call_command("restore", str(archive), stdout=out)
        self.assertIn("2 laporan", out.getvalue())
        self.assertEqual(self.snapshot(), before)
        self.assertEqual((self.media / stored.file.name).read_bytes(), original_bytes)
        # The restored installation works: the next report continues the numbering, past
        # the least it skips (numbers maybe given since the backup).
        self.assertIn("100 nomor dilompati", out.getvalue())
        self.assertTrue(factory.make_report().tracking_number.endswith("000103"))

    def test_numbers_given_after_the_backup_are_not_given_again_after_a_restore(self):
        folder = self.media.parent / "backups"
        made = backup.create(folder)
        archive = made.path
        later = dt.datetime.fromisoformat(made.manifest["created_at"]) + dt.timedelta(days=10)
        with time_machine.travel(later, tick=False):
            # Ten days of residents' reports the backup does not hold, then the server is lost.
            given = {factory.make_report().tracking_number for _ in range(5)}
            self.empty_the_installation()
            out = io.StringIO()
            call_command("restore", str(archive), stdout=out)
            self.assertIn("10 hari sejak cadangan", out.getvalue())
            self.assertIn("nomor terakhir 2 → 102", out.getvalue())
            self.assertNotIn(factory.make_report().tracking_number, given)

    def test_skip_numbers_moves_every_counter_by_that_many(self):
        archive = backup.create(self.media.parent / "backups").path
        self.empty_the_installation()
        out = io.StringIO()
        call_command("restore", str(archive), skip_numbers=5000, stdout=out)
        self.assertIn("5000 nomor dilompati", out.getvalue())
        self.assertTrue(factory.make_report().tracking_number.endswith("005003"))

    def test_a_negative_skip_is_refused_before_anything_is_restored(self):
        archive = backup.create(self.media.parent / "backups").path
        self.empty_the_installation()
        with self.assertRaisesMessage(CommandError, "tidak boleh negatif"):
            call_command("restore", str(archive), skip_numbers=-1)
        self.assertFalse(Report.objects.exists())

    def test_restore_refuses_an_installation_that_already_holds_reports(self):
        folder = self.media.parent / "backups"
        result = backup.create(folder)
        with self.assertRaisesMessage(CommandError, "already holds reports"):
            call_command("restore", str(result.path))
        self.assertEqual(Report.objects.count(), 2)

    def test_something_that_is_not_a_backup_is_refused_with_a_reason(self):
        bogus = self.media.parent / "bukan-cadangan.tar.gz"
        bogus.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(bogus, "w:gz"):
            pass
        with self.assertRaisesMessage(CommandError, "is not an Aduan backup"):
            call_command("restore", str(bogus), force=True)
        self.assertEqual(Report.objects.count(), 2)

    def test_only_the_newest_archives_are_kept(self):
        folder = self.media.parent / "backups"
        start = timezone.now()
        for minutes in range(4):
            with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
                backup.create(folder, keep=2)
        kept = backup.archives_in(folder)
        self.assertEqual(len(kept), 2)
        self.assertEqual(kept[-1].name, backup.archive_name(start + dt.timedelta(minutes=3)))
        self.assertEqual(list(folder.glob("*.partial")), [])


class BehindPgBouncerTests(SimpleTestCase):
    """pg_dump and pg_restore keep session state (pg_dump's output empties search_path), which
    PgBouncer's transaction pooling would hand on to the site: they go to PostgreSQL itself."""

    def test_behind_the_pooler_the_tools_reach_postgresql_directly(self):
        direct = {"HOST": "10.0.0.5", "PORT": 5432, "USER": "aduan", "PASSWORD": "rahasia"}
        with override_settings(ADUAN_DB_POOLER="pgbouncer", ADUAN_DB_DIRECT=direct):
            db = backup._postgres_straight()

        self.assertEqual((db["HOST"], db["PORT"], db["USER"], db["PASSWORD"]), ("10.0.0.5", 5432, "aduan", "rahasia"))
        self.assertEqual(db["NAME"], connection.settings_dict["NAME"])  # the site's database
        self.assertEqual(backup._pg_args(db), ["-h", "10.0.0.5", "-p", "5432", "-U", "aduan"])

    def test_behind_the_pooler_without_the_direct_address_the_backup_refuses(self):
        with (
            override_settings(ADUAN_DB_POOLER="pgbouncer", ADUAN_DB_DIRECT=None),
            self.assertRaisesMessage(backup.BackupError, "set ADUAN_DB_DIRECT_URL"),
        ):
            backup._postgres_straight()
