"""core.uploads: files judged by their content, photos by their header before a pixel is
decoded, with a message for the person who sent them."""

import io
import time
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
