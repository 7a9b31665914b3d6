"""A resident submits a report on the public portal, with no account."""

import io
import os
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from core.errors import DomainError
from reports.actions import verify_report
from reports.models import Attachment, Kind, ReplyChannel, Report, ReportEvent, Status
from tests import factory
from tests.base import AduanTestCase

URL = reverse("portal:submit")


def photo(name="foto.jpg", **kwargs):
    return SimpleUploadedFile(name, factory.jpeg_bytes(**kwargs), content_type="image/jpeg")


def jpeg_with_gps():
    image = Image.new("RGB", (80, 60), (10, 120, 200))
    exif = image.getexif()
    exif[0x0110] = "Android Murah"  # camera model
    exif[0x8825] = {1: "S", 2: (8.0, 5.0, 54.0), 3: "E", 4: (112.0, 10.0, 5.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


class SubmitForm:
    """The portal form filled in as a resident would; mixed into the submit tests."""

    def form_data(self, **overrides):
        data = {
            "kind": Kind.COMPLAINT,
            "title": "",
            "description": "Lampu jalan di depan SDN Bendogerit 1 mati sejak Senin.",
            "parent": self.category.parent_id,
            "category": self.category.pk,
            "kecamatan": self.kecamatan.pk,
            "region": self.kelurahan.pk,
            "address": "Jl. Sudanco Supriadi depan SD",
            "reporter_name": "Budi Santoso",
            "reporter_phone": "0812 3456 7890",
            "reporter_email": "budi@example.org",
            "reply_channel": ReplyChannel.WHATSAPP,
        }
        data.update(overrides)
        return data

    def submit(self, files=(), **overrides):
        data = self.form_data(**overrides)
        if files:
            data["attachments"] = list(files)
        return self.client.post(URL, data)


class SubmitTests(SubmitForm, AduanTestCase):
    def assertNothingStored(self):
        self.assertEqual(Report.objects.count(), 0)
        self.assertEqual(ReportEvent.objects.count(), 0)
        self.assertEqual(Attachment.objects.count(), 0)
        stored = [name for _, _, names in os.walk(settings.MEDIA_ROOT) for name in names]
        self.assertEqual(stored, [])

    # ------------------------------------------------------------------ the form

    def test_form_page_lists_every_subcategory_grouped_so_it_works_without_javascript(self):
        response = self.client.get(URL)
        self.assertContains(response, '<optgroup label="Perhubungan">')
        self.assertContains(response, "Parkir liar")
        self.assertContains(response, 'hx-get="/kategori/sub/"')
        self.assertContains(response, "Gunakan lokasi saya")
        self.assertContains(response, "Pilih di peta")
        self.assertNotContains(response, '<script src="/static/vendor/leaflet/leaflet.js"')  # loaded when opened

    def test_without_tiles_the_forms_map_draws_the_kelurahan_it_knows(self):
        self.kelurahan.latitude, self.kelurahan.longitude = -8.096, 112.182
        self.kelurahan.save()
        config = self.client.get(URL).context["map"]

        self.assertEqual(config["tiles"], "")
        self.assertEqual(config["regions"], [{"name": "Bendogerit", "lat": -8.096, "lng": 112.182}])
        self.assertIn("/static/vendor/leaflet/leaflet.js", config["files"]["js"])

    @override_settings(ADUAN_MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png")
    def test_with_tiles_the_forms_map_uses_them(self):
        response = self.client.get(URL)
        self.assertContains(response, "tiles.example.org")
        self.assertEqual(response.context["map"]["regions"], [])
        self.assertNotContains(response, '<script src="/static/vendor/leaflet/leaflet.js"')

    def test_subcategory_options_are_narrowed_to_the_chosen_parent(self):
        other = factory.make_category("Jalan berlubang")
        response = self.client.get(reverse("portal:subcategories"), {"parent": self.category.parent_id})
        self.assertContains(response, "Parkir liar")
        self.assertNotContains(response, other.name)

    def test_kelurahan_options_are_narrowed_to_the_chosen_kecamatan(self):
        elsewhere = factory.make_region("Sukorejo")
        factory.make_region("Tanjungsari", parent=elsewhere)
        response = self.client.get(reverse("portal:kelurahan"), {"kecamatan": self.kecamatan.pk})
        self.assertContains(response, "Bendogerit")
        self.assertNotContains(response, "Tanjungsari")

    # ------------------------------------------------------------------ success

    def test_each_kind_is_submitted_and_gets_a_tracking_number(self):
        for kind in Kind.values:
            with self.subTest(kind=kind):
                response = self.submit(kind=kind)
                report = Report.objects.latest("pk")
                self.assertRedirects(response, reverse("portal:submitted", args=[report.secret]))
                self.assertEqual((report.kind, report.status, report.channel), (kind, Status.RECEIVED, "web"))
                page = self.client.get(response.url)
                self.assertRegex(page.content.decode(), r"BLT-\d{4}-\d{6}")
                self.assertRegex(report.tracking_number, r"^BLT-\d{4}-\d{6}$")
                self.assertContains(page, report.tracking_number)
                self.assertContains(page, f"http://testserver/lacak/{report.secret}/")
        self.assertEqual(Report.objects.count(), 3)

    def test_submitted_report_keeps_what_the_resident_entered(self):
        self.submit(is_anonymous="on", is_confidential="on", latitude="-8.098300", longitude="112.168100")
        report = Report.objects.get()
        self.assertEqual(report.category, self.category)
        self.assertEqual(report.region, self.kelurahan)
        self.assertTrue(report.is_anonymous and report.is_confidential)
        self.assertEqual((str(report.latitude), str(report.longitude)), ("-8.098300", "112.168100"))
        self.assertEqual(report.reply_channel, ReplyChannel.WHATSAPP)

    def test_an_aspiration_needs_no_kelurahan(self):
        response = self.submit(kind=Kind.ASPIRATION, kecamatan="", region="")
        self.assertEqual(response.status_code, 302)
        self.assertIsNone(Report.objects.get().region)

    def test_photo_location_metadata_is_removed_before_storing(self):
        source = jpeg_with_gps()
        self.assertIn(0x8825, Image.open(io.BytesIO(source)).getexif())  # the test photo does carry GPS
        self.submit(files=[SimpleUploadedFile("rumah.jpg", source, content_type="image/jpeg")])
        attachment = Attachment.objects.get()
        with attachment.file.open("rb") as handle:
            stored = handle.read()
        image = Image.open(io.BytesIO(stored))
        self.assertNotIn(0x8825, image.getexif())
        self.assertEqual(len(image.getexif()), 0)
        self.assertNotIn(b"Exif", stored)
        self.assertNotIn(b"Android Murah", stored)

    def test_a_heic_photo_from_an_iphone_is_stored_as_a_jpeg_without_its_location(self):
        heic = SimpleUploadedFile("IMG_0001.HEIC", factory.heic_bytes(), content_type="image/heic")
        self.assertEqual(self.submit(files=[heic]).status_code, 302)
        attachment = Report.objects.get().attachments.get()
        self.assertEqual((attachment.original_name, attachment.content_type), ("IMG_0001.jpg", "image/jpeg"))
        data = attachment.file.read()
        self.assertEqual(dict(Image.open(io.BytesIO(data)).getexif()), {})
        self.assertNotIn(b"iPhone Rahasia", data)

    def test_photos_and_pdfs_are_stored_with_the_report(self):
        pdf = SimpleUploadedFile("surat.pdf", factory.PDF_BYTES, content_type="application/pdf")
        self.submit(files=[photo(), pdf])
        self.assertEqual(
            sorted(Attachment.objects.values_list("content_type", flat=True)), ["application/pdf", "image/jpeg"]
        )

    # ------------------------------------------------------------------ refused, nothing stored

    def test_a_text_file_named_photo_jpg_is_refused_and_nothing_stored(self):
        fake = SimpleUploadedFile("photo.jpg", b"ini bukan foto, hanya teks", content_type="image/jpeg")
        response = self.submit(files=[photo(), fake])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "bukan foto atau PDF yang dapat dibaca")
        self.assertNothingStored()

    def test_a_pixel_bomb_is_refused_from_its_header_with_the_limit_named_and_nothing_stored(self):
        bomb = SimpleUploadedFile("bom.png", factory.png_bomb(10_000, 10_000), content_type="image/png")
        with mock.patch("PIL.ImageFile.ImageFile.load", side_effect=AssertionError("decoded")):
            response = self.submit(files=[bomb])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "terlalu besar: 10000 × 10000 piksel (paling banyak 40 megapiksel)")
        self.assertNothingStored()

    def test_a_pdf_with_javascript_is_refused_with_a_way_out_and_nothing_stored(self):
        data = b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF\n"
        response = self.submit(files=[SimpleUploadedFile("surat.pdf", data, content_type="application/pdf")])
        self.assertContains(response, "Berkas PDF surat.pdf berisi skrip")
        self.assertNothingStored()

    @override_settings(ADUAN_MAX_UPLOAD_BYTES=2000)
    def test_a_file_over_the_size_limit_is_refused_and_nothing_stored(self):
        big = SimpleUploadedFile("besar.jpg", factory.jpeg_bytes(size=(600, 600)), content_type="image/jpeg")
        self.assertGreater(big.size, 2000)
        response = self.submit(files=[big])
        self.assertContains(response, "terlalu besar")
        self.assertNothingStored()

    def test_six_files_are_refused_and_nothing_stored(self):
        response = self.submit(files=[photo(f"foto{i}.jpg") for i in range(6)])
        self.assertContains(response, "Paling banyak 5 lampiran")
        self.assertNothingStored()

    def test_whatsapp_reply_without_a_phone_number_is_refused(self):
        response = self.submit(reply_channel=ReplyChannel.WHATSAPP, reporter_phone="")
        self.assertContains(response, "Isi nomor HP agar kami dapat membalas lewat WhatsApp atau SMS.")
        self.assertNothingStored()

    def test_email_reply_without_an_email_is_refused(self):
        response = self.submit(reply_channel=ReplyChannel.EMAIL, reporter_email="")
        self.assertContains(response, "Isi alamat email agar kami dapat membalas lewat email.")
        self.assertNothingStored()

    def test_missing_description_and_subcategory_show_field_errors(self):
        response = self.submit(description="", category="", files=[photo()])
        self.assertContains(response, "Pilih subkategori.")
        self.assertContains(response, 'class="errorlist', count=2)
        self.assertNothingStored()

    def test_each_error_is_tied_to_its_field_and_listed_with_a_link_at_the_top(self):
        response = self.submit(description="", region="", reply_channel=ReplyChannel.EMAIL, reporter_email="")
        self.assertContains(response, 'role="alert"', count=1)
        self.assertContains(response, "data-error-summary")
        for field in ("description", "region", "reporter_email"):
            with self.subTest(field):
                self.assertContains(response, f'<a href="#id_{field}">')
                self.assertContains(response, f'id="id_{field}_error"')
                invalid = rf'<[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*id_{field}_error'
                self.assertRegex(response.text, invalid)
        self.assertNotRegex(response.text, r'<input[^>]*aria-invalid[^>]*id="id_title"')  # a good field is left alone

    def test_a_kind_error_points_the_fieldset_at_it_and_links_to_the_first_choice(self):
        response = self.submit(kind="")
        self.assertContains(response, 'aria-describedby="id_kind_error"')
        self.assertContains(response, '<a href="#id_kind_0">')

    def test_a_complaint_needs_a_kelurahan(self):
        response = self.submit(region="")
        self.assertContains(response, "Pilih kelurahan tempat masalah terjadi.")
        self.assertNothingStored()

    def test_a_subcategory_outside_the_chosen_parent_is_refused(self):
        stray = factory.make_category("Sampah")
        response = self.submit(category=stray.pk)
        self.assertContains(response, "Subkategori ini tidak termasuk kategori yang dipilih.")
        self.assertNothingStored()

    def test_a_domain_error_from_the_action_is_shown_on_the_form_and_nothing_stored(self):
        with mock.patch("portal.views.actions.submit_report", side_effect=DomainError("Kanal tidak dikenal.")):
            response = self.submit(files=[photo()])
        self.assertContains(response, "Kanal tidak dikenal.")
        self.assertNothingStored()

    def test_a_report_submitted_in_english_is_answered_in_english(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = self.submit(reply_channel=ReplyChannel.EMAIL)
        self.assertEqual(response.status_code, 302)
        report = Report.objects.get()
        self.assertEqual(report.language, "en")

        with self.captureOnCommitCallbacks(execute=True):
            verify_report(report, actor=self.coordinator)

        [message] = self.assertQueued(report=report)
        self.assertEqual((message.channel, message.recipient, message.language), ("email", "budi@example.org", "en"))
        self.assertIn("has been verified", message.body)

    def test_a_report_submitted_in_indonesian_keeps_indonesian(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
        self.submit()
        self.assertEqual(Report.objects.get().language, "id")

    def test_without_a_language_choice_the_report_is_in_indonesian_even_for_an_english_browser(self):
        self.client.post(URL, self.form_data(), headers={"Accept-Language": "en-US,en;q=0.9"})
        self.assertEqual(Report.objects.get().language, "id")

    def test_the_submitted_page_needs_the_secret(self):
        self.assertEqual(self.client.get(reverse("portal:submitted", args=["tebakan"])).status_code, 404)


class FullDiskTests(SubmitForm, AduanTestCase):
    """The media disk fills up while a photo is written: the resident gets a message, and
    nothing is half-stored — no report without its files, no file without its report, no
    tracking number used up."""

    def test_a_photo_that_cannot_be_written_stores_nothing_and_says_why(self):
        from django.core.files.storage import FileSystemStorage

        real_save = FileSystemStorage._save

        def disk_full(storage, name, content):
            path = storage.path(name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as partial:
                partial.write(b"\xff\xd8 half a photo")  # what got out before the disk filled
            raise OSError(28, "No space left on device")

        with mock.patch.object(FileSystemStorage, "_save", disk_full):
            response = self.submit(files=[photo()])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "gangguan penyimpanan di server")
        self.assertEqual((Report.objects.count(), ReportEvent.objects.count(), Attachment.objects.count()), (0, 0, 0))
        stored = [name for _, _, names in os.walk(settings.MEDIA_ROOT) for name in names]
        self.assertEqual(stored, [])
        # The disk has room again: the same form goes through and takes the first number.
        with mock.patch.object(FileSystemStorage, "_save", real_save):
            self.submit(files=[photo()])
        self.assertTrue(Report.objects.get().tracking_number.endswith("-000001"))
