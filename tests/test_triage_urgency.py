"""Reports about danger are flagged on intake and lead the coordinator's inbox."""

from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from core import queues
from tests.base import AduanTestCase
from triage.models import ReportTriage
from triage.urgency import urgency_reasons

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}}


class UrgencyRulesTests(SimpleTestCase):
    def test_danger_is_recognised_as_residents_write_it(self):
        cases = {
            "Pohon tumbang menutup jalan Mawar": ["fallen_tree"],
            "wit gede ambruk nang dalan": ["fallen_tree"],
            "BANJIR!!! AIR MASUK RUMAH SETINGGI PAHA": ["flood_home"],
            "banyu mlebu omah maneh": ["flood_home"],
            "kabel listrik putus menjuntai ke jalan, nyetrum": ["live_cable"],
            "Kebakaran gudang dekat pasar, api besar": ["fire"],
            "omah kobong, tulung damkar": ["fire"],
            "jembatan kecil putus diterjang arus": ["collapse"],
        }
        for text, expected in cases.items():
            self.assertEqual(urgency_reasons(text), expected, text)

    def test_ordinary_problems_are_not_urgent(self):
        for text in [
            "Lampu PJU mati sudah seminggu",
            "jalan berlubang di depan sekolah",
            "mohon pohon di depan rumah dipangkas, sudah rimbun",
            "usul pemasangan wifi publik",
            "air pdam keruh",
            "genangan air di jalan setelah hujan",
            "",
        ]:
            self.assertEqual(urgency_reasons(text), [], text)


# Triage runs in a task after the submission's commit: run tasks as they are enqueued.
@override_settings(TASKS=IMMEDIATE)
class UrgentInboxTests(AduanTestCase):
    def submit(self, description):
        with self.captureOnCommitCallbacks(execute=True):
            return self.make_report(description=description)

    def test_an_urgent_report_is_flagged_and_leads_the_inbox_with_a_badge(self):
        older = self.submit("Lampu jalan mati di gang Melati")
        urgent = self.submit("Pohon tumbang menimpa rumah warga di jalan Mawar")
        self.assertTrue(ReportTriage.objects.get(report=urgent).is_urgent)
        self.assertEqual(ReportTriage.objects.get(report=urgent).urgency_reasons, ["fallen_tree"])
        self.assertFalse(ReportTriage.objects.get(report=older).is_urgent)
        self.login(self.coordinator)
        response = self.client.get(reverse("workspace:inbox"))
        rows = [r.pk for r in response.context["page"].object_list]
        self.assertEqual(rows[:2], [urgent.pk, older.pk])
        self.assertContains(response, "ws-marker-urgent", count=1)

    def test_the_report_page_shows_the_reason(self):
        urgent = self.submit("kabel listrik putus menjuntai ke jalan")
        self.login(self.coordinator)
        page = self.client.get(reverse("workspace:report", args=[urgent.pk]))
        self.assertContains(page, "mendesak")
        self.assertContains(page, "Kabel listrik terbuka atau putus")

    def test_the_inbox_query_count_does_not_grow_with_urgent_rows(self):
        self.submit("Pohon tumbang di jalan A")
        self.login(self.coordinator)
        self.client.get(reverse("workspace:inbox"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("workspace:inbox"))
        expected = len(few)  # now: the next request empties the connection's log
        for text in ("Kebakaran rumah di RT 2", "banjir masuk rumah warga", "Lampu mati"):
            self.submit(text)
        self.client.get(reverse("workspace:inbox"))  # the saved views' counts, kept again after the change
        with self.assertNumQueries(expected):
            self.client.get(reverse("workspace:inbox"))
