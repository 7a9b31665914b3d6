"""A submission sent twice makes one report: the portal form's one-time key, the API's
Idempotency-Key header, and two sends with the same key at once (PostgreSQL)."""

import re

import pytest
from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse

from core.errors import DomainError
from reports.models import Report, ReportEvent
from tests import factory
from tests.api_base import ApiTestCase
from tests.base import AduanTestCase, at_once
from tests.test_portal_submit import URL, SubmitForm

KEY = "4f1c2a9e8b7d6c5a4f1c2a9e8b7d6c5a"


class PortalFormKeyTests(SubmitForm, AduanTestCase):
    def test_the_form_carries_a_fresh_one_time_key(self):
        keys = {re.search(r'name="submission_key" value="([0-9a-f]{32})"', self.client.get(URL).text)[1] for _ in "ab"}
        self.assertEqual(len(keys), 2)

    def test_pressing_send_again_returns_the_same_report(self):
        first = self.submit(submission_key=KEY)
        second = self.submit(submission_key=KEY)
        report = Report.objects.get()
        self.assertRedirects(first, reverse("portal:submitted", args=[report.secret]))
        self.assertRedirects(second, reverse("portal:submitted", args=[report.secret]))
        self.assertEqual(ReportEvent.objects.filter(action="submitted").count(), 1)

    def test_another_key_is_another_report(self):
        self.submit(submission_key=KEY)
        self.submit(submission_key=KEY.replace("4", "5"))
        self.assertEqual(Report.objects.count(), 2)

    def test_a_form_refused_for_its_input_keeps_its_key_for_the_next_try(self):
        response = self.submit(submission_key=KEY, description="")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'name="submission_key" value="{KEY}"')
        self.assertFalse(Report.objects.exists())

    def test_a_tampered_key_is_dropped_and_the_report_still_stored(self):
        response = self.submit(submission_key="'; DROP TABLE --")
        report = Report.objects.get()
        self.assertRedirects(response, reverse("portal:submitted", args=[report.secret]))
        self.assertIsNone(report.submission_key)


class ApiIdempotencyKeyTests(ApiTestCase):
    def payload(self):
        return {
            "kind": "complaint",
            "description": "Lampu jalan mati di depan SDN 3.",
            "category": self.category.pk,
            "region": self.kelurahan.pk,
            "reply_channel": "none",
        }

    def send(self, key):
        return self.post("/api/v1/resident/reports/", self.payload(), headers={"Idempotency-Key": key})

    def test_the_same_key_answers_the_same_report(self):
        first, second = self.send("app-7c1e-0001"), self.send("app-7c1e-0001")
        self.assertEqual((first.status_code, second.status_code), (201, 201))
        self.assertEqual(first.json(), second.json())
        self.assertEqual(Report.objects.count(), 1)
        self.send("app-7c1e-0002")
        self.assertEqual(Report.objects.count(), 2)

    def test_a_portal_key_and_an_api_key_never_meet(self):
        self.send(KEY)
        factory.make_report(submission_key=f"web:{KEY}")
        self.assertEqual(Report.objects.count(), 2)

    def test_a_bad_key_is_a_clear_error_and_stores_nothing(self):
        errors = self.assertError(self.send("x"), 400)
        self.assertIn("Kunci pengiriman tidak valid", errors[0]["message"])
        self.assertFalse(Report.objects.exists())


class ActionTests(AduanTestCase):
    def test_the_action_refuses_a_malformed_key(self):
        with self.assertRaises(DomainError):
            factory.make_report(submission_key="kunci dengan spasi")


@pytest.mark.postgres
class ConcurrentSameKeyTests(TransactionTestCase):
    def setUp(self):
        if connection.vendor != "postgresql":
            pytest.skip("row locks are exercised on PostgreSQL; SQLite serialises writers itself")

    def test_two_sends_at_once_make_one_report_and_leave_no_gap(self):
        for round_ in range(5):
            numbers, errors = at_once(
                lambda key=f"api:race-{round_:04d}": factory.make_report(submission_key=key).tracking_number
            )
            self.assertEqual(errors, [])
            self.assertEqual(len(set(numbers)), 1, numbers)
        stored = sorted(int(n[-6:]) for n in Report.objects.values_list("tracking_number", flat=True))
        self.assertEqual(stored, [1, 2, 3, 4, 5])
