"""Phone numbers parsed once into E.164 (core/phones.py): every spelling residents type is
one number, a WhatsApp id keeps its country, and a reporter's reports are found by the
indexed E.164 column."""

from django.test import SimpleTestCase

from core import phones
from intake.sms.handler import latest_open_report
from reports.access import find_report_for_reporter
from tests.base import AduanTestCase

SPELLINGS = ["081234567890", "0812-3456-7890", "+62 812-3456-7890", "6281234567890", "81234567890", "(0812) 3456.7890"]


class E164Tests(SimpleTestCase):
    def test_every_spelling_of_an_indonesian_number_is_one_number(self):
        for raw in SPELLINGS:
            with self.subTest(raw):
                self.assertEqual(phones.e164(raw), "+6281234567890")

    def test_a_whatsapp_id_is_international(self):
        self.assertEqual(phones.e164("447911123456", bare_is_international=True), "+447911123456")
        self.assertEqual(phones.e164("6281234567890", bare_is_international=True), "+6281234567890")
        self.assertEqual(phones.e164("0812-3456-7890", bare_is_international=True), "+6281234567890")

    def test_what_is_not_a_number_is_refused_or_blank(self):
        for raw in ["", "TELKOMSEL", "0812", "12", "+62 812 3456 7890 1234 5", "0812<script>"]:
            with self.subTest(raw):
                with self.assertRaises(ValueError):
                    phones.e164(raw)
                self.assertEqual(phones.e164_or_blank(raw), "")


class StoredNumberTests(AduanTestCase):
    def test_the_e164_column_follows_the_typed_number(self):
        report = self.make_report(reporter_phone="0812 3456 7890")
        self.assertEqual(report.reporter_phone_e164, "+6281234567890")
        report.reporter_phone = "0857-1234-5678"
        report.save(update_fields=["reporter_phone"])
        report.refresh_from_db()
        self.assertEqual(report.reporter_phone_e164, "+6285712345678")

    def test_a_reporter_is_found_whatever_spelling_they_use_now(self):
        report = self.make_report(reporter_phone="0812-3456-7890")
        for raw in SPELLINGS:
            with self.subTest(raw):
                self.assertEqual(find_report_for_reporter(report.tracking_number, raw), report)
                self.assertEqual(latest_open_report(raw), report)
        self.assertIsNone(find_report_for_reporter(report.tracking_number, "081234567891"))
        self.assertIsNone(latest_open_report("081234567891"))

    def test_the_last_nine_digits_alone_are_no_longer_enough(self):
        # Two numbers of different countries that end alike are two people.
        report = self.make_report(reporter_phone="+6281234567890")
        self.assertIsNone(find_report_for_reporter(report.tracking_number, "+4481234567890"))
