"""Refer across governments and return up (issue 20; reports/actions/referrals.py): Kota
Blitar (the installation's government) refers a report to Kota Kediri, which may give it
back. Each access rule has a test here that fails without it."""

import datetime as dt

import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from core import workdays
from core.errors import DomainError, NotAllowed
from core.models import CalendarEntry
from core.uploads import clean_bytes
from governments.models import Government
from reports import access, actions
from reports.models import Referral, Status
from tests import factory
from tests.api_base import ApiClientMixin
from tests.rollup import rebuilt, rows
from tests.test_tenancy import TwoGovernmentsCase

REASON = "Jalan Ahmad Yani ruas ini jalan kota Kediri, bukan kewenangan Kota Blitar."


class ReferralCase(TwoGovernmentsCase):
    def refer(self, report, **kwargs):
        kwargs.setdefault("government", self.kediri)
        kwargs.setdefault("reason", REASON)
        with factory.muted():
            return actions.refer_report(report, actor=kwargs.pop("actor", self.coordinator), **kwargs)

    def give_back(self, report, reason="Ruas ini ternyata jalan Kota Blitar.", actor=None):
        with factory.muted():
            return actions.return_referral(report, actor=actor or self.kediri_coordinator, reason=reason)


class ReferTests(ReferralCase):
    def test_refer_moves_the_report_to_the_receivers_verification_queue(self):
        same_name = factory.make_category(self.category.name, government=self.kediri)
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)
        report.refresh_from_db()
        self.assertEqual(report.government, self.kediri)
        self.assertEqual(report.status, Status.RECEIVED)
        self.assertEqual(report.category, same_name)  # the receiver's category of the same name
        self.assertIsNone(report.owner)
        referral = Referral.objects.get(report=report)
        self.assertEqual(
            (referral.from_government, referral.to_government, referral.state, referral.reason),
            (self.blitar, self.kediri, Referral.State.ACTIVE, REASON),
        )
        event = report.events.get(action="referred")
        self.assertEqual((event.data["from"], event.data["to"]), (self.blitar.pk, self.kediri.pk))
        self.assertIn(report, access.reports_visible_to(self.kediri_coordinator))
        self.assertTrue(access.can_act(self.kediri_coordinator, report))
        self.login(self.kediri_coordinator)
        inbox = self.client.get(reverse("workspace:inbox")).content.decode()
        self.assertIn(report.tracking_number, inbox)

    def test_the_receiver_gets_suggestions_among_its_own_categories_not_the_senders(self):
        from triage import jobs
        from triage.models import Suggestion, TriageJob

        factory.make_category(self.category.name, government=self.kediri)  # a category to suggest
        report = factory.make_report(title=self.category.name, description=f"{self.category.name} di Jl. Mawar")
        jobs.perform(report.pk, TriageJob.Kind.READ)
        self.refer(report)
        queued = TriageJob.objects.filter(report=report, kind=TriageJob.Kind.READ)
        self.assertEqual(queued.count(), 1)  # written with the referral, done by the worker
        jobs.perform(report.pk, TriageJob.Kind.READ)
        suggested = Suggestion.objects.filter(report=report)
        self.assertFalse(suggested.exclude(category__isnull=True).exclude(category__government=self.kediri).exists())
        self.assertFalse(suggested.exclude(agency__isnull=True).exclude(agency__government=self.kediri).exists())
        # Read again after the move (what the model suggests depends on what it learnt).
        from triage.models import ReportTriage

        referred_at = Referral.objects.get(report=report).referred_at
        self.assertGreaterEqual(ReportTriage.objects.get(report=report).suggested_at, referred_at)

    def test_a_category_the_receiver_has_not_is_cleared(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)
        report.refresh_from_db()
        self.assertIsNone(report.category)

    def test_history_and_attachments_go_with_the_report(self):
        report = factory.make_report(
            category=self.category, attachments=[clean_bytes("foto.jpg", factory.jpeg_bytes())]
        )
        with factory.muted():
            actions.verify_report(report, actor=self.coordinator)
            actions.add_internal_note(report, actor=self.coordinator, message="Sudah dicek ke lapangan.")
        self.refer(report)
        self.assertEqual(
            list(access.get_report_for(self.kediri_coordinator, report.pk).attachments.all()),
            list(report.attachments.all()),
        )
        self.login(self.kediri_coordinator)
        page = self.client.get(reverse("workspace:report", args=[report.pk])).content.decode()
        self.assertIn("Sudah dicek ke lapangan.", page)
        self.assertIn(REASON, page)  # "Dirujuk dari Kota Blitar: …"
        attachment = report.attachments.get()
        self.assertEqual(self.client.get(reverse("workspace:attachment", args=[attachment.pk])).status_code, 200)

    def test_the_receiver_is_not_offered_the_senders_categories_and_agencies(self):
        from triage.models import ReportTriage, Suggestion

        report = factory.make_report(category=self.category)
        # Read already (no first read on opening the page would replace the suggestions).
        ReportTriage.objects.update_or_create(report=report, defaults={"duplicates_at": timezone.now()})
        Suggestion.objects.filter(report=report).delete()
        Suggestion.objects.create(report=report, rank=1, agency=self.public_works, agency_confidence=0.9)
        self.login(self.coordinator)
        self.assertContains(
            self.client.get(reverse("workspace:report", args=[report.pk])), 'class="triage-suggestions"'
        )
        self.refer(report)
        self.login(self.kediri_coordinator)
        page = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertNotContains(page, self.public_works.name)
        offered = Suggestion.objects.filter(report=report)
        self.assertFalse(offered.filter(agency=self.public_works).exists())
        # The report is read again on arrival: what it offers now is of the receiver's tree
        # ("Lampu jalan" of Kota Kediri, by its keyword rules).
        for suggestion in offered:
            for chosen in (suggestion.category, suggestion.agency):
                self.assertIn(getattr(chosen, "government_id", self.kediri.pk), {self.kediri.pk})

    def test_the_senders_dispositions_end_and_their_agencies_lose_the_report(self):
        report = self.blitar_report
        self.refer(report)
        self.assertFalse(report.dispositions.filter(is_active=True).exists())
        self.assertNotIn(report, access.reports_visible_to(self.transport_liaison))
        self.assertFalse(access.can_act(self.transport_liaison, report))

    def test_the_receivers_deadline_runs_by_its_own_calendar_from_the_referral(self):
        friday = dt.datetime(2031, 2, 28, 9, tzinfo=dt.UTC)
        monday, tuesday = dt.date(2031, 3, 3), dt.date(2031, 3, 4)
        CalendarEntry.objects.create(government=self.kediri, date=monday, name="Hari Jadi Kota Kediri")
        CalendarEntry.objects.create(government=self.blitar, date=tuesday, name="Hari Jadi Kota Blitar")
        workdays.calendar_changed()
        with time_machine.travel(friday - dt.timedelta(days=3), tick=False):
            report = factory.make_report(category=self.category)
        with time_machine.travel(friday, tick=False):
            self.refer(report)
        report.refresh_from_db()
        # Friday + 3 working days in Kediri: Monday is Kediri's holiday, Blitar's Tuesday is
        # not Kediri's: Tuesday, Wednesday, Thursday.
        self.assertEqual(workdays.local_date(report.due_at), dt.date(2031, 3, 6))
        self.assertEqual(report.current_deadline, report.due_at)

    def test_reason_is_required_and_nothing_is_stored(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        events = report.events.count()
        with self.assertRaisesMessage(DomainError, "Tuliskan alasan rujukan."):
            self.refer(report, reason="   ")
        report.refresh_from_db()
        self.assertEqual((report.government, report.status), (self.blitar, Status.VERIFIED))
        self.assertFalse(Referral.objects.exists())
        self.assertEqual(report.events.count(), events)

    def test_the_form_without_a_reason_says_so_in_indonesian_and_stores_nothing(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.login(self.coordinator)
        url = reverse("workspace:report_action", args=[report.pk, "rujuk"])
        response = self.client.post(url, {"government": self.kediri.pk, "reason": ""})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Tuliskan alasan rujukan.", status_code=400)
        self.assertFalse(Referral.objects.exists())
        report.refresh_from_db()
        self.assertEqual(report.government, self.blitar)

    def test_the_form_refers(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.login(self.coordinator)
        page = self.client.get(reverse("workspace:report", args=[report.pk])).content.decode()
        self.assertIn("aksi-rujuk", page)
        url = reverse("workspace:report_action", args=[report.pk, "rujuk"])
        response = self.client.post(url, {"government": self.kediri.pk, "reason": REASON}, follow=True)
        self.assertEqual(response.redirect_chain[-1], (reverse("workspace:referred_report", args=[report.pk]), 302))
        self.assertContains(response, "Laporan dirujuk ke pemerintah daerah lain.")
        report.refresh_from_db()
        self.assertEqual(report.government, self.kediri)

    def test_refer_to_the_own_or_an_inactive_government_is_refused(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        with self.assertRaisesMessage(DomainError, "sudah milik pemerintah daerah tersebut"):
            self.refer(report, government=self.blitar)
        self.assertIn("refer", access.allowed_actions_for(self.coordinator, report, []).actions)
        Government.objects.filter(pk=self.kediri.pk).update(is_active=False)
        # No other active government: the box is not offered.
        self.assertNotIn("refer", access.allowed_actions_for(self.coordinator, report, []).actions)
        with self.assertRaisesMessage(DomainError, "tidak aktif"):
            self.refer(report)
        self.assertFalse(Referral.objects.exists())
        # The form offers neither.
        self.login(self.coordinator)
        url = reverse("workspace:report_action", args=[report.pk, "rujuk"])
        response = self.client.post(url, {"government": self.blitar.pk, "reason": REASON})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Referral.objects.exists())

    def test_only_a_coordinator_of_the_reports_government_refers(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        for outsider in (self.kediri_coordinator, self.executive, self.transport_liaison):
            with self.assertRaises(NotAllowed):
                self.refer(report, actor=outsider)
        self.assertFalse(Referral.objects.exists())

    def test_a_report_to_be_referred_outside_the_installation_is_still_archived_for_lapor(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        with factory.muted():
            actions.archive_report(
                report, actor=self.coordinator, reason="outside_authority", referral_note="Kewenangan PLN."
            )
        report.refresh_from_db()
        self.assertEqual((report.status, report.government), (Status.ARCHIVED, self.blitar))
        with self.assertRaises(DomainError):
            self.refer(report)


class SenderReadsOnlyTests(ReferralCase):
    def setUp(self):
        super().setUp()
        self.report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(self.report)
        self.report.refresh_from_db()

    def test_the_sender_reads_the_report_in_its_list_and_not_in_its_inbox(self):
        self.assertEqual(list(access.referred_out_by(self.coordinator)), [self.report])
        self.assertEqual(list(access.referred_out_by(self.executive)), [self.report])
        self.assertNotIn(self.report, access.reports_visible_to(self.coordinator))
        self.login(self.coordinator)
        listing = self.client.get(reverse("workspace:referred_out"))
        self.assertContains(listing, self.report.tracking_number)
        self.assertContains(listing, "Kota Kediri")
        page = self.client.get(reverse("workspace:report", args=[self.report.pk]))
        self.assertRedirects(page, reverse("workspace:referred_report", args=[self.report.pk]))
        page = self.client.get(reverse("workspace:referred_report", args=[self.report.pk]))
        self.assertContains(page, REASON)
        self.assertNotContains(page, 'class="ws-box')

    def test_the_inbox_links_to_the_list_for_those_who_oversee_not_for_an_agency(self):
        link = f'href="{reverse("workspace:referred_out")}"'
        for user, shown in ((self.coordinator, True), (self.executive, True), (self.pw_liaison, False)):
            with self.subTest(user=user.username):
                self.login(user)
                page = self.client.get(reverse("workspace:inbox" if shown else "workspace:reports"))
                self.assertEqual(link in page.content.decode(), shown)

    def test_the_inbox_links_to_the_list_only_when_there_is_another_government(self):
        link = f'href="{reverse("workspace:referred_out")}"'
        self.login(self.coordinator)
        self.assertIn(link, self.client.get(reverse("workspace:inbox")).content.decode())
        for government in Government.objects.exclude(pk=self.blitar.pk):
            government.is_active = False
            government.save()
        self.assertNotIn(link, self.client.get(reverse("workspace:inbox")).content.decode())
        self.kediri.is_active = True
        self.kediri.save()
        self.assertIn(link, self.client.get(reverse("workspace:inbox")).content.decode())

    def test_the_list_costs_the_same_queries_for_more_reports(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.login(self.coordinator)
        url = reverse("workspace:referred_out")
        self.client.get(url)
        with CaptureQueriesContext(connection) as one:
            self.assertEqual(self.client.get(url).status_code, 200)
        for _ in range(3):
            self.refer(factory.make_verified(self.coordinator, category=self.category))
        with self.assertNumQueries(len(one)):
            response = self.client.get(url)
        self.assertEqual(response.context["page"].paginator.count, 4)

    def test_nobody_else_reads_it_there(self):
        third, third_unit = factory.make_government("Kabupaten Kediri", prefix="KAB")
        third_coordinator = factory.make_staff(Role.COORDINATOR, third_unit, "koordinator_kab")
        for user in (third_coordinator, self.transport_liaison, self.kediri_coordinator):
            self.assertNotIn(self.report, access.referred_out_by(user))
            with self.assertRaises(Http404):
                access.get_referred_for(user, self.report.pk)
        self.login(third_coordinator)
        self.assertEqual(self.client.get(reverse("workspace:referred_report", args=[self.report.pk])).status_code, 404)
        self.login(self.transport_liaison)
        self.assertEqual(self.client.get(reverse("workspace:referred_report", args=[self.report.pk])).status_code, 403)

    def test_every_action_of_the_sender_is_refused(self):
        report, me = self.report, self.coordinator
        refused = [
            lambda: actions.verify_report(report, actor=me),
            lambda: actions.classify_report(report, actor=me, kind="aspiration"),
            lambda: actions.hold_report(report, actor=me, question="Di mana persisnya?"),
            lambda: actions.archive_report(report, actor=me, reason="spam"),
            lambda: actions.add_internal_note(report, actor=me, message="Catatan"),
            lambda: actions.take_report(report, actor=me),
            lambda: actions.refer_report(report, actor=me, government=self.blitar, reason=REASON),
            lambda: actions.return_referral(report, actor=me, reason="Kembali"),
        ]
        for action in refused:
            with self.assertRaises(NotAllowed), factory.muted():
                action()
        self.assertFalse(access.can_act(me, report))
        self.assertEqual(access.allowed_actions_for(me, report, []).actions, frozenset())
        self.login(me)
        for slug in ("verifikasi", "catatan", "arsipkan", "rujuk", "kembalikan-rujukan", "ambil"):
            url = reverse("workspace:report_action", args=[report.pk, slug])
            self.assertEqual(self.client.post(url, {"reason": "x", "message": "x"}).status_code, 404, slug)
        report.refresh_from_db()
        self.assertEqual((report.government, report.status), (self.kediri, Status.RECEIVED))

    def test_the_sender_does_not_read_the_receivers_internal_notes(self):
        with factory.muted():
            actions.verify_report(self.report, actor=self.kediri_coordinator, message="Diverifikasi Kediri")
            actions.add_internal_note(self.report, actor=self.kediri_coordinator, message="Rahasia dapur Kediri")
        events = list(access.referred_history_for(self.coordinator, self.report))
        actions_seen = [e.action for e in events]
        self.assertIn("verified", actions_seen)
        self.assertNotIn("internal_note", actions_seen)
        self.assertIn("submitted", actions_seen)  # its own history before the referral
        self.login(self.coordinator)
        page = self.client.get(reverse("workspace:referred_report", args=[self.report.pk]))
        self.assertNotContains(page, "Rahasia dapur Kediri")
        self.assertContains(page, "Diverifikasi Kediri")

    def test_the_receiver_cannot_see_the_senders_other_reports(self):
        visible = set(access.reports_visible_to(self.kediri_coordinator))
        self.assertIn(self.report, visible)
        self.assertNotIn(self.blitar_report, visible)
        self.assertEqual(list(access.referred_out_by(self.kediri_coordinator)), [])
        with self.assertRaises(Http404):
            access.get_report_for(self.kediri_coordinator, self.blitar_report.pk)


class AnonymousReferralTests(ReferralCase):
    def test_an_anonymous_reporters_identity_is_never_shown_to_the_receiver(self):
        report = factory.make_report(
            category=self.category, is_anonymous=True, description="Lampu mati. Hubungi saya 081299887766."
        )
        self.assertTrue(access.can_see_identity(self.coordinator, report))
        self.refer(report)
        report.refresh_from_db()
        self.assertFalse(access.can_see_identity(self.kediri_coordinator, report))
        self.assertFalse(access.can_see_identity(self.coordinator, report))
        self.assertTrue(access.reading_for(self.kediri_coordinator, report, revealed=True).masked)
        self.login(self.kediri_coordinator)
        page = self.client.get(reverse("workspace:report", args=[report.pk])).content.decode()
        for secret in ("Siti Aminah", "081234567890", "siti@example.org", "081299887766"):
            self.assertNotIn(secret, page)
        reveal = self.client.post(reverse("workspace:reveal_identity", args=[report.pk]))
        self.assertEqual(reveal.status_code, 403)
        with self.assertRaises(PermissionDenied):
            access.require(access.can_see_identity(self.kediri_coordinator, report))

    def test_a_named_reporter_is_shown_to_the_receivers_coordinator_as_to_the_senders(self):
        report = factory.make_report(category=self.category)
        self.refer(report)
        report.refresh_from_db()
        self.assertTrue(access.can_see_identity(self.kediri_coordinator, report))

    def test_back_home_the_sender_sees_the_anonymous_identity_again(self):
        report = factory.make_report(category=self.category, is_anonymous=True)
        self.refer(report)
        self.give_back(report)
        report.refresh_from_db()
        self.assertTrue(access.can_see_identity(self.coordinator, report))


class ReturnTests(ReferralCase):
    def test_the_receiver_returns_it_with_a_reason_to_the_senders_queue(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)
        with factory.muted():
            actions.verify_report(report, actor=self.kediri_coordinator)
        self.give_back(report)
        report.refresh_from_db()
        self.assertEqual((report.government, report.status), (self.blitar, Status.RECEIVED))
        self.assertEqual(report.category, None)
        referral = Referral.objects.get()
        self.assertEqual(referral.state, Referral.State.RETURNED)
        self.assertEqual(referral.return_reason, "Ruas ini ternyata jalan Kota Blitar.")
        self.assertIsNotNone(referral.returned_at)
        event = report.events.get(action="referral_returned")
        self.assertEqual((event.data["from"], event.data["to"]), (self.kediri.pk, self.blitar.pk))
        self.assertEqual(event.message, "Ruas ini ternyata jalan Kota Blitar.")
        # Back in Blitar's hands; Kediri reads and does nothing any more.
        self.assertTrue(access.can_act(self.coordinator, report))
        self.assertNotIn(report, access.reports_visible_to(self.kediri_coordinator))
        self.assertEqual(list(access.referred_out_by(self.coordinator)), [])
        self.assertEqual(
            workdays.local_date(report.due_at),
            workdays.local_date(workdays.add_working_days(event.created_at, 3, self.blitar.pk)),
        )

    def test_the_form_gives_it_back_and_leads_to_the_inbox(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)
        self.login(self.kediri_coordinator)
        url = reverse("workspace:report_action", args=[report.pk, "kembalikan-rujukan"])
        response = self.client.post(url, {"reason": ""})
        self.assertContains(response, "Tuliskan alasan pengembalian rujukan.", status_code=400)
        response = self.client.post(url, {"reason": "Bukan jalan kami."}, follow=True)
        self.assertEqual(response.redirect_chain, [(reverse("workspace:inbox"), 302)])
        self.assertContains(response, "Rujukan dikembalikan ke pemerintah daerah perujuk.")
        report.refresh_from_db()
        self.assertEqual(report.government, self.blitar)

    def test_the_return_needs_a_reason_and_stores_nothing_without_one(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)
        with self.assertRaisesMessage(DomainError, "Tuliskan alasan pengembalian rujukan."):
            self.give_back(report, reason="")
        report.refresh_from_db()
        self.assertEqual(report.government, self.kediri)
        self.assertEqual(Referral.objects.get().state, Referral.State.ACTIVE)

    def test_only_a_report_referred_to_this_government_can_be_returned(self):
        with self.assertRaises(NotAllowed):
            self.give_back(self.kediri_report)
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)
        with self.assertRaises(NotAllowed):  # the sender cannot "return" it to itself
            self.give_back(report, actor=self.coordinator)
        report.refresh_from_db()
        part = access.allowed_actions_for(self.kediri_coordinator, report, [])
        self.assertIn("return_referral", part.actions)
        self.assertNotIn(
            "return_referral", access.allowed_actions_for(self.kediri_coordinator, self.kediri_report, []).actions
        )

    def test_the_receivers_coordinators_hear_of_the_referral_and_the_senders_of_the_return(self):
        for user, email in (
            (self.coordinator, "koordinator@blitar.example"),
            (self.kediri_coordinator, "k@kediri.example"),
        ):
            user.email = email
            user.save(update_fields=["email"])
        report = factory.make_verified(self.coordinator, category=self.category)
        actions.refer_report(report, actor=self.coordinator, government=self.kediri, reason=REASON)
        message = self.assertQueued("k@kediri.example", template="staff_referral_new")[0]
        self.assertIn("Kota Blitar", message.subject)
        self.assertNotIn("Siti Aminah", message.body)
        self.assertNothingQueued(recipient="koordinator@blitar.example")
        actions.return_referral(report, actor=self.kediri_coordinator, reason="Bukan jalan kami.")
        self.assertQueued("koordinator@blitar.example", template="staff_referral_returned")
        self.assertNothingQueued(recipient="k@kediri.example", template_code="staff_referral_returned")


class ReferralApiTests(ApiClientMixin, ReferralCase):
    def test_refer_and_return_through_the_staff_api(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        refer = f"/api/v1/staff/reports/{report.pk}/refer/"
        missing = self.post(refer, {"government": self.kediri.pk}, self.coordinator)
        self.assertEqual(missing.status_code, 400)
        self.assertFalse(Referral.objects.exists())
        response = self.post(refer, {"government": self.kediri.pk, "reason": REASON}, self.coordinator)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            (response.json()["to_government"], response.json()["state"]), ("Kota Kediri", Referral.State.ACTIVE)
        )
        # The sender acts on it no more; the receiver gives it back.
        self.assertEqual(
            self.post(refer, {"government": self.kediri.pk, "reason": REASON}, self.coordinator).status_code, 404
        )
        back = f"/api/v1/staff/reports/{report.pk}/return-referral/"
        response = self.post(back, {"reason": "Bukan jalan kami."}, self.kediri_coordinator)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["state"], Referral.State.RETURNED)
        report.refresh_from_db()
        self.assertEqual(report.government, self.blitar)


class ReferralChainTests(ReferralCase):
    def test_the_reporter_reads_where_the_report_went_and_why(self):
        report = factory.make_report(category=self.category)
        self.refer(report)
        page = self.client.get(reverse("portal:track_detail", args=[report.secret]), follow=True)
        self.assertEqual(page.redirect_chain, [(f"/kota-kediri/lacak/{report.secret}/", 302)])  # its portal now
        self.assertContains(page, "Laporan dirujuk ke pemerintah daerah yang berwenang")
        self.assertContains(page, REASON)

    def test_referred_on_and_back_each_government_reads_only_what_is_its_own(self):
        third, third_unit = factory.make_government("Kabupaten Kediri", prefix="KAB")
        third_coordinator = factory.make_staff(Role.COORDINATOR, third_unit, "koordinator_kab")
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)  # Blitar → Kota Kediri
        self.refer(report, actor=self.kediri_coordinator, government=third)  # → Kabupaten Kediri
        self.assertEqual(list(access.referred_out_by(self.coordinator)), [report])
        self.assertEqual(list(access.referred_out_by(self.kediri_coordinator)), [report])
        self.assertTrue(access.can_act(third_coordinator, access.get_report_for(third_coordinator, report.pk)))
        self.give_back(report, actor=third_coordinator)  # back to Kota Kediri, not to Blitar
        report.refresh_from_db()
        self.assertEqual(report.government, self.kediri)
        self.assertEqual(list(access.referred_out_by(self.kediri_coordinator)), [])
        self.assertEqual(list(access.referred_out_by(self.coordinator)), [report])
        self.give_back(report)  # and Kota Kediri gives it back to Blitar
        report.refresh_from_db()
        self.assertEqual(report.government, self.blitar)
        self.assertEqual(list(access.referred_out_by(self.coordinator)), [])
        self.assertEqual(rows(), rebuilt())

    def test_a_report_referred_back_to_its_first_government_is_not_in_its_referred_list(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)
        self.refer(report, actor=self.kediri_coordinator, government=self.blitar)  # referred, not returned
        report.refresh_from_db()
        self.assertEqual(report.government, self.blitar)
        self.assertEqual(list(access.referred_out_by(self.coordinator)), [])
        self.assertEqual(list(access.referred_out_by(self.kediri_coordinator)), [report])
        self.assertTrue(access.can_act(self.coordinator, report))


class ReferredPortalLinkTests(ReferralCase):
    """The resident's links on the referring government's portal lead to the receiver's."""

    def referred_and_verified(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)
        with factory.muted():
            actions.verify_report(report, actor=self.kediri_coordinator)
        return report

    def test_the_public_page_on_the_senders_portal_leads_to_the_receivers(self):
        report = self.referred_and_verified()
        number = report.tracking_number
        response = self.client.get(f"/{self.blitar.slug}/laporan/{number}/")
        self.assertRedirects(response, f"/kota-kediri/laporan/{number}/", status_code=302)
        # A report another government never referred stays not found on this portal.
        other = self.kediri_report.tracking_number
        self.assertEqual(self.client.get(f"/{self.blitar.slug}/laporan/{other}/").status_code, 404)
        # A government the report never passed through does not lead to it either.
        third, _unit = factory.make_government("Kabupaten Kediri", prefix="KAB")
        self.assertEqual(self.client.get(f"/{third.slug}/laporan/{number}/").status_code, 404)

    def test_the_tracking_page_and_lookup_on_the_senders_portal_lead_to_the_receivers(self):
        report = self.referred_and_verified()
        target = f"/kota-kediri/lacak/{report.secret}/"
        self.assertRedirects(self.client.get(f"/{self.blitar.slug}/lacak/{report.secret}/"), target, status_code=302)
        self.assertRedirects(self.client.get(f"/lacak/{report.secret}/"), target, status_code=302)
        data = {"tracking_number": report.tracking_number, "contact": report.reporter_phone}
        self.assertRedirects(self.client.post(f"/{self.blitar.slug}/lacak/", data), target, status_code=302)
        # The report's own portal shows it, and the lookup there finds it.
        self.assertEqual(self.client.get(target).status_code, 200)
        self.assertRedirects(self.client.post("/kota-kediri/lacak/", data), target)

    def test_a_report_given_back_is_on_the_senders_portal_again(self):
        report = factory.make_verified(self.coordinator, category=self.category)
        self.refer(report)
        self.give_back(report)
        self.assertEqual(self.client.get(f"/{self.blitar.slug}/lacak/{report.secret}/").status_code, 200)
