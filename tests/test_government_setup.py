"""Setting a government up: its regions from a CSV (add_government --regions), the
governments' regional holidays from a CSV (import_holidays, the admin's upload), and its
recaps' signatory in the admin (the NIP checked as 18 digits)."""

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from agencies.models import Agency, Region
from core import workdays
from core.models import CalendarEntry
from governments.models import Government
from reports.models import Category
from tests import factory
from tests.test_tenancy import TwoGovernmentsCase

# A Monday that is no national holiday, in a year the tests do not depend on otherwise.
MONDAY = dt.date(2031, 3, 17)


class AddGovernmentRegionsTests(TwoGovernmentsCase):
    def write(self, tmp_name, text):
        path = self.tmp / tmp_name
        path.write_text(text, encoding="utf-8")
        return str(path)

    def setUp(self):
        super().setUp()
        import tempfile
        from pathlib import Path

        self._dir = tempfile.TemporaryDirectory()
        self.tmp = Path(self._dir.name)
        self.addCleanup(self._dir.cleanup)

    def add(self, regions, **extra):
        out = io.StringIO()
        call_command(
            "add_government",
            "Kabupaten Blitar",
            kind="kabupaten",
            slug="kabupaten-blitar",
            prefix="KBL",
            regions=regions,
            stdout=out,
            **extra,
        )
        return out.getvalue()

    def test_the_regions_file_makes_the_kecamatan_and_their_kelurahan(self):
        path = self.write(
            "wilayah.csv",
            "kecamatan,kelurahan\nKanigoro,Kanigoro\nKanigoro,Satreyan\nTalun,Talun\n\nSrengat,\n",
        )
        out = self.add(path, host="lapor.blitarkab.go.id")
        government = Government.objects.get(slug="kabupaten-blitar")
        self.assertEqual(government.host, "lapor.blitarkab.go.id")
        kecamatan = Region.objects.filter(government=government, level=Region.Level.KECAMATAN)
        self.assertEqual(sorted(kecamatan.values_list("name", flat=True)), ["Kanigoro", "Srengat", "Talun"])
        kanigoro = kecamatan.get(name="Kanigoro")
        self.assertEqual(sorted(kanigoro.children.values_list("name", flat=True)), ["Kanigoro", "Satreyan"])
        self.assertTrue(all(r.government == government for r in kanigoro.children.all()))
        self.assertIn("3 kecamatan, 3 kelurahan", out)
        # Kota Blitar's own regions are untouched, and Kediri's "Kanigoro" would be its own.
        self.assertFalse(Region.objects.filter(government=self.blitar, name="Kanigoro").exists())

    def test_a_bad_row_stores_nothing_and_names_every_bad_line(self):
        path = self.write("wilayah.csv", "Kanigoro,Kanigoro\n,Satreyan\nTalun,Talun,extra\nKanigoro,kanigoro\n")
        before = (Government.objects.count(), Agency.objects.count(), Region.objects.count(), Category.objects.count())
        with self.assertRaises(CommandError) as caught:
            self.add(path)
        message = str(caught.exception)
        self.assertIn("baris 2: nama kecamatan kosong", message)
        self.assertIn("baris 3: tulis dua kolom", message)
        self.assertIn("baris 4: kelurahan kanigoro sudah ada", message)
        self.assertNotIn("baris 1", message)
        after = (Government.objects.count(), Agency.objects.count(), Region.objects.count(), Category.objects.count())
        self.assertEqual(after, before)

    def test_a_missing_or_non_utf8_file_is_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "tidak dapat dibaca"):
            self.add(str(self.tmp / "tidak-ada.csv"))
        latin = self.tmp / "latin.csv"
        latin.write_bytes("Kanigoro,Sumbersari Ñ\n".encode("latin-1"))
        with self.assertRaisesMessage(CommandError, "bukan teks UTF-8"):
            self.add(str(latin))
        with self.assertRaisesMessage(CommandError, "kosong"):
            self.add(self.write("kosong.csv", "kecamatan,kelurahan\n"))
        self.assertFalse(Government.objects.filter(slug="kabupaten-blitar").exists())

    def test_a_host_in_use_is_refused(self):
        self.kediri.host = "lapor.kedirikota.go.id"
        self.kediri.save()
        with self.assertRaisesMessage(CommandError, "sudah dipakai"):
            self.add(self.write("w.csv", "Talun,Talun\n"), host="lapor.kedirikota.go.id")
        self.assertFalse(Government.objects.filter(slug="kabupaten-blitar").exists())


HOLIDAYS = f"""tanggal,nama,pemerintah
{MONDAY:%Y-%m-%d},Hari Jadi Kota Kediri,kota-kediri
{MONDAY + dt.timedelta(days=1):%d/%m/%Y},Haul Bung Karno,{{blitar}}
"""


class RegionalHolidayImportTests(TwoGovernmentsCase):
    def csv(self):
        return HOLIDAYS.format(blitar=self.blitar.slug)

    def run_command(self, text):
        import tempfile

        with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", delete=False) as handle:
            handle.write(text)
        self.addCleanup(lambda: __import__("os").unlink(handle.name))
        out = io.StringIO()
        call_command("import_holidays", handle.name, stdout=out)
        return out.getvalue()

    def test_each_government_gets_its_own_holiday_and_its_own_calendar_reads_it(self):
        national = CalendarEntry.objects.create(date=MONDAY + dt.timedelta(days=2), name="Koreksi nasional")
        out = self.run_command(self.csv())
        self.assertIn("2 ditambahkan, 0 diperbarui", out)
        self.assertFalse(workdays.is_working_day(MONDAY, self.kediri.pk))
        self.assertTrue(workdays.is_working_day(MONDAY, self.blitar.pk))
        self.assertFalse(workdays.is_working_day(MONDAY + dt.timedelta(days=1), self.blitar.pk))
        self.assertTrue(workdays.is_working_day(MONDAY + dt.timedelta(days=1), self.kediri.pk))
        self.assertEqual(workdays.holiday_name(MONDAY, self.kediri.pk), "Hari Jadi Kota Kediri")
        # The national entry is unchanged, and importing again changes nothing new.
        national.refresh_from_db()
        self.assertEqual((national.government, national.name), (None, "Koreksi nasional"))
        self.assertIn("0 ditambahkan, 2 diperbarui", self.run_command(self.csv()))
        self.assertEqual(CalendarEntry.objects.count(), 3)

    def test_bad_rows_store_nothing_and_are_named(self):
        bad = (
            f"{MONDAY:%Y-%m-%d},Hari Jadi,kota-kediri\n"
            "2031-02-30,Tanggal salah,kota-kediri\n"
            f"{MONDAY:%Y-%m-%d},Tanpa pemerintah,\n"
            f"{MONDAY:%Y-%m-%d},Tak dikenal,kota-antah\n"
            f"{MONDAY:%Y-%m-%d},Dua kali,kota-kediri\n"
            f"{MONDAY:%Y-%m-%d},,kota-kediri,lebih\n"
        )
        with self.assertRaises(CommandError) as caught:
            self.run_command(bad)
        message = str(caught.exception)
        for expected in (
            "baris 2: tanggal 2031-02-30 tidak dikenali",
            "baris 3: slug pemerintah kosong",
            "baris 4: pemerintah daerah kota-antah tidak ada",
            "baris 5: tanggal",
            "baris 6: tulis tiga kolom",
        ):
            self.assertIn(expected, message)
        self.assertNotIn("baris 1", message)
        self.assertFalse(CalendarEntry.objects.exists())
        self.assertTrue(workdays.is_working_day(MONDAY, self.kediri.pk))

    def test_the_admin_upload_imports_and_answers_bad_files_in_the_form(self):
        admin = factory.make_user("admin_sistem", is_staff=True, is_superuser=True)
        self.client.force_login(admin)
        url = reverse("admin:governments_government_import_holidays")
        self.assertContains(self.client.get(reverse("admin:governments_government_changelist")), url)
        bad = SimpleUploadedFile("libur.csv", b"2031-13-01,Salah,kota-kediri\n", content_type="text/csv")
        response = self.client.post(url, {"file": bad})
        self.assertContains(response, "baris 1: tanggal 2031-13-01 tidak dikenali")
        self.assertFalse(CalendarEntry.objects.exists())
        good = SimpleUploadedFile("libur.csv", self.csv().encode(), content_type="text/csv")
        response = self.client.post(url, {"file": good})
        self.assertRedirects(response, reverse("admin:core_calendarentry_changelist"))
        self.assertEqual(
            set(CalendarEntry.objects.values_list("government__slug", "name")),
            {("kota-kediri", "Hari Jadi Kota Kediri"), (self.blitar.slug, "Haul Bung Karno")},
        )

    def test_the_upload_is_for_those_who_may_edit_the_calendar(self):
        clerk = factory.make_user("staf_admin", is_staff=True)
        self.client.force_login(clerk)
        response = self.client.get(reverse("admin:governments_government_import_holidays"))
        self.assertEqual(response.status_code, 403)


class SignatoryAdminTests(TwoGovernmentsCase):
    """The recap's signatory is edited beside the letterhead, on the government's admin page."""

    def setUp(self):
        super().setUp()
        self.admin = factory.make_user("admin_sistem", is_staff=True, is_superuser=True)

    def change(self, **signatory):
        self.client.force_login(self.admin)
        kediri = self.kediri
        data = {
            "name": kediri.name,
            "slug": kediri.slug,
            "kind": kediri.kind,
            "parent": "",
            "host": "",
            "tracking_prefix": kediri.tracking_prefix,
            "is_active": "on",
            "letterhead_name": "Pemerintah Kota Kediri",
            "letterhead_unit": "",
            "letterhead_address": "",
            "letterhead_logo": "",
            "signatory_place": "Kediri",
            "signatory_title": "Kepala Dinas Komunikasi dan Informatika Kota Kediri",
            "signatory_name": "Dra. Sri Wahyuni, M.M.",
            "signatory_nip": "",
            **signatory,
        }
        return self.client.post(reverse("admin:governments_government_change", args=[kediri.pk]), data)

    def test_the_nip_is_typed_with_its_spaces_and_stored_as_18_digits(self):
        page = self.client.get(reverse("admin:governments_government_change", args=[self.kediri.pk]))
        self.assertEqual(page.status_code, 302)  # (logged out: the login page)
        response = self.change(signatory_nip="19751231 200003 2 002")
        self.assertRedirects(response, reverse("admin:governments_government_changelist"))
        self.kediri.refresh_from_db()
        self.assertEqual(self.kediri.signatory_nip, "197512312000032002")
        self.assertEqual(self.kediri.signatory_place, "Kediri")
        self.assertEqual(self.kediri.signatory_name, "Dra. Sri Wahyuni, M.M.")
        page = self.client.get(reverse("admin:governments_government_change", args=[self.kediri.pk]))
        self.assertContains(page, "Kop surat dan penanda tangan rekap")
        self.assertContains(page, 'name="signatory_nip"')
        self.assertContains(page, 'inputmode="numeric"')

    def test_a_nip_that_is_not_18_digits_is_refused_in_indonesian(self):
        for wrong in ("19751231 200003 2", "19751231 200003 2 0021", "1975123I200003200Z"):
            with self.subTest(nip=wrong):
                response = self.change(signatory_nip=wrong)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "NIP harus 18 angka (spasi boleh), mis. 19700101 199003 1 001.")
        self.kediri.refresh_from_db()
        self.assertEqual(self.kediri.signatory_nip, "")
        self.assertEqual(self.kediri.signatory_place, "")

    def test_a_name_or_nip_needs_the_officials_title(self):
        response = self.change(signatory_title="", signatory_nip="197512312000032002")
        self.assertContains(response, "Isi jabatan penanda tangan bila nama atau NIP-nya diisi.")
        self.kediri.refresh_from_db()
        self.assertEqual(self.kediri.signatory_name, "")

    def test_full_clean_drops_the_spaces_too(self):
        self.kediri.signatory_title = "Sekretaris Daerah"
        self.kediri.signatory_nip = " 19751231 200003 2 002 "
        self.kediri.full_clean()
        self.assertEqual(self.kediri.signatory_nip, "197512312000032002")
        self.kediri.signatory_nip = "19751231-200003-2-002"
        with self.assertRaises(ValidationError) as raised:
            self.kediri.full_clean()
        self.assertIn("signatory_nip", raised.exception.message_dict)
