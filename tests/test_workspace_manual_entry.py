"""Manual entry: a report that came by phone, radio, walk-in or social media, typed in by
the coordinator."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reports.models import Channel, Report
from tests import factory
from tests.base import AduanTestCase

URL = reverse("workspace:manual_entry")


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


class ManualEntryTests(AduanTestCase):
    def data(self, **overrides):
        values = {
            "channel": Channel.CALL_CENTER,
            "channel_reference": "0342-801234",
            "received_at": local_input(timezone.now() - dt.timedelta(hours=2)),
            "kind": "complaint",
            "description": "Penelepon melaporkan pohon tumbang di Jalan Merdeka.",
            "category": self.category.pk,
            "region": self.kelurahan.pk,
            "address": "Jl. Merdeka 12",
            "reporter_name": "Pak Darmo",
            "reporter_phone": "081355556666",
            "reply_channel": "sms",
        }
        values.update(overrides)
        return values

    def test_coordinator_gets_a_keyboard_first_form_defaulting_to_now(self):
        self.login(self.coordinator)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="channel" autofocus')
        self.assertContains(response, 'type="datetime-local"')
        self.assertContains(response, f'value="{local_input(timezone.now())[:13]}')

    def test_manual_entry_creates_a_report_with_channel_reference_and_received_at(self):
        self.login(self.coordinator)
        received = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
        response = self.client.post(URL, self.data(received_at=local_input(received)), follow=True)
        report = Report.objects.get()
        self.assertRedirects(response, reverse("workspace:report", args=[report.pk]))
        self.assertContains(response, report.tracking_number)
        self.assertContains(response, "Laporan tersimpan dengan nomor")
        self.assertEqual(
            (report.channel, report.channel_reference, report.received_at, report.created_by),
            (Channel.CALL_CENTER, "0342-801234", received, self.coordinator),
        )
        self.assertEqual((report.region, report.reporter_name), (self.kelurahan, "Pak Darmo"))
        self.assertEqual(report.events.get().actor_role, "coordinator")

    def test_manual_entry_stores_attachments(self):
        self.login(self.coordinator)
        upload = SimpleUploadedFile("tangkapan.jpg", factory.jpeg_bytes(), content_type="image/jpeg")
        self.client.post(URL, self.data(channel=Channel.INSTAGRAM, attachments=[upload]))
        self.assertEqual(Report.objects.get().attachments.count(), 1)

    def test_received_at_in_the_future_is_refused(self):
        self.login(self.coordinator)
        response = self.client.post(URL, self.data(received_at=local_input(timezone.now() + dt.timedelta(days=1))))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "tidak boleh di masa depan")
        self.assertFalse(Report.objects.exists())

    def test_missing_description_and_a_domain_refusal_show_on_the_form(self):
        self.login(self.coordinator)
        response = self.client.post(URL, self.data(description=""))
        self.assertContains(response, "errorlist")
        response = self.client.post(URL, self.data(reporter_phone="", reply_channel="sms"))
        self.assertContains(response, "Isi nomor HP")
        self.assertFalse(Report.objects.exists())

    def test_only_manual_channels_are_offered(self):
        self.login(self.coordinator)
        response = self.client.post(URL, self.data(channel=Channel.WEB))
        self.assertContains(response, "errorlist")
        self.assertFalse(Report.objects.exists())

    def test_the_last_channel_is_remembered_for_the_next_report(self):
        self.login(self.coordinator)
        self.client.post(URL, self.data(channel=Channel.RADIO))
        response = self.client.get(URL)
        self.assertEqual(response.context["form"]["channel"].value(), Channel.RADIO)
        self.assertContains(response, 'name="channel_reference" maxlength="200" autofocus')

    def test_agency_staff_and_executives_are_refused(self):
        for user in (self.pw_liaison, self.pw_operator, self.pw_head, self.executive):
            self.login(user)
            self.assertEqual(self.client.get(URL).status_code, 403)
            self.assertEqual(self.client.post(URL, self.data()).status_code, 403)
        self.assertFalse(Report.objects.exists())
