"""Personal data masked in everything public; ordinary numbers left alone; staff with the
right still read the original."""

from django.test import SimpleTestCase
from django.urls import reverse

from core.masking import mask_personal_data
from reports import actions
from tests.base import AduanTestCase

PHONE, NIK, EMAIL, PLATE = "[nomor telepon]", "[NIK]", "[alamat email]", "[nomor kendaraan]"


class MaskingFormatsTests(SimpleTestCase):
    def assertMasked(self, text, expected):
        self.assertEqual(mask_personal_data(text), expected, text)

    def test_phone_numbers_in_every_usual_spelling(self):
        for text in [
            "081234567890",
            "0812-3456-7890",
            "0812 3456 7890",
            "0812.3456.7890",
            "+6281234567890",
            "+62 812-3456-7890",
            "62 812 3456 7890",
            "085712345678",
        ]:
            self.assertMasked(f"Hubungi {text} ya", f"Hubungi {PHONE} ya")

    def test_nik_plain_and_grouped(self):
        self.assertMasked("NIK 3572011203850002 mohon dicek", f"NIK {NIK} mohon dicek")
        self.assertMasked("nik: 3572 0112 0385 0002", f"nik: {NIK}")

    def test_email_addresses(self):
        self.assertMasked("kirim ke siti.aminah+lapor@mail.example.co.id.", f"kirim ke {EMAIL}.")

    def test_vehicle_plates(self):
        self.assertMasked("Motor AG 1234 XY parkir di trotoar", f"Motor {PLATE} parkir di trotoar")
        self.assertMasked("mobil plat ag 5678 ab kabur", f"mobil plat {PLATE} kabur")
        self.assertMasked("truk B 9012 KZA dan L 1 A", f"truk {PLATE} dan {PLATE}")

    def test_ordinary_numbers_are_left_alone(self):
        for text in [
            "RT 03 RW 05 Kelurahan Sentul",
            "RT 3/RW 5, rumah No. 12",
            "Jl. Merdeka No. 127A",
            "Jl. Kalimantan 45, Gg. 3",
            "sejak tahun 2025, tanggal 08-12-2025 jam 08.30",
            "pungutan Rp 1.500.000 dan Rp 150000 per bulan",
            "antre 3 jam, 12 orang, lebar 2 m, 500 m dari pasar",
            "lampu mati di KM 5 jalan raya",
            "JALAN A YANI 5 DAN JL S 5 DI RT 2",
            "telepon kantor (0342) 801234",
            "nomor antrean 0812345",
        ]:
            self.assertMasked(text, text)

    def test_names_the_writer_introduces(self):
        for text, expected in [
            ("Saya Budi Santoso, NIK 3572011203850002", f"Saya [nama], NIK {NIK}"),
            ("saya Siti Aminah warga Bendogerit", "saya [nama] warga Bendogerit"),
            ("nama saya Rahmat Hidayat dan saya tinggal di RT 2", "nama saya [nama] dan saya tinggal di RT 2"),
            ("NAMA SAYA Joko", "NAMA SAYA [nama]"),
            ("Pelapor a.n. Dewi Lestari", "Pelapor a.n. [nama]"),
            ("Nama: Agus Salim", "Nama: [nama]"),
        ]:
            self.assertMasked(text, expected)

    def test_capitalised_words_that_introduce_no_one_stay(self):
        for text in [
            "Saya Mohon Bantuan, lampu mati",
            "Saya warga Sentul",
            "atas nama warga RT 3",
            "Saya Melaporkan Lampu Mati.",
            "Lampu mati di Jalan Merdeka",
        ]:
            self.assertMasked(text, text)

    def test_given_names_are_masked_wherever_they_appear(self):
        self.assertEqual(
            mask_personal_data("Kata pak joko widodo, Joko  Widodo sendiri yang lapor", names=["Joko Widodo"]),
            "Kata pak [nama], [nama] sendiri yang lapor",
        )
        self.assertEqual(mask_personal_data("Jokowi lewat", names=["Joko"]), "Jokowi lewat")  # whole words only

    def test_names_are_masked_however_the_text_spells_their_case_or_script(self):
        # The quick "is the name there at all" check (ASCII texts) must never skip a name.
        for text, name, expected in [
            ("laporan dari SITI AMINAH kemarin", "Siti Aminah", "laporan dari [nama] kemarin"),
            ("Bu siti\taminah melapor", "Siti  Aminah", "Bu [nama] melapor"),
            ("Dilaporkan oleh Ñoño García.", "Ñoño García", "Dilaporkan oleh [nama]."),
            ("Dilaporkan oleh ÑOÑO GARCÍA.", "Ñoño García", "Dilaporkan oleh [nama]."),
            ("Pak Budi Santoso lewat", "budi santoso", "Pak [nama] lewat"),
            ("Tidak ada nama di sini", "Pelapor 17", "Tidak ada nama di sini"),
        ]:
            self.assertEqual(mask_personal_data(text, names=[name]), expected, text)
        # Many different reporters in a row (a LAPOR! import), each masked in their own text.
        for index in range(3000):
            name = f"Pelapor {index}"
            self.assertEqual(mask_personal_data(f"Saya {name.lower()} melapor", names=[name]), "Saya [nama] melapor")

    def test_empty_text_is_returned_as_is(self):
        self.assertEqual(mask_personal_data(""), "")
        self.assertIsNone(mask_personal_data(None))


class PublicPagesMaskTests(AduanTestCase):
    TEXT = "Lampu mati. Hubungi 081234567890, NIK 3572011203850002, motor AG 1234 XY, RT 03 RW 05 No. 12."

    def setUp(self):
        report = self.make_report(description=self.TEXT)
        self.report = actions.verify_report(report, actor=self.coordinator)

    def test_public_detail_and_list_show_masked_text(self):
        detail = self.client.get(reverse("portal:public_detail", args=[self.report.tracking_number]))
        self.assertEqual(detail.status_code, 200)
        for private in ("081234567890", "3572011203850002", "AG 1234 XY"):
            self.assertNotContains(detail, private)
        self.assertContains(detail, PHONE)
        self.assertContains(detail, PLATE)
        self.assertContains(detail, "RT 03 RW 05 No. 12")

    def test_public_list_masks_the_title(self):
        titled = self.make_report(title="Motor AG 1234 XY di trotoar, WA 0813 7777 8888", description="Parkir liar.")
        actions.verify_report(titled, actor=self.coordinator)
        page = self.client.get(reverse("portal:public_list"))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "AG 1234 XY")
        self.assertNotContains(page, "0813 7777 8888")
        self.assertContains(page, PLATE)

    def test_coordinator_sees_the_original(self):
        self.login(self.coordinator)
        page = self.client.get(reverse("workspace:report", args=[self.report.pk]))
        self.assertContains(page, "081234567890")
        self.assertContains(page, "AG 1234 XY")
