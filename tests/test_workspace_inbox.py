"""The coordinator's inbox, the all-reports list and the agency's disposition inbox."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import actions
from reports.models import Channel, Kind
from tests import factory
from tests.base import AduanTestCase

INBOX = reverse("workspace:inbox")
DISPOSITIONS = reverse("workspace:dispositions")
REPORTS = reverse("workspace:reports")


def days_ago(n):
    return timezone.now() - dt.timedelta(days=n)


class CoordinatorInboxTests(AduanTestCase):
    def setUp(self):
        self.login(self.coordinator)

    def numbers(self, response):
        return [r.tracking_number for r in response.context["page"].object_list]

    def verified(self, **kw):
        kw.setdefault("category", self.category)
        kw.setdefault("region", self.kelurahan)
        return factory.make_verified(self.coordinator, **kw)

    def disposed(self, **kw):
        kw.setdefault("category", self.category)
        kw.setdefault("region", self.kelurahan)
        return factory.make_disposed(self.coordinator, self.public_works, **kw)

    def test_inbox_shows_received_and_verified_reports_but_not_disposed_or_archived_ones(self):
        received = self.make_report()
        verified = self.verified()
        disposed = self.disposed()
        archived = actions.archive_report(self.make_report(), actor=self.coordinator, reason="spam")
        response = self.client.get(INBOX)
        self.assertEqual(response.status_code, 200)
        shown = self.numbers(response)
        self.assertCountEqual(shown, [received.tracking_number, verified.tracking_number])
        self.assertNotIn(disposed.tracking_number, shown)
        self.assertNotIn(archived.tracking_number, shown)

    def test_inbox_shows_a_returned_report_with_its_return_marker(self):
        report = self.disposed()
        disposition = report.dispositions.get()
        actions.return_disposition(disposition, actor=self.pw_liaison, reason="Bukan wewenang kami.")
        response = self.client.get(INBOX)
        self.assertEqual(self.numbers(response), [report.tracking_number])
        self.assertContains(response, "dikembalikan 1×")

    def test_inbox_orders_by_nearest_deadline_first(self):
        newest = self.make_report(received_at=days_ago(1))
        oldest = self.make_report(received_at=days_ago(9))
        middle = self.verified(received_at=days_ago(4))
        response = self.client.get(INBOX)
        self.assertEqual(
            self.numbers(response), [oldest.tracking_number, middle.tracking_number, newest.tracking_number]
        )

    def test_inbox_counts_reports_on_hold_without_listing_them(self):
        held = actions.hold_report(self.make_report(), actor=self.coordinator, question="Di RT berapa?")
        response = self.client.get(INBOX)
        self.assertEqual(response.context["on_hold_count"], 1)
        self.assertNotIn(held.tracking_number, self.numbers(response))
        self.assertContains(response, "1 laporan ditunda")

    def test_status_filter_replaces_the_default_statuses(self):
        held = actions.hold_report(self.make_report(), actor=self.coordinator, question="Di RT berapa?")
        disposed = self.disposed()
        self.make_report()
        response = self.client.get(INBOX, {"status": ["on_hold", "disposed"]})
        self.assertCountEqual(self.numbers(response), [held.tracking_number, disposed.tracking_number])

    def test_kind_filter(self):
        info = self.make_report(kind=Kind.INFORMATION_REQUEST)
        self.make_report(kind=Kind.COMPLAINT)
        response = self.client.get(INBOX, {"kind": Kind.INFORMATION_REQUEST})
        self.assertEqual(self.numbers(response), [info.tracking_number])

    def test_category_filter_takes_a_child_or_its_parent(self):
        lights = self.make_report(category=self.category)
        parking = self.make_report(category=self.other_category)
        elsewhere = self.make_report(category=factory.make_category("Pohon tumbang"))
        response = self.client.get(INBOX, {"category": self.other_category.pk})
        self.assertEqual(self.numbers(response), [parking.tracking_number])
        response = self.client.get(INBOX, {"category": self.category.parent_id})
        self.assertCountEqual(self.numbers(response), [lights.tracking_number, parking.tracking_number])
        self.assertNotIn(elsewhere.tracking_number, self.numbers(response))

    def test_agency_filter_keeps_reports_with_a_disposition_to_that_agency(self):
        to_public_works = self.disposed()
        to_transport = factory.make_disposed(self.coordinator, self.transport, category=self.category)
        response = self.client.get(INBOX, {"status": "disposed", "agency": self.public_works.pk})
        self.assertEqual(self.numbers(response), [to_public_works.tracking_number])
        self.assertNotIn(to_transport.tracking_number, self.numbers(response))

    def test_channel_filter(self):
        radio = self.make_report(channel=Channel.RADIO, actor=self.coordinator)
        self.make_report(channel=Channel.WEB)
        response = self.client.get(INBOX, {"channel": Channel.RADIO})
        self.assertEqual(self.numbers(response), [radio.tracking_number])

    def test_kecamatan_and_kelurahan_filters(self):
        other_kecamatan = factory.make_region("Kepanjenkidul")
        far = factory.make_region("Sentul", parent=other_kecamatan)
        here = self.make_report(region=self.kelurahan)
        next_door = self.make_report(region=self.other_kelurahan)
        there = self.make_report(region=far)
        response = self.client.get(INBOX, {"kecamatan": self.kecamatan.pk})
        self.assertCountEqual(self.numbers(response), [here.tracking_number, next_door.tracking_number])
        response = self.client.get(INBOX, {"kelurahan": far.pk})
        self.assertEqual(self.numbers(response), [there.tracking_number])

    def test_without_javascript_the_kelurahan_select_lists_all_grouped_by_kecamatan(self):
        other_kecamatan = factory.make_region("Kepanjenkidul")
        factory.make_region("Sentul", parent=other_kecamatan)
        response = self.client.get(INBOX, {"kecamatan": self.kecamatan.pk})
        choices = [
            (str(group), [label for _value, label in rows])
            for group, rows in list(response.context["form"].fields["kelurahan"].choices)[1:]
        ]
        self.assertEqual(choices, [("Kepanjenkidul", ["Sentul"]), ("Sananwetan", ["Bendogerit", "Klampok"])])
        self.assertContains(response, '<optgroup label="Kepanjenkidul">', html=False)

    def test_htmx_narrows_the_kelurahan_select_to_the_chosen_kecamatan(self):
        other_kecamatan = factory.make_region("Kepanjenkidul")
        far = factory.make_region("Sentul", parent=other_kecamatan)
        htmx = {"HX-Request": "true"}
        response = self.client.get(
            INBOX, {"kecamatan": self.kecamatan.pk, "kelurahan": self.kelurahan.pk}, headers=htmx
        )
        self.assertContains(response, 'id="row-id_kelurahan"')
        self.assertContains(response, 'hx-swap-oob="true"')
        self.assertContains(response, f'<option value="{self.kelurahan.pk}" selected>Bendogerit</option>', html=True)
        self.assertContains(response, f'<option value="{self.other_kelurahan.pk}">Klampok</option>', html=True)
        self.assertNotContains(response, "Sentul")
        # No kecamatan chosen: every kelurahan again.
        response = self.client.get(INBOX, {"kind": Kind.COMPLAINT}, headers=htmx)
        self.assertContains(response, f'<option value="{far.pk}">Sentul</option>', html=True)

    def test_a_kelurahan_outside_the_chosen_kecamatan_is_not_applied_and_says_so(self):
        other_kecamatan = factory.make_region("Kepanjenkidul")
        far = factory.make_region("Sentul", parent=other_kecamatan)
        here = self.make_report(region=self.kelurahan)
        next_door = self.make_report(region=self.other_kelurahan)
        self.make_report(region=far)
        for headers in ({}, {"HX-Request": "true"}):
            response = self.client.get(INBOX, {"kecamatan": self.kecamatan.pk, "kelurahan": far.pk}, headers=headers)
            self.assertEqual(response.status_code, 200)
            # The kecamatan still applies; the kelurahan that contradicts it does not.
            self.assertCountEqual(self.numbers(response), [here.tracking_number, next_door.tracking_number])
            self.assertContains(response, "Filter berikut tidak diterapkan")
            self.assertContains(response, "Kelurahan Sentul tidak termasuk Kecamatan Sananwetan.")
        # The htmx answer resets the select: the refused kelurahan is no longer chosen.
        self.assertNotContains(response, "selected>Sentul")

    def test_a_refused_filter_leaves_the_other_filters_applied(self):
        info = self.make_report(kind=Kind.INFORMATION_REQUEST)
        self.make_report(kind=Kind.COMPLAINT)
        response = self.client.get(INBOX, {"kind": Kind.INFORMATION_REQUEST, "received_from": "2026-13-45"})
        self.assertEqual(self.numbers(response), [info.tracking_number])
        self.assertContains(response, "Tanggal tidak valid")

    def test_overdue_filter_keeps_only_late_reports_and_marks_them(self):
        late = self.make_report(received_at=days_ago(20))
        self.make_report()
        response = self.client.get(INBOX, {"overdue": "on"})
        self.assertEqual(self.numbers(response), [late.tracking_number])
        self.assertContains(response, 'class="overdue"')

    def test_search_by_text(self):
        tree = self.make_report(description="Pohon tumbang menutup jalan Kenari.")
        self.make_report(description="Lampu mati di depan pasar.")
        response = self.client.get(INBOX, {"q": "kenari"})
        self.assertEqual(self.numbers(response), [tree.tracking_number])

    def test_search_by_tracking_number(self):
        wanted = self.make_report()
        self.make_report()
        response = self.client.get(INBOX, {"q": wanted.tracking_number.lower()})
        self.assertEqual(self.numbers(response), [wanted.tracking_number])

    def test_an_htmx_request_gets_only_the_results_table(self):
        self.make_report()
        response = self.client.get(INBOX, {"kind": Kind.COMPLAINT}, headers={"HX-Request": "true"})
        self.assertTemplateUsed(response, "workspace/_report_table.html")
        self.assertTemplateNotUsed(response, "workspace/inbox.html")
        self.assertNotContains(response, "<html")

    def test_inbox_paginates_by_fifty(self):
        for _ in range(51):
            self.make_report()
        response = self.client.get(INBOX)
        self.assertEqual(len(response.context["page"].object_list), 50)
        self.assertEqual(len(self.client.get(INBOX, {"page": 2}).context["page"].object_list), 1)

    def test_inbox_query_count_does_not_grow_with_reports(self):
        def fill(n):
            for i in range(n):
                report = self.make_report(received_at=days_ago(i % 7))
                if i % 3 == 0:
                    actions.verify_report(report, actor=self.coordinator)

        fill(3)
        self.client.get(INBOX)  # the first view reads the kept choice lists (core/choice_lists.py)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(INBOX).status_code, 200)
        few = len(few)
        fill(9)
        self.client.get(INBOX)  # the views counted again after the change (inbox_views.py)
        with self.assertNumQueries(few):
            response = self.client.get(INBOX)
        self.assertEqual(response.context["page"].paginator.count, 12)

    def test_the_all_reports_list_shows_every_status(self):
        received = self.make_report()
        disposed = self.disposed()
        response = self.client.get(REPORTS)
        self.assertCountEqual(self.numbers(response), [received.tracking_number, disposed.tracking_number])

    def test_executive_reads_the_inbox(self):
        report = self.make_report()
        self.login(self.executive)
        response = self.client.get(INBOX)
        self.assertEqual(self.numbers(response), [report.tracking_number])
        self.assertContains(response, "Hanya baca")


class AgencyInboxTests(AduanTestCase):
    def dispose(self, agency=None, **kw):
        kw.setdefault("category", self.category)
        kw.setdefault("region", self.kelurahan)
        return factory.make_disposed(self.coordinator, agency or self.public_works, **kw)

    def rows(self, response):
        return [d.report.tracking_number for d in response.context["page"].object_list]

    def test_liaison_sees_only_their_agencys_dispositions(self):
        mine = self.dispose()
        theirs = self.dispose(self.transport)
        self.login(self.pw_liaison)
        response = self.client.get(DISPOSITIONS)
        self.assertEqual(self.rows(response), [mine.tracking_number])
        self.assertNotContains(response, theirs.tracking_number)

    def test_open_dispositions_come_first_then_nearest_deadline(self):
        done = self.dispose()
        actions.finish_disposition(done.dispositions.get(), actor=self.pw_liaison, message="Sudah diperbaiki.")
        late = self.dispose()
        soon = self.dispose()
        late_disposition = late.dispositions.get()
        late_disposition.follow_up_due_at = timezone.now() - dt.timedelta(days=2)
        late_disposition.save(update_fields=["follow_up_due_at"])
        self.login(self.pw_operator)
        response = self.client.get(DISPOSITIONS, {"state": "all"})
        self.assertEqual(self.rows(response), [late.tracking_number, soon.tracking_number, done.tracking_number])

    def test_the_list_opens_on_open_work_and_all_shows_the_finished_too(self):
        done = self.dispose()
        actions.finish_disposition(done.dispositions.get(), actor=self.pw_liaison, message="Sudah diperbaiki.")
        open_one = self.dispose()
        self.login(self.pw_liaison)

        response = self.client.get(DISPOSITIONS)

        self.assertEqual(self.rows(response), [open_one.tracking_number])
        self.assertContains(response, '<option value="open" selected>')
        everything = self.rows(self.client.get(DISPOSITIONS, {"state": "all"}))
        self.assertEqual(everything, [open_one.tracking_number, done.tracking_number])
        self.assertEqual(self.rows(self.client.get(DISPOSITIONS, {"state": "done"})), [done.tracking_number])

    def test_state_overdue_and_search_filters(self):
        pending = self.dispose(description="Saluran air tersumbat di Jalan Kenari.")
        accepted = self.dispose()
        actions.post_follow_up(accepted.dispositions.get(), actor=self.pw_liaison, message="Kami cek besok.")
        disposition = pending.dispositions.get()
        disposition.follow_up_due_at = timezone.now() - dt.timedelta(hours=1)
        disposition.save(update_fields=["follow_up_due_at"])
        self.login(self.pw_liaison)
        self.assertEqual(self.rows(self.client.get(DISPOSITIONS, {"state": "accepted"})), [accepted.tracking_number])
        self.assertEqual(self.rows(self.client.get(DISPOSITIONS, {"overdue": "on"})), [pending.tracking_number])
        self.assertEqual(self.rows(self.client.get(DISPOSITIONS, {"q": "kenari"})), [pending.tracking_number])
        response = self.client.get(DISPOSITIONS, {"q": accepted.tracking_number})
        self.assertEqual(self.rows(response), [accepted.tracking_number])

    def test_a_refused_filter_is_named_and_the_others_still_apply(self):
        wanted = self.dispose(description="Saluran air tersumbat di Jalan Kenari.")
        self.dispose()
        self.login(self.pw_liaison)
        response = self.client.get(DISPOSITIONS, {"state": "bukan-status", "q": "kenari"})
        self.assertEqual(self.rows(response), [wanted.tracking_number])
        self.assertContains(response, "Filter berikut tidak diterapkan:")

    def test_rows_show_the_role_and_state(self):
        self.dispose(supporting=[self.public_works], agency=self.transport)
        self.login(self.pw_liaison)
        response = self.client.get(DISPOSITIONS)
        self.assertContains(response, "Pendukung")
        self.assertContains(response, "Menunggu tindak lanjut")

    def test_liaison_never_sees_an_anonymous_reporters_identity_in_the_inbox(self):
        self.dispose(
            is_anonymous=True,
            reporter_name="Bambang Rahasia",
            reporter_phone="089911112222",
            reporter_email="bambang@example.org",
        )
        self.login(self.pw_liaison)
        response = self.client.get(DISPOSITIONS)
        self.assertEqual(len(response.context["page"].object_list), 1)
        for secret in ("Bambang", "089911112222", "bambang@example.org"):
            self.assertNotContains(response, secret)

    def test_agency_head_reads_the_disposition_inbox(self):
        report = self.dispose()
        self.login(self.pw_head)
        response = self.client.get(DISPOSITIONS)
        self.assertEqual(self.rows(response), [report.tracking_number])
        self.assertContains(response, "Hanya baca")

    def test_liaison_opening_the_coordinator_inbox_lands_on_the_dispositions(self):
        self.login(self.pw_liaison)
        self.assertRedirects(self.client.get(INBOX), DISPOSITIONS)

    def test_agency_inbox_query_count_does_not_grow_with_dispositions(self):
        self.login(self.pw_liaison)
        for _ in range(3):
            self.dispose()
        self.client.get(DISPOSITIONS)  # the caches warm (the home government's id: the page's name)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(DISPOSITIONS).status_code, 200)
        for _ in range(9):
            self.dispose(supporting=[self.transport])
        with self.assertNumQueries(len(few)):
            response = self.client.get(DISPOSITIONS)
        self.assertEqual(response.context["page"].paginator.count, 12)
