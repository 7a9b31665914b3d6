"""Open311's window rendered row by row cheaply (open311.presenters.Presenter: the time
zone, labels and photo URL looked up once per window, replies masked once per text; the
stream encoded in batches) writes the same bytes as the straightforward rendering it
replaced (``reference_request`` below, the presenter as it was: ``reverse()``,
``timezone.localtime`` and masking per row, one ``json.dumps`` per item), and the
document still validates against the GeoReport schema (../shared/open311)."""

import datetime as dt
import json
from decimal import Decimal
from unittest import mock

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from core.masking import mask_personal_data
from core.uploads import CleanUpload
from open311 import presenters, render
from open311.models import ServiceRequest
from reports import actions
from reports.models import Audience, Status
from tests import factory, open311_schema
from tests.open311_base import BASE
from tests.test_open311_requests import Open311ReadCase


def reference_request(row) -> dict:
    """open311.presenters.as_request before the per-window presenter (kept verbatim)."""
    closed = row["status"] in presenters.CLOSED_STATES
    has_lead = row["lead_state"] is not None
    expected = row["lead_due"] if has_lead and not closed and row["lead_state"] in presenters.WAITING else None
    reply = row["last_reply"]

    def iso(value):
        return timezone.localtime(value).isoformat(timespec="seconds") if value else None

    def media_url():
        if row["photo_id"] is not None:
            path = reverse("portal:public_attachment", args=[row["tracking_number"], row["photo_id"]])
            return settings.ADUAN_SITE_URL + path
        link = row["open311__media_url"]
        if link and mask_personal_data(link) == link:
            return link
        return None

    return {
        "service_request_id": row["tracking_number"],
        "status": "closed" if closed else "open",
        "status_notes": mask_personal_data(reply or "", names=[row["reporter_name"]])[:4000] if reply else None,
        "service_name": row["category__name"] if row["category_id"] else None,
        "service_code": str(row["category_id"]) if row["category_id"] else "",
        "description": row["masked_description"][:4000],
        "agency_responsible": row["lead_agency"] if has_lead else None,
        "service_notice": None,
        "requested_datetime": iso(row["received_at"]),
        "updated_datetime": iso(presenters._updated(row)),
        "expected_datetime": iso(expected),
        "address": presenters._address(row),
        "address_id": (row["region__code"] or None) if row["region_id"] else None,
        "zipcode": None,
        "lat": presenters._coordinate(row["latitude"]),
        "long": presenters._coordinate(row["longitude"]),
        "media_url": media_url(),
    }


def reference_json(rows) -> bytes:
    return b"[" + b",".join(render.to_json(reference_request(r)) for r in rows) + b"]"


class RenderingTests(Open311ReadCase):
    def make_window(self):
        """Reports of every shape a request takes: a lead with a deadline, public replies
        naming the reporter and a phone number (the same reply on two reports), a photo, a
        client's media link, resolved and closed, no category or kelurahan, coordinates."""
        now = timezone.now()
        made = []
        for n in range(4):
            report = self.disposed(
                received_at=now - dt.timedelta(minutes=n),
                reporter_name="Budi Santoso",
                latitude=Decimal("-8.098312") if n % 2 else None,
                longitude=Decimal("112.168134") if n % 2 else None,
                address=f"Jl. Merdeka {n}",
            )
            actions.post_follow_up(
                report.dispositions.get(),
                actor=self.transport_liaison,
                message="Pak Budi Santoso, petugas datang besok; hubungi 081234567890.",
                audience=Audience.PUBLIC,
            )
            made.append(report)
        photo = CleanUpload(name="foto.jpg", content=factory.jpeg_bytes(), content_type="image/jpeg")
        made.append(self.verified(attachments=[photo], received_at=now - dt.timedelta(minutes=10)))
        linked = self.verified(received_at=now - dt.timedelta(minutes=11), category=None, region=None)
        ServiceRequest.objects.create(report=linked, api_key=self.api_key, media_url="https://foto.example.org/a.jpg")
        made.append(linked)
        resolved = made[0]
        type(resolved).objects.filter(pk=resolved.pk).update(status=Status.RESOLVED, resolved_at=now)
        type(resolved).objects.filter(pk=made[1].pk).update(status=Status.CLOSED, closed_at=now)
        return made

    def window_rows(self):
        return list(presenters.public_requests().order_by("-received_at", "-pk"))

    def test_a_window_is_byte_identical_to_the_reference_rendering(self):
        self.make_window()
        expected = reference_json(self.window_rows())
        response = self.client.get(f"{BASE}/requests.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, expected)
        self.assertNotIn(b"081234567890", response.content)
        self.assertNotIn(b"Budi", response.content)
        self.assertIn(b"/lampiran/", response.content)
        self.assertIn(b"https://foto.example.org/a.jpg", response.content)
        open311_schema.validate(json.loads(response.content), "requests.json")

    def test_the_masking_labels_follow_the_language_of_each_window(self):
        self.make_window()
        rows = self.window_rows()
        for language in ("id", "en", "id"):
            with self.subTest(language=language), translation.override(language):
                present = presenters.Presenter()
                self.assertEqual([present(r) for r in rows], [reference_request(r) for r in rows])

    def test_a_streamed_window_is_byte_identical_whatever_the_batch(self):
        self.make_window()
        expected = reference_json(self.window_rows())
        for batch in (1, 2, 4, 100):
            with (
                self.subTest(batch=batch),
                mock.patch("open311.views.STREAM_AFTER", 1),
                mock.patch("open311.render.STREAM_BATCH", batch),
            ):
                response = self.client.get(f"{BASE}/requests.json")
                self.assertTrue(response.streaming)
                body = b"".join(response.streaming_content)
                self.assertEqual(body, expected)
                open311_schema.validate(json.loads(body), "requests.json")

    def test_one_request_is_the_same_as_in_the_window(self):
        made = self.make_window()
        for report in made:
            row = presenters.public_requests().get(pk=report.pk)
            self.assertEqual(presenters.as_request(row), reference_request(row))
