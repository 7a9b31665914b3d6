"""Manual entry: a report that came by phone, radio, walk-in or social media, typed in by
the coordinator."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
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
        self.assertContains(response, 'name="description" cols="40" rows="5" autofocus accesskey="i"')
        self.assertContains(response, 'type="datetime-local"')
        self.assertContains(response, f'value="{local_input(timezone.now())[:13]}')
        # Nothing remembered yet: the call center, the channel this page is mostly for.
        self.assertEqual(response.context["form"]["channel"].value(), Channel.CALL_CENTER)
        self.assertContains(response, 'value="call_center" id="id_channel_0" required checked')
        # The keys are written on the page, and the script that makes them work is loaded.
        self.assertContains(response, "<kbd>Ctrl</kbd>+<kbd>Enter</kbd>")
        self.assertContains(response, "<kbd>Alt</kbd>+<kbd>N</kbd>")
        self.assertContains(response, "/static/js/manual-entry.js")

    def test_the_description_comes_first_in_tab_order_and_the_channel_after_the_reporter(self):
        self.login(self.coordinator)
        html = self.client.get(URL).content.decode()
        positions = [html.index(f'name="{name}"') for name in ("description", "region", "reporter_name", "channel")]
        self.assertEqual(positions, sorted(positions))
        self.assertNotIn("tabindex", html)

    def test_manual_entry_creates_a_report_with_channel_reference_and_received_at(self):
        self.login(self.coordinator)
        received = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
        response = self.client.post(URL, self.data(received_at=local_input(received)), follow=True)
        report = Report.objects.get()
        self.assertRedirects(response, reverse("workspace:manual_entry_saved", args=[report.pk]))
        self.assertContains(response, f'<p class="tracking-number" id="saved-number">{report.tracking_number}</p>')
        self.assertContains(response, "Laporan tersimpan dengan nomor")
        # Enter or Alt+N on the saved page opens a fresh form; the report is one link away.
        self.assertContains(response, f'href="{URL}" accesskey="n" data-shortcut="n" autofocus')
        self.assertContains(response, reverse("workspace:report", args=[report.pk]))
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
        self.assertContains(response, 'value="radio" id="id_channel_1" required checked')

    def test_the_channel_follows_the_last_saved_report_across_entries(self):
        self.login(self.coordinator)
        self.client.post(URL, self.data(channel=Channel.WALK_IN))
        saved = self.client.post(URL, self.data(channel=Channel.SOCIAL_MEDIA), follow=True)
        self.assertContains(saved, "Formulir berikutnya memakai kanal Media sosial")
        self.assertEqual(self.client.get(URL).context["form"]["channel"].value(), Channel.SOCIAL_MEDIA)
        self.assertEqual(
            list(Report.objects.order_by("pk").values_list("channel", flat=True)),
            [Channel.WALK_IN, Channel.SOCIAL_MEDIA],
        )

    def test_a_refused_form_does_not_change_the_remembered_channel(self):
        self.login(self.coordinator)
        self.client.post(URL, self.data(channel=Channel.RADIO))
        self.client.post(URL, self.data(channel=Channel.EMAIL, description=""))
        self.assertEqual(self.client.get(URL).context["form"]["channel"].value(), Channel.RADIO)

    def test_the_channel_is_remembered_per_user(self):
        other = factory.make_staff(Role.COORDINATOR, self.unit, "koordinator_2")
        self.login(self.coordinator)
        self.client.post(URL, self.data(channel=Channel.RADIO))
        self.login(other)
        self.assertEqual(self.client.get(URL).context["form"]["channel"].value(), Channel.CALL_CENTER)

    def test_a_rejected_form_comes_back_with_everything_typed(self):
        self.login(self.coordinator)
        data = self.data(
            channel=Channel.WALK_IN,
            reporter_email="bukan-email",  # the one invalid field
            is_anonymous="on",
            is_confidential="on",
            kind="aspiration",
        )
        response = self.client.post(URL, data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Report.objects.exists())
        self.assertContains(response, "errorlist")
        form = response.context["form"]
        for name in ("channel", "channel_reference", "received_at", "kind", "description", "address"):
            self.assertEqual(form[name].value(), data[name], name)
        for name in ("reporter_name", "reporter_phone", "reporter_email", "reply_channel"):
            self.assertEqual(form[name].value(), data[name], name)
        self.assertEqual(
            (form["category"].value(), form["region"].value()), (str(self.category.pk), str(self.kelurahan.pk))
        )
        self.assertTrue(form["is_anonymous"].value() and form["is_confidential"].value())
        # …and as HTML the browser shows again.
        self.assertContains(response, "Penelepon melaporkan pohon tumbang di Jalan Merdeka.</textarea>")
        self.assertContains(response, 'value="walk_in" id="id_channel_2" required checked')
        self.assertContains(response, f'value="{data["received_at"]}"')
        self.assertContains(
            response,
            'name="is_confidential" aria-describedby="id_is_confidential_helptext" id="id_is_confidential" checked',
        )

    def test_a_domain_refusal_also_keeps_the_input(self):
        self.login(self.coordinator)
        response = self.client.post(URL, self.data(reporter_phone="", reply_channel="sms", channel=Channel.RADIO))
        self.assertContains(response, "Isi nomor HP")
        self.assertEqual(response.context["form"]["channel"].value(), Channel.RADIO)
        self.assertContains(response, "Penelepon melaporkan pohon tumbang di Jalan Merdeka.</textarea>")

    def test_a_rejected_form_lists_possible_duplicates_without_javascript(self):
        earlier = self.make_report(description="Pohon tumbang menutup Jalan Merdeka dekat masjid.")
        self.login(self.coordinator)
        response = self.client.post(URL, self.data(description="Pohon tumbang lagi di Jalan Merdeka", received_at=""))
        self.assertContains(response, "errorlist")
        self.assertEqual([r.pk for r in response.context["similar"]], [earlier.pk])
        self.assertContains(response, earlier.tracking_number)

    def test_the_saved_page_is_for_coordinators_only(self):
        report = self.make_report()
        self.login(self.executive)
        self.assertEqual(self.client.get(reverse("workspace:manual_entry_saved", args=[report.pk])).status_code, 403)

    def test_agency_staff_and_executives_are_refused(self):
        for user in (self.pw_liaison, self.pw_operator, self.pw_head, self.executive):
            self.login(user)
            self.assertEqual(self.client.get(URL).status_code, 403)
            self.assertEqual(self.client.post(URL, self.data()).status_code, 403)
        self.assertFalse(Report.objects.exists())
