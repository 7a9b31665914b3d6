"""The recap by channel (/kerja/rekap/kanal/), the channel column of the report lists and
the received-date filter the recap's links rely on."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import actions
from reports.models import Channel
from tests import factory
from tests.base import AduanTestCase

URL = reverse("workspace:channel_recap")
REPORTS = reverse("workspace:reports")


def at(days_ago):
    return timezone.now() - dt.timedelta(days=days_ago)


def local_day(moment):
    return timezone.localtime(moment).date()


class ChannelRecapTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.period = {"received_from": local_day(at(20)).isoformat(), "received_to": local_day(at(10)).isoformat()}
        inside = at(15)

        def report(channel, **kw):
            kw.setdefault("received_at", inside)
            kw.setdefault("category", cls.category)
            kw.setdefault("region", cls.kelurahan)
            return factory.make_report(channel=channel, actor=cls.coordinator, **kw)

        def disposed(channel):
            return factory.make_disposed(
                cls.coordinator, cls.public_works, channel=channel, actor=cls.coordinator, received_at=inside
            )

        # WhatsApp: 2 received, 1 in progress (disposed to public works), 1 archived.
        report(Channel.WHATSAPP)
        report(Channel.WHATSAPP)
        disposed(Channel.WHATSAPP)
        actions.archive_report(report(Channel.WHATSAPP), actor=cls.coordinator, reason="spam")
        # Call center: 1 received (verified), 1 resolved and 1 closed, both by public works.
        actions.verify_report(report(Channel.CALL_CENTER), actor=cls.coordinator)
        for _ in range(2):
            resolved = disposed(Channel.CALL_CENTER)
            actions.finish_disposition(
                resolved.dispositions.get(), actor=cls.pw_liaison, message="Lampu sudah diperbaiki."
            )
        resolved.refresh_from_db()
        actions.close_report(resolved, actor=cls.coordinator)
        # Radio, outside the period on both sides.
        report(Channel.RADIO, received_at=at(25))
        report(Channel.RADIO, received_at=at(5))

    def setUp(self):
        self.login(self.coordinator)

    def recap(self, user=None, **params):
        if user:
            self.login(user)
        response = self.client.get(URL, {**self.period, **params})
        self.assertEqual(response.status_code, 200)
        return response

    @staticmethod
    def table(response):
        """channel → [received, in progress, resolved, closed, archived, total]."""
        rows, totals = response.context["rows"], response.context["totals"]
        table = {row.channel: [c.count for c in row.cells] + [row.total.count] for row in rows}
        table["total"] = [c.count for c in totals.cells] + [totals.total.count]
        return table

    def test_counts_per_channel_and_status_group_equal_the_hand_count(self):
        table = self.table(self.recap())
        self.assertEqual(table[Channel.WHATSAPP], [2, 1, 0, 0, 1, 4])
        self.assertEqual(table[Channel.CALL_CENTER], [1, 0, 1, 1, 0, 3])
        self.assertEqual(table[Channel.RADIO], [0, 0, 0, 0, 0, 0])
        self.assertEqual(table[Channel.WEB], [0, 0, 0, 0, 0, 0])
        self.assertEqual(table["total"], [3, 1, 1, 1, 1, 7])
        self.assertEqual(len(table), len(Channel) + 1)  # every channel, zeros included

    def test_the_period_includes_both_whole_days(self):
        first, last = (
            dt.date.fromisoformat(self.period["received_from"]),
            dt.date.fromisoformat(self.period["received_to"]),
        )
        midnight = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
        factory.make_report(channel=Channel.SMS, received_at=midnight)
        factory.make_report(channel=Channel.SMS, received_at=midnight - dt.timedelta(seconds=1))
        end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
        factory.make_report(channel=Channel.SMS, received_at=end - dt.timedelta(seconds=1))
        factory.make_report(channel=Channel.SMS, received_at=end)
        self.assertEqual(self.table(self.recap())[Channel.SMS][-1], 2)

    def test_every_count_links_to_a_list_showing_exactly_those_reports(self):
        response = self.recap()
        cells = [
            (row, cell)
            for row in [*response.context["rows"], response.context["totals"]]
            for cell in [*row.cells, row.total]
        ]
        for row, cell in cells:
            listed = self.client.get(cell.url)
            self.assertEqual(listed.context["page"].paginator.count, cell.count, (row.label, cell.url))
        whatsapp_received = response.context["rows"][[c.value for c in Channel].index(Channel.WHATSAPP)].cells[0]
        query = parse_qs(urlsplit(whatsapp_received.url).query)
        self.assertEqual(urlsplit(whatsapp_received.url).path, REPORTS)
        self.assertEqual(query["channel"], [Channel.WHATSAPP])
        self.assertEqual(query["status"], ["received", "on_hold", "verified"])
        self.assertEqual(query["received_from"], [self.period["received_from"]])
        self.assertEqual(query["received_to"], [self.period["received_to"]])
        self.assertContains(response, f'href="{whatsapp_received.url.replace("&", "&amp;")}">2</a>', html=False)

    def test_this_month_by_default(self):
        today = timezone.localdate()
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(
            (form.cleaned_data["received_from"], form.cleaned_data["received_to"]), (today.replace(day=1), today)
        )
        factory.make_report(channel=Channel.EMAIL)
        self.assertEqual(self.table(self.client.get(URL))[Channel.EMAIL][-1], 1)

    def test_bad_dates_give_indonesian_errors_and_no_table(self):
        for params, message in [
            ({"received_from": "2026-13-45"}, "Tanggal tidak valid"),
            ({"received_to": "kemarin"}, "Tanggal tidak valid"),
            ({"received_from": "2026-03-10", "received_to": "2026-03-01"}, "Tanggal awal harus sebelum"),
        ]:
            response = self.client.get(URL, params)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, message)
            self.assertIsNone(response.context["rows"])

    def test_executives_see_every_report_counted(self):
        self.assertEqual(self.table(self.recap(self.executive))["total"], [3, 1, 1, 1, 1, 7])

    def test_agency_staff_count_only_what_was_disposed_to_their_agency(self):
        for user in (self.pw_liaison, self.pw_operator, self.pw_head):
            table = self.table(self.recap(user))
            self.assertEqual(table[Channel.WHATSAPP], [0, 1, 0, 0, 0, 1], user)
            self.assertEqual(table[Channel.CALL_CENTER], [0, 0, 1, 1, 0, 2], user)
            self.assertEqual(table["total"][-1], 3)
        response = self.recap(self.transport_liaison)
        self.assertEqual(self.table(response)["total"], [0, 0, 0, 0, 0, 0])
        self.assertContains(response, "Hanya laporan yang didisposisikan ke perangkat daerah Anda")

    def test_agency_links_show_the_agency_the_same_counts(self):
        response = self.recap(self.pw_liaison)
        totals = response.context["totals"]
        self.assertEqual(self.client.get(totals.total.url).context["page"].paginator.count, 3)

    def test_staff_without_appointment_are_refused_and_visitors_sent_to_log_in(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.client.logout()
        self.assertIn(reverse("workspace:login"), self.client.get(URL)["Location"])

    def test_the_query_count_does_not_grow_with_the_reports(self):
        self.recap()  # the caches warm (the home government's id: the page's name)
        with CaptureQueriesContext(connection) as first:
            self.recap()
        for channel in (Channel.SMS, Channel.API, Channel.LAPOR):
            factory.make_report(channel=channel, received_at=at(15))
        with self.assertNumQueries(len(first)):
            self.recap()


class ChannelColumnTests(AduanTestCase):
    def test_report_lists_show_each_reports_channel_with_its_mark(self):
        self.make_report(channel=Channel.WHATSAPP)
        self.make_report(channel=Channel.CALL_CENTER, actor=self.coordinator)
        self.client.force_login(self.coordinator)
        for url in (reverse("workspace:inbox"), REPORTS):
            response = self.client.get(url)
            self.assertContains(response, '<span class="ws-channel ws-channel-whatsapp">WhatsApp</span>')
            self.assertContains(response, '<span class="ws-channel ws-channel-call_center">Call center</span>')

    def test_received_date_filter_of_the_report_list(self):
        old = self.make_report(received_at=at(40))
        new = self.make_report(received_at=at(2))
        self.client.force_login(self.coordinator)
        numbers = lambda response: [r.tracking_number for r in response.context["page"].object_list]  # noqa: E731
        since = local_day(at(10)).isoformat()
        self.assertEqual(numbers(self.client.get(REPORTS, {"received_from": since})), [new.tracking_number])
        self.assertEqual(numbers(self.client.get(REPORTS, {"received_to": since})), [old.tracking_number])

    def test_the_recap_is_in_the_menu_of_staff(self):
        for user in (self.coordinator, self.executive, self.pw_liaison):
            self.client.force_login(user)
            self.assertContains(self.client.get(REPORTS), f'href="{URL}"')
