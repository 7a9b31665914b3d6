"""core.uploads: files judged by their content, photos by their header before a pixel is
decoded, with a message for the person who sent them."""

import io
import time
import zlib
from unittest import mock

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, override_settings
from PIL import Image

from core.uploads import MAX_SIDE, chat_refusal, clean_bytes
from tests import factory


def refusal(name, data):
    try:
        clean_bytes(name, data)
    except ValidationError as error:
        return error
    raise AssertionError(f"{name} was accepted")


class PixelLimitTests(SimpleTestCase):
    def test_a_97_kb_png_of_10000_by_10000_pixels_is_refused_from_its_header_without_decoding(self):
        bomb = factory.png_bomb(10_000, 10_000)
        self.assertLess(len(bomb), 100 * 1024)
        started = time.perf_counter()
        with mock.patch("PIL.ImageFile.ImageFile.load", side_effect=AssertionError("decoded")):
            error = refusal("bom.png", bomb)
        self.assertLess(time.perf_counter() - started, 1.0)  # decoding took seconds
        self.assertEqual(error.code, "too_many_pixels")
        self.assertEqual(
            error.messages,
            [
                "Foto bom.png terlalu besar: 10000 × 10000 piksel (paling banyak 40 megapiksel). "
                "Kirim foto dengan resolusi lebih kecil."
            ],
        )

    @override_settings(ADUAN_MAX_IMAGE_PIXELS=1_000_000)
    def test_the_limit_comes_from_the_settings(self):
        self.assertEqual(refusal("besar.png", factory.png_bomb(1001, 1000)).code, "too_many_pixels")
        self.assertEqual(clean_bytes("pas.png", factory.png_bomb(1000, 1000)).content_type, "image/jpeg")

    @override_settings(ADUAN_MAX_IMAGE_PIXELS=10_000_000)
    def test_a_large_jpeg_counts_at_the_scale_it_is_decoded_and_is_kept_at_most_2560_px(self):
        photo = factory.jpeg_bytes(size=(6000, 3000))  # 18 MP, decoded at half scale: 4.5 MP
        cleaned = clean_bytes("kamera.jpg", photo)
        self.assertEqual(max(Image.open(io.BytesIO(cleaned.content)).size), MAX_SIDE)

    def test_a_chat_is_told_what_to_change_for_a_bomb_and_not_a_photo_otherwise(self):
        self.assertIn("40 megapiksel", chat_refusal(refusal("bom.png", factory.png_bomb(10_000, 10_000))))
        self.assertIn("bukan foto yang dapat kami baca", chat_refusal(refusal("a.jpg", b"bukan foto")))


def pdf(catalog_extra=b"", body=b""):
    return (
        b"%PDF-1.5\n1 0 obj<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>endobj\n" + body + b"trailer<<>>\n%%EOF\n"
    )


def object_stream(content):
    packed = zlib.compress(content)
    dictionary = b"<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>" % len(packed)
    return b"5 0 obj" + dictionary + b"stream\n" + packed + b"\nendstream\nendobj\n"


class PdfTests(SimpleTestCase):
    def test_a_plain_pdf_and_one_that_opens_at_a_page_are_kept_as_they_are(self):
        for data in (factory.PDF_BYTES, pdf(b"/OpenAction[3 0 R/Fit]")):
            with self.subTest(data):
                cleaned = clean_bytes("surat.pdf", data)
                self.assertEqual((cleaned.content, cleaned.content_type), (data, "application/pdf"))

    def test_pdfs_that_act_on_their_own_are_refused_with_a_way_out(self):
        cases = {
            "javascript on opening": pdf(b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
            "an open action by reference": pdf(b"/OpenAction 4 0 R"),
            "a launch action": pdf(b"/AA<</O<</S/Launch/F(cmd.exe)>>>>"),
            "a name spelt with escapes": pdf(b"/Names<</J#61vaScript 4 0 R>>"),
            "an embedded file": pdf(b"/Names<</EmbeddedFiles 6 0 R>>"),
            "javascript inside a compressed object stream": pdf(body=object_stream(b"<</S/JavaScript/JS 7 0 R>>")),
        }
        for case, data in cases.items():
            with self.subTest(case):
                error = refusal("surat.pdf", data)
                self.assertEqual(error.code, "pdf_active_content")
                self.assertIn("Berkas PDF surat.pdf berisi skrip", error.messages[0])
                self.assertIn("foto dokumennya", error.messages[0])

    def test_a_word_that_merely_starts_like_a_key_is_not_a_key(self):
        self.assertEqual(clean_bytes("a.pdf", pdf(b"/JSON 1/AAA 2")).content_type, "application/pdf")


class HeicTests(SimpleTestCase):
    def test_a_heic_photo_from_a_phone_becomes_a_jpeg_without_its_location(self):
        heic = factory.heic_bytes(size=(320, 240))
        self.assertEqual(heic[4:12], b"ftypheic")
        self.assertIn(b"iPhone Rahasia", heic)

        cleaned = clean_bytes("IMG_0001.HEIC", heic)

        self.assertEqual((cleaned.name, cleaned.content_type), ("IMG_0001.jpg", "image/jpeg"))
        photo = Image.open(io.BytesIO(cleaned.content))
        self.assertEqual((photo.format, photo.size), ("JPEG", (320, 240)))
        self.assertEqual(dict(photo.getexif()), {})
        self.assertNotIn(b"iPhone Rahasia", cleaned.content)

    @override_settings(ADUAN_MAX_IMAGE_PIXELS=10_000)
    def test_a_heic_photo_over_the_pixel_limit_is_refused_like_any_other(self):
        self.assertEqual(refusal("IMG_0002.HEIC", factory.heic_bytes(size=(128, 128))).code, "too_many_pixels")
