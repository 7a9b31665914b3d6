"""Canned replies: the administrator's texts, their placeholders filled for one report, and
the select beside every message box of the report page."""

import re

from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from demo.data import CANNED_REPLIES
from notify import canned
from notify.models import CannedReply
from reports import deadlines
from tests import factory
from tests.base import AduanTestCase
from triage.models import Suggestion

FORWARDED = "Laporan {nomor} diteruskan ke {opd}, selesai paling lambat {tenggat}."


class FillTests(SimpleTestCase):
    def test_known_placeholders_are_filled(self):
        text = canned.fill(FORWARDED, {"nomor": "BLT-2026-000007", "opd": "DPUPR", "tenggat": "14 Maret 2026"})
        self.assertEqual(text, "Laporan BLT-2026-000007 diteruskan ke DPUPR, selesai paling lambat 14 Maret 2026.")

    def test_an_unknown_or_empty_placeholder_stays_visible(self):
        text = canned.fill("Laporan {nomer} ke {opd} ({tenggat}).", {"nomor": "X", "opd": "", "tenggat": None})
        self.assertEqual(text, "Laporan {nomer} ke {opd} ({tenggat}).")

    def test_other_braces_do_not_crash(self):
        for text in ["{", "}", "{}", "{{nomor}}", "{ nomor }", "{0}", "%(nomor)s {nomor!r}"]:
            with self.subTest(text=text):
                canned.fill(text, {"nomor": "X"})
        self.assertEqual(canned.fill("{{nomor}}", {"nomor": "X"}), "{X}")

    def test_the_deadline_reads_in_indonesian(self):
        moment = timezone.make_aware(timezone.datetime(2026, 3, 14, 23, 59))
        self.assertEqual(canned.indonesian_date(moment), "14 Maret 2026")

    def test_the_demo_texts_use_only_known_placeholders(self):
        for title, body, used_by in CANNED_REPLIES:
            with self.subTest(title=title):
                self.assertLessEqual(set(re.findall(r"\{(\w+)\}", body)), {"nomor", "opd", "tenggat"})
                self.assertIn(used_by, CannedReply.UsedBy.values)


class CannedReplyViewTests(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.forwarded = CannedReply.objects.create(title="Diteruskan", body=FORWARDED, used_by="coordinator")
        cls.photo = CannedReply.objects.create(title="Mohon foto", body="Mohon kirim foto untuk {nomor}.")
        cls.on_site = CannedReply.objects.create(
            title="Ke lokasi", body="Petugas {opd} ke lokasi; selesai {tenggat}. {lupa}", used_by="agency"
        )
        cls.retired = CannedReply.objects.create(title="Lama", body="Lama", is_active=False)

    def text(self, report, reply, **params):
        url = reverse("workspace:canned_reply", args=[report.pk])
        return self.client.get(url, {"reply": reply.pk, **params})

    def test_the_coordinator_gets_the_agency_chosen_in_the_form_and_its_deadline(self):
        self.login(self.coordinator)
        report = self.make_report()
        response = self.text(report, self.forwarded, lead_agency=self.public_works.pk)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        due = canned.indonesian_date(deadlines.resolution_due(report, timezone.now()))
        expected = (
            f"Laporan {report.tracking_number} diteruskan ke {self.public_works.name}, selesai paling lambat {due}."
        )
        self.assertEqual(response.content.decode(), expected)

    def test_without_a_choice_triages_agency_or_the_categorys(self):
        self.login(self.coordinator)
        report = self.make_report()
        self.assertIn(self.transport.name, self.text(report, self.forwarded).content.decode())  # the category's
        Suggestion.objects.create(report=report, rank=1, category=self.category, agency=self.public_works)
        self.assertIn(self.public_works.name, self.text(report, self.forwarded).content.decode())

    def test_the_liaison_gets_their_agency_and_their_deadline_and_unknown_placeholders_stay(self):
        report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        disposition = report.dispositions.get()
        self.login(self.pw_liaison)
        text = self.text(report, self.on_site).content.decode()
        due = canned.indonesian_date(disposition.follow_up_due_at)
        self.assertEqual(text, f"Petugas {self.public_works.name} ke lokasi; selesai {due}. {{lupa}}")

    def test_the_date_is_indonesian_in_the_english_workspace_too(self):
        self.login(self.coordinator)
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        report = self.make_report()
        text = self.text(report, self.forwarded, lead_agency=self.public_works.pk).content.decode()
        due = canned.indonesian_date(deadlines.resolution_due(report, timezone.now()))
        self.assertIn(due, text)
        self.assertRegex(
            due,
            r"^\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}$",
        )

    def test_only_those_who_may_act_get_the_replies_meant_for_them(self):
        report = factory.make_disposed(self.coordinator, self.public_works, category=self.category)
        cases = [
            (self.pw_liaison, self.forwarded, 404),  # the coordinator's text
            (self.pw_liaison, self.photo, 200),
            (self.coordinator, self.on_site, 404),  # the agencies' text
            (self.coordinator, self.retired, 404),
            (self.transport_liaison, self.photo, 404),  # not their report
            (self.executive, self.photo, 403),  # reads only
            (self.pw_head, self.photo, 403),
        ]
        for user, reply, status in cases:
            with self.subTest(user=user.username, reply=reply.title):
                self.login(user)
                self.assertEqual(self.text(report, reply).status_code, status)
        self.login(self.coordinator)
        url = reverse("workspace:canned_reply", args=[report.pk])
        self.assertEqual(self.client.get(url, {"reply": "x"}).status_code, 404)
        self.assertEqual(self.client.get(url, {"reply": 2**70}).status_code, 404)

    def test_every_message_box_offers_the_users_replies(self):
        self.login(self.coordinator)
        report = self.make_report()
        response = self.client.get(reverse("workspace:report", args=[report.pk]))
        for box in (
            "verifikasi-teruskan_message",
            "verifikasi-teruskan_instruction",
            "tunda_question",
            "arsipkan_message",
        ):
            self.assertContains(response, f'data-canned-for="id_{box}"')
        self.assertContains(response, "Diteruskan")
        self.assertContains(response, "Mohon foto")
        self.assertNotContains(response, "Ke lokasi")
        self.assertNotContains(response, ">Lama<")

    def test_no_select_without_replies(self):
        CannedReply.objects.all().delete()
        self.login(self.coordinator)
        response = self.client.get(reverse("workspace:report", args=[self.make_report().pk]))
        self.assertNotContains(response, "data-canned-for")

    def test_the_administrator_edits_them_in_the_admin_site(self):
        admin = factory.make_user("admin", is_staff=True, is_superuser=True)
        self.client.force_login(admin)
        self.assertEqual(self.client.get(reverse("admin:notify_cannedreply_changelist")).status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:notify_cannedreply_add")).status_code, 200)
