"""Open311 GET requests and GET requests/{id}: only public reports, no personal data,
the specification's filters, its 90-day / 1,000-result window, and paging."""

import datetime as dt
import json
from decimal import Decimal
from unittest import mock
from urllib.parse import urlsplit

from django.utils import timezone

from open311.models import ServiceRequest
from reports import actions
from reports.models import Audience, Status
from tests import factory
from tests.open311_base import BASE, Open311TestCase


class Open311ReadCase(Open311TestCase):
    def verified(self, **overrides):
        overrides.setdefault("category", self.category)
        overrides.setdefault("region", self.kelurahan)
        return factory.make_verified(self.coordinator, **overrides)

    def disposed(self, **overrides):
        report = self.verified(**overrides)
        return actions.dispose_report(report, actor=self.coordinator, lead_agency=self.transport)

    def ids(self, **params):
        value, response = self.fetch("requests", schema="requests.json", **params)
        self.assertEqual(response.status_code, 200, response.content)
        return [r["service_request_id"] for r in value]


class VisibilityTests(Open311ReadCase):
    def test_only_verified_non_confidential_reports_are_listed_and_readable(self):
        public = self.verified()
        received = self.make_report()
        confidential = self.verified(is_confidential=True)
        archived = actions.archive_report(self.make_report(), actor=self.coordinator, reason="spam")

        self.assertEqual(self.ids(), [public.tracking_number])
        for hidden in (received, confidential, archived):
            _value, response = self.fetch(f"requests/{hidden.tracking_number}")
            self.assertError(response, 404)
        self.assertEqual(self.ids(service_request_id=f"{received.tracking_number},{confidential.tracking_number}"), [])

    def test_a_public_request_is_valid_geo_report(self):
        report = self.disposed(latitude=Decimal("-8.098312"), longitude=Decimal("112.168134"), address="Jl. Merdeka 5")

        value, response = self.fetch(f"requests/{report.tracking_number}", schema="requests.json")

        self.assertEqual(response.status_code, 200)
        (request,) = value
        self.assertEqual(request["service_request_id"], report.tracking_number)
        self.assertEqual(request["status"], "open")
        self.assertEqual(request["service_code"], str(self.category.pk))
        self.assertEqual(request["service_name"], self.category.name)
        self.assertEqual(request["agency_responsible"], self.transport.name)
        self.assertEqual(request["address"], "Jl. Merdeka 5, Bendogerit, Sananwetan")
        self.assertEqual(request["address_id"], "35.72.03.1004")
        self.assertEqual((request["lat"], request["long"]), (-8.098, 112.168))  # about 100 m
        self.assertTrue(request["requested_datetime"].endswith("+07:00"))
        self.assertEqual(
            dt.datetime.fromisoformat(request["requested_datetime"]), report.received_at.replace(microsecond=0)
        )
        self.assertIsNotNone(request["expected_datetime"])

    def test_status_notes_come_from_the_latest_public_reply_and_never_from_internal_notes(self):
        report = self.disposed()
        disposition = report.dispositions.get()
        actions.post_follow_up(
            disposition, actor=self.transport_liaison, message="Petugas dijadwalkan besok.", audience=Audience.PUBLIC
        )
        actions.post_follow_up(
            disposition,
            actor=self.transport_liaison,
            message="Lampu sudah diganti, Bu Siti Aminah. Hubungi 0812-3456-7890.",
            audience=Audience.PUBLIC,
        )
        actions.post_follow_up(
            disposition, actor=self.transport_liaison, message="Catatan internal: stok habis", audience=Audience.STAFF
        )
        actions.add_internal_note(report, actor=self.coordinator, message="Rahasia koordinator")

        (request,), _response = self.fetch(f"requests/{report.tracking_number}", schema="requests.json")

        self.assertTrue(request["status_notes"].startswith("Lampu sudah diganti"))
        self.assertNotIn("Siti", request["status_notes"])
        self.assertNotIn("0812", request["status_notes"])
        self.assertNotIn("internal", json.dumps(request))

    def test_resolved_and_closed_reports_are_closed(self):
        resolved = factory.make_resolved(
            self.coordinator, self.transport, self.transport_liaison, category=self.category, region=self.kelurahan
        )
        (request,), _response = self.fetch(f"requests/{resolved.tracking_number}", schema="requests.json")
        self.assertEqual(request["status"], "closed")
        self.assertIsNone(request["expected_datetime"])
        self.assertEqual(
            dt.datetime.fromisoformat(request["updated_datetime"]), resolved.resolved_at.replace(microsecond=0)
        )


class PrivacyTests(Open311ReadCase):
    def test_no_personal_data_of_the_reporter_leaves_in_either_format(self):
        report = self.verified(
            description="Lampu mati. Saya Siti Aminah, WA 081234567890, email siti@example.org, NIK 3572012345678901.",
            address="Depan rumah, hubungi 081234567890",
        )
        ServiceRequest.objects.create(
            report=report, api_key=self.api_key, device_id="device-xyz-123", account_id="akun-777"
        )

        for fmt in ("json", "xml"):
            body = self.client.get(f"{BASE}/requests/{report.tracking_number}.{fmt}").content.decode()
            for personal in (
                "Siti",
                "Aminah",
                "081234567890",
                "siti@example.org",
                "3572012345678901",
                "device-xyz",
                "akun-777",
            ):
                self.assertNotIn(personal, body, fmt)
            self.assertIn("Lampu mati", body)

    def test_an_anonymous_reporters_identity_never_appears(self):
        report = self.verified(
            is_anonymous=True, reporter_name="Budi Santoso", description="Jalan berlubang dekat Budi Santoso"
        )
        body = self.client.get(f"{BASE}/requests.json").content.decode()
        self.assertIn(report.tracking_number, body)
        self.assertNotIn("Budi", body)
        self.assertNotIn("081234567890", body)

    def test_a_media_link_that_carries_personal_data_is_not_passed_on(self):
        clean = self.verified()
        ServiceRequest.objects.create(report=clean, api_key=self.api_key, media_url="https://foto.example.org/a.jpg")
        leaky = self.verified()
        ServiceRequest.objects.create(
            report=leaky, api_key=self.api_key, media_url="https://foto.example.org/a.jpg?u=siti@example.org"
        )
        by_id = {r["service_request_id"]: r for r in self.fetch("requests", schema="requests.json")[0]}
        self.assertEqual(by_id[clean.tracking_number]["media_url"], "https://foto.example.org/a.jpg")
        self.assertIsNone(by_id[leaky.tracking_number]["media_url"])

    def test_a_public_photo_is_linked_from_the_portal(self):
        from core.uploads import CleanUpload

        photo = CleanUpload(name="foto.jpg", content=factory.jpeg_bytes(), content_type="image/jpeg")
        report = self.verified(attachments=[photo])
        (request,), _response = self.fetch(f"requests/{report.tracking_number}", schema="requests.json")
        self.assertIn(f"/laporan/{report.tracking_number}/lampiran/", request["media_url"])
        self.assertEqual(self.client.get(urlsplit(request["media_url"]).path).status_code, 200)


class FilterTests(Open311ReadCase):
    def test_service_request_id_list_overrides_the_other_filters(self):
        a, b, c = self.verified(), self.verified(category=self.other_category), self.verified()
        ids = self.ids(service_request_id=f"{a.tracking_number}, {b.tracking_number}", status="closed")
        self.assertEqual(sorted(ids), sorted([a.tracking_number, b.tracking_number]))
        self.assertNotIn(c.tracking_number, ids)

    def test_service_code_and_status_filters(self):
        lamp = self.verified()
        parking = self.verified(category=self.other_category)
        done = factory.make_resolved(self.coordinator, self.transport, self.transport_liaison, category=self.category)

        self.assertEqual(self.ids(service_code=str(self.other_category.pk)), [parking.tracking_number])
        self.assertEqual(
            sorted(self.ids(service_code=f"{self.category.pk},{self.other_category.pk}")),
            sorted([lamp.tracking_number, parking.tracking_number, done.tracking_number]),
        )
        self.assertEqual(self.ids(status="closed"), [done.tracking_number])
        self.assertEqual(sorted(self.ids(status="open")), sorted([lamp.tracking_number, parking.tracking_number]))
        self.assertEqual(len(self.ids(status="open,closed")), 3)

    def test_default_window_is_the_last_90_days(self):
        now = timezone.now()
        recent = self.verified(received_at=now - dt.timedelta(days=89))
        old = self.verified(received_at=now - dt.timedelta(days=91))

        self.assertEqual(self.ids(), [recent.tracking_number])
        self.assertEqual(
            self.ids(
                start_date=(now - dt.timedelta(days=100)).isoformat(),
                end_date=(now - dt.timedelta(days=90)).isoformat(),
            ),
            [old.tracking_number],
        )
        self.assertEqual(
            self.ids(start_date=(now - dt.timedelta(days=95)).date().isoformat()),
            [recent.tracking_number, old.tracking_number],
        )

    def test_bad_dates_and_windows_are_400(self):
        now = timezone.now()
        cases = [
            {"start_date": "kemarin"},
            {"end_date": "2026-13-45"},
            {"start_date": now.isoformat(), "end_date": (now - dt.timedelta(days=1)).isoformat()},
            {"start_date": (now - dt.timedelta(days=120)).isoformat(), "end_date": now.isoformat()},
            {"status": "pending"},
            {"service_code": "abc"},
            {"page": "0"},
            {"page_size": "1001"},
            {"service_request_id": ",".join(str(n) for n in range(1001))},
        ]
        for params in cases:
            _value, response = self.fetch("requests", **params)
            self.assertError(response, 400)

    def test_dates_at_the_ends_of_the_calendar_are_a_geo_report_400_not_an_overflow(self):
        for params in (
            {"start_date": "9999-12-31T23:59:59+14:00"},
            {"start_date": "0001-01-01"},
            {"end_date": "0001-01-01T00:00:00-12:00"},
            {"end_date": "9999-12-31"},
        ):
            with self.subTest(params):
                _value, response = self.fetch("requests", **params)
                self.assertIn("1900", self.assertError(response, 400))

    def test_pages_of_page_size_with_a_link_to_the_next(self):
        made = [self.verified(received_at=timezone.now() - dt.timedelta(minutes=n)) for n in range(5)]
        newest_first = [r.tracking_number for r in made]

        _value, first = self.fetch("requests", page_size="2")
        self.assertEqual([r["service_request_id"] for r in json.loads(first.content)], newest_first[:2])
        self.assertIn('rel="next"', first["Link"])
        self.assertIn("page=2", first["Link"])
        self.assertEqual(self.ids(page_size="2", page="3"), newest_first[4:])
        _value, last = self.fetch("requests", page_size="2", page="3")
        self.assertNotIn("Link", last)

    def test_a_page_takes_the_same_number_of_queries_however_many_reports(self):
        # The window, then its rows' replies, lead dispositions and photos (one query each).
        for _n in range(3):
            report = self.disposed()
            actions.post_follow_up(report.dispositions.get(), actor=self.transport_liaison, message="Dicek.")
        with self.assertNumQueries(4):
            self.client.get(f"{BASE}/requests.json")
        for _n in range(3):
            self.disposed()
        with self.assertNumQueries(4):
            self.client.get(f"{BASE}/requests.json")

    def test_a_large_window_is_streamed_with_the_same_bytes_and_queries_however_many_rows(self):
        for n in range(3):
            report = self.disposed(received_at=timezone.now() - dt.timedelta(minutes=n))
            actions.post_follow_up(report.dispositions.get(), actor=self.transport_liaison, message="Dicek.")
        whole = self.client.get(f"{BASE}/requests.json")
        self.assertFalse(whole.streaming)
        with mock.patch("open311.views.STREAM_AFTER", 1):
            # The window, its replies, lead dispositions and photos, and whether a next page exists.
            with self.assertNumQueries(5):
                streamed = self.client.get(f"{BASE}/requests.json")
                body = b"".join(streamed.streaming_content)
            self.assertTrue(streamed.streaming)
            self.assertEqual(streamed["Content-Type"], "application/json; charset=utf-8")
            self.assertEqual(body, whole.content)
            # Rows read in chunks (three queries per chunk of rows): the same bytes.
            with mock.patch("open311.presenters.RELATED_CHUNK", 2), self.assertNumQueries(1 + 3 * 2 + 1):
                chunked = b"".join(self.client.get(f"{BASE}/requests.json").streaming_content)
            self.assertEqual(chunked, whole.content)
            for _n in range(4):
                self.verified(received_at=timezone.now() - dt.timedelta(hours=1))
            with self.assertNumQueries(5):
                streamed = self.client.get(f"{BASE}/requests.json", {"page_size": "5"})
                page = json.loads(b"".join(streamed.streaming_content))
            self.assertEqual(len(page), 5)
            self.assertIn("page=2", streamed["Link"])
            rest = self.client.get(f"{BASE}/requests.json", {"page_size": "5", "page": "2"})
            self.assertEqual(len(json.loads(b"".join(rest.streaming_content))), 2)
            self.assertNotIn("Link", rest)

    def test_received_reports_wait_for_verification(self):
        report = self.make_report()
        self.assertEqual(self.ids(), [])
        actions.verify_report(report, actor=self.coordinator)
        self.assertEqual(self.ids(), [report.tracking_number])
        self.assertEqual(report.status, Status.RECEIVED)
