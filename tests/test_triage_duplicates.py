"""Likely duplicates (same problem, same place, recent, open) and the one-click merge:
the duplicate's reporter hears the original's updates; nothing is lost."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.uploads import clean_bytes
from notify.models import OutboxMessage
from reports import actions
from reports.models import ArchiveReason, Status
from tests import factory
from tests.base import AduanTestCase, temporary_triage_model
from triage import actions as triage_actions
from triage.duplicates import distance_m, likely_duplicates

ORIGINAL = "Pohon tumbang menutup jalan Mawar setelah angin kencang"
AGAIN = "ada pohon tumbang di jl mawar, jalan ketutup total"


class DuplicateCase(AduanTestCase):
    def setUp(self):
        self.model_dir = temporary_triage_model(self)


class LikelyDuplicatesTests(DuplicateCase):
    def test_same_problem_same_kelurahan_is_found(self):
        original = self.make_report(description=ORIGINAL)
        self.make_report(description="Parkir liar di depan pasar setiap sore")
        new = self.make_report(description=AGAIN)
        self.assertEqual([r.pk for r in likely_duplicates(new)], [original.pk])

    def test_another_kelurahan_without_a_pin_is_not_the_same_place(self):
        self.make_report(description=ORIGINAL, region=self.other_kelurahan)
        new = self.make_report(description=AGAIN)
        self.assertEqual(likely_duplicates(new), [])

    def test_a_report_without_a_kelurahan_is_of_the_one_its_text_names(self):
        original = self.make_report(description=ORIGINAL)  # Bendogerit
        elsewhere = self.make_report(description=f"{AGAIN}, warga Klampok", region=None)
        self.assertEqual(likely_duplicates(elsewhere), [])
        # Read without the government's kelurahan, the text naming Klampok was a duplicate.
        with mock.patch("triage.duplicates.kelurahan_names", return_value={}):
            self.assertEqual([r.pk for r in likely_duplicates(elsewhere)], [original.pk])
        here = self.make_report(description=f"{AGAIN}, warga Bendogerit", region=None)
        self.assertIn(original.pk, [r.pk for r in likely_duplicates(here)])

    def test_a_pin_within_the_distance_counts_even_across_a_kelurahan_border(self):
        here = {"latitude": Decimal("-8.098300"), "longitude": Decimal("112.168100")}
        near = {"latitude": Decimal("-8.099000"), "longitude": Decimal("112.168500")}  # about 90 m
        far = {"latitude": Decimal("-8.120000"), "longitude": Decimal("112.168100")}  # about 2.4 km
        self.assertLess(distance_m(here["latitude"], here["longitude"], near["latitude"], near["longitude"]), 300)
        original = self.make_report(description=ORIGINAL, region=self.other_kelurahan, **near)
        self.make_report(description=ORIGINAL, region=self.other_kelurahan, **far)
        new = self.make_report(description=AGAIN, **here)
        self.assertEqual([r.pk for r in likely_duplicates(new)], [original.pk])

    def test_old_closed_and_archived_reports_are_not_candidates(self):
        self.make_report(description=ORIGINAL, received_at=timezone.now() - dt.timedelta(days=31))
        actions.archive_report(self.make_report(description=ORIGINAL), actor=self.coordinator, reason="spam")
        new = self.make_report(description=AGAIN)
        self.assertEqual(likely_duplicates(new), [])

    def test_a_different_problem_at_the_same_place_is_not_a_duplicate(self):
        self.make_report(description="Lampu jalan di jalan Mawar mati sejak seminggu")
        new = self.make_report(description=AGAIN)
        self.assertEqual(likely_duplicates(new), [])

    def test_with_a_trained_model_the_same_problem_is_found_and_another_is_not(self):
        from tests.test_triage_suggestions import LAMP_TEXTS, PARKING_TEXTS

        for texts, category in ((LAMP_TEXTS, self.category), (PARKING_TEXTS, self.other_category)):
            for text in texts:
                actions.verify_report(self.make_report(description=text), actor=self.coordinator, category=category)
        call_command("train_triage", min_examples=1, stdout=StringIO())
        original = self.make_report(description="Lampu PJU di jalan Kenari mati sudah seminggu")
        other = self.make_report(description="Parkir liar di jalan Kenari tiap sore")
        new = self.make_report(description="lampu jalan jl kenari mati udh 1 minggu min")
        found = [r.pk for r in likely_duplicates(new)]
        self.assertIn(original.pk, found)
        self.assertNotIn(other.pk, found)

    def test_the_same_problem_in_other_words_is_found_by_its_place(self):
        # No significant word in common: only the kelurahan and the pin bring it in.
        here = {"latitude": Decimal("-8.086100"), "longitude": Decimal("112.165500")}
        near = {"latitude": Decimal("-8.086300"), "longitude": Decimal("112.165600")}  # about 25 m
        original = self.make_report(description="Lampu PJU di Jl. Kenari padam, seminggu gelap", **near)
        other_problem = self.make_report(description="Aspal berlubang besar di Jl. Kenari, motor jatuh", **near)
        new = self.make_report(description="pju dkt masjid Al-Ikhlas ora urup", **here)
        found = [r.pk for r in likely_duplicates(new)]
        self.assertEqual(found, [original.pk])
        self.assertNotIn(other_problem.pk, found)

    def test_the_same_words_on_another_street_of_the_kelurahan_are_not_a_duplicate(self):
        self.make_report(description="Lampu PJU di Jl. Mawar mati sudah seminggu")
        new = self.make_report(description="Lampu PJU di Jl. Kenari mati sudah seminggu")
        self.assertEqual(likely_duplicates(new), [])

    def test_the_coordinator_page_lists_the_candidate_with_a_merge_button(self):
        original = self.make_report(description=ORIGINAL)
        new = self.make_report(description=AGAIN)
        self.login(self.coordinator)
        page = self.client.get(reverse("workspace:report", args=[new.pk]))
        self.assertContains(page, original.tracking_number)
        self.assertContains(page, reverse("triage:merge", args=[new.pk]))


class MergeTests(DuplicateCase):
    def setUp(self):
        super().setUp()
        self.original = self.make_report(description=ORIGINAL, reply_channel="email", reporter_email="asli@example.org")
        self.duplicate = self.make_report(
            description=AGAIN,
            reply_channel="sms",
            reporter_phone="081299990000",
            attachments=[clean_bytes("pohon.jpg", factory.jpeg_bytes())],
        )

    def merge(self, user=None):
        self.login(user or self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("triage:merge", args=[self.duplicate.pk]), {"original": self.original.pk})

    def test_one_click_merge_archives_the_duplicate_into_the_original(self):
        events_before = self.duplicate.events.count()
        response = self.merge()
        self.assertRedirects(response, reverse("workspace:report", args=[self.original.pk]))
        self.duplicate.refresh_from_db()
        self.assertEqual(
            (self.duplicate.status, self.duplicate.archive_reason, self.duplicate.duplicate_of),
            (Status.ARCHIVED, ArchiveReason.DUPLICATE, self.original),
        )
        # Nothing lost: the duplicate keeps its attachment and every event, plus the archive event;
        # the original records the merge.
        self.assertEqual(self.duplicate.attachments.count(), 1)
        self.assertEqual(self.duplicate.events.count(), events_before + 1)
        self.assertTrue(self.original.events.filter(action="duplicate_merged").exists())
        page = self.client.get(reverse("workspace:report", args=[self.original.pk]))
        self.assertContains(page, self.duplicate.tracking_number)
        self.assertContains(page, "1 lampiran")

    def test_both_reporters_hear_the_originals_updates(self):
        self.merge()
        with self.captureOnCommitCallbacks(execute=True):
            actions.verify_report(self.original, actor=self.coordinator)
            actions.dispose_report(self.original, actor=self.coordinator, lead_agency=self.public_works)
        for template in ("report_verified", "report_disposed"):
            recipients = set(
                OutboxMessage.objects.filter(template_code=template, user__isnull=True).values_list(
                    "channel", "recipient"
                )
            )
            self.assertEqual(recipients, {("email", "asli@example.org"), ("sms", "081299990000")}, template)
        to_duplicate = OutboxMessage.objects.filter(recipient="081299990000", template_code="report_disposed").get()
        self.assertEqual(to_duplicate.report, self.duplicate)
        self.assertIn(self.duplicate.tracking_number, to_duplicate.body)

    def test_a_question_to_the_original_reporter_is_not_sent_to_the_duplicates_reporter(self):
        self.merge()
        with self.captureOnCommitCallbacks(execute=True):
            actions.hold_report(self.original, actor=self.coordinator, question="Di nomor berapa tepatnya?")
        self.assertFalse(
            OutboxMessage.objects.filter(recipient="081299990000", template_code="report_on_hold").exists()
        )

    def test_a_confidential_originals_text_does_not_reach_the_duplicates_reporter(self):
        Report = type(self.original)
        Report.objects.filter(pk=self.original.pk).update(is_confidential=True)
        self.merge()
        with self.captureOnCommitCallbacks(execute=True):
            actions.verify_report(self.original, actor=self.coordinator, message="RAHASIA-CATATAN-123")
        [message] = self.assertQueued(recipient="081299990000", template="report_verified")
        self.assertNotIn("RAHASIA-CATATAN-123", message.body)

    def test_liaison_cannot_merge_and_bad_input_is_a_message_not_an_error(self):
        response = self.merge(self.pw_liaison)
        self.assertIn(response.status_code, (403, 404))
        self.login(self.coordinator)
        for data in ({}, {"original": "abc"}, {"original": 999999}, {"original": self.duplicate.pk}):
            response = self.client.post(reverse("triage:merge", args=[self.duplicate.pk]), data, follow=True)
            self.assertEqual(response.status_code, 200, data)
            self.assertTrue(list(response.context["messages"]), data)
        self.duplicate.refresh_from_db()
        self.assertEqual(self.duplicate.status, Status.RECEIVED)

    def test_merge_action_goes_through_the_archive_action(self):
        triage_actions.merge_duplicate(self.duplicate, actor=self.coordinator, original=self.original)
        event = self.duplicate.events.get(action="archived")
        self.assertEqual(event.data, {"reason": "duplicate", "duplicate_of": self.original.tracking_number})
