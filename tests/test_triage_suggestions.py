"""Category and agency suggestions on intake: keyword rules for a cold start, the trained
model afterwards, one-click apply, and every decision recorded as training data."""

import datetime as dt
import os
import re
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core import queues
from reports import actions
from reports.models import Channel, Report
from tests import factory
from tests.base import AduanTestCase, temporary_triage_model
from triage import store
from triage.models import Decision, KeywordRule, ReportTriage, Suggestion
from workspace import action_forms

LAMP_TEXTS = [
    "Lampu PJU di jalan Kenari mati sudah seminggu",
    "lampu jalan depan masjid padam, gelap sekali",
    "LAMPU JALAN MATI DI TIKUNGAN",
    "lampune dalan mati wis suwe",
    "pju kedip kedip terus tiap malam",
    "lampu penerangan jalan umum redup hampir mati",
]
PARKING_TEXTS = [
    "Parkir liar di depan minimarket memakan badan jalan",
    "jukir liar minta uang 5 ribu padahal parkir gratis",
    "TUKANG PARKIR TIDAK MEMBERI KARCIS",
    "parkir sembarangan mobil di pinggir jalan sempit",
    "juru parkir liar di alun alun memaksa bayar",
    "wong parkir ning pinggir dalan saben sore",
]
ROAD_TEXTS = [
    "Jalan berlubang besar di jalan Kalimantan, motor jatuh",
    "aspal ngelupas dan berlubang sepanjang 50 meter",
    "JALAN RUSAK PARAH MOHON DITAMBAL",
    "dalane rusak akeh growongane",
    "lubang di tengah jalan raya makin besar",
    "jalan amblas dan retak di dekat jembatan",
]

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}}


# Triage runs in a task after the submission's commit: run tasks as they are enqueued.
@override_settings(TASKS=IMMEDIATE)
class TriageCase(AduanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.road = factory.make_category("Jalan berlubang", default_agency=cls.public_works)

    def setUp(self):
        self.model_dir = temporary_triage_model(self)
        from triage import actions as triage_actions

        triage_actions.forget_keyword_rules()

    def submit(self, description, **overrides):
        """A report submitted and committed, so its triage runs as in production."""
        overrides.setdefault("category", None)
        with self.captureOnCommitCallbacks(execute=True):
            return self.make_report(description=description, **overrides)

    def verified(self, description, category):
        report = self.submit(description)
        with self.captureOnCommitCallbacks(execute=True):
            return actions.verify_report(report, actor=self.coordinator, category=category)

    def rank1(self, report):
        return Suggestion.objects.get(report=report, rank=1)

    def train(self):
        out = StringIO()
        call_command("train_triage", min_examples=1, stdout=out)
        return out.getvalue()


class ColdStartTests(TriageCase):
    def setUp(self):
        super().setUp()
        KeywordRule.objects.create(category=self.category, keywords="lampu jalan, pju, lampu mati, padam")
        KeywordRule.objects.create(category=self.other_category, keywords="parkir, jukir, juru parkir")
        KeywordRule.objects.create(category=self.road, keywords="berlubang, lubang, aspal, jalan rusak")

    def test_keyword_rules_rank_the_category_and_its_default_agency(self):
        report = self.submit("LAMPU JALAN di dpn rmh sy mati udh 3 hr, gmn nih?")
        first = self.rank1(report)
        self.assertEqual((first.category, first.agency, first.source), (self.category, self.transport, "keywords"))
        self.assertGreater(first.category_confidence, 0.5)
        self.assertEqual(ReportTriage.objects.get(report=report).category_decision, Decision.PENDING)

    def test_every_channel_gets_suggestions(self):
        for channel in Channel.values:
            report = self.submit("ada jukir liar di depan toko", channel=channel, reply_channel="none")
            self.assertEqual(self.rank1(report).category, self.other_category, channel)

    def test_manual_entry_form_report_gets_suggestions(self):
        self.login(self.coordinator)
        data = {
            "channel": Channel.CALL_CENTER,
            "received_at": timezone.localtime(timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "kind": "complaint",
            "description": "Penelepon: jalan rusak berlubang di depan SD",
            "region": self.kelurahan.pk,
            "reply_channel": "none",
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("workspace:manual_entry"), data)
        self.assertEqual(response.status_code, 302)
        report = Report.objects.get(description__startswith="Penelepon")
        self.assertEqual(self.rank1(report).category, self.road)
        self.assertEqual(self.rank1(report).agency, self.public_works)

    def test_an_admin_edit_of_the_rules_applies_to_the_next_report(self):
        rule = KeywordRule.objects.get(category=self.road)
        rule.keywords = "lubang, aspal, kubangan"
        rule.save()
        report = self.submit("ada kubangan besar")
        self.assertEqual(self.rank1(report).category, self.road)

    def test_no_match_means_no_suggestion_but_a_triage_row(self):
        report = self.submit("selamat pagi admin")
        self.assertFalse(Suggestion.objects.filter(report=report).exists())
        self.assertTrue(ReportTriage.objects.filter(report=report).exists())

    def test_inactive_category_is_never_suggested(self):
        self.category.is_active = False
        self.category.save()
        report = self.submit("lampu jalan mati")
        self.assertFalse(Suggestion.objects.filter(report=report, category=self.category).exists())


class TrainedModelTests(TriageCase):
    def seed(self):
        for text in LAMP_TEXTS:
            self.verified(text, self.category)
        for text in PARKING_TEXTS:
            self.verified(text, self.other_category)
        for text in ROAD_TEXTS:
            self.verified(text, self.road)

    def test_train_triage_refuses_too_few_reports_with_a_clear_message(self):
        with self.assertRaisesMessage(CommandError, "laporan terverifikasi"):
            call_command("train_triage", stdout=StringIO())

    def test_model_suggests_top3_with_confidence_and_agency(self):
        self.seed()
        self.assertIn("18 laporan", self.train())
        report = self.submit("tukang parkir liar di depan bank, bikin macet")
        suggestions = list(Suggestion.objects.filter(report=report))
        self.assertEqual([s.rank for s in suggestions], [1, 2, 3])
        self.assertEqual(suggestions[0].category, self.other_category)
        self.assertEqual(suggestions[0].agency, self.transport)
        self.assertEqual(suggestions[0].source, "model")
        confidences = [s.category_confidence for s in suggestions]
        self.assertEqual(confidences, sorted(confidences, reverse=True))
        self.assertAlmostEqual(sum(confidences), 1.0, places=5)
        self.assertTrue(ReportTriage.objects.get(report=report).model_version)

    def test_agency_follows_the_lead_disposition_not_only_the_default(self):
        # Road reports are disposed to the transport agency here: the model learns that.
        for text in ROAD_TEXTS:
            report = self.verified(text, self.road)
            with self.captureOnCommitCallbacks(execute=True):
                actions.dispose_report(report, actor=self.coordinator, lead_agency=self.transport)
        for text in LAMP_TEXTS:
            self.verified(text, self.category)
        self.train()
        report = self.submit("jalan berlubang dan aspal rusak")
        self.assertEqual(self.rank1(report).agency, self.transport)

    def test_a_retrained_model_is_used_without_a_restart(self):
        self.seed()
        self.train()
        first = store.current_model()
        path = self.model_dir / "model.joblib"
        stat = path.stat()
        self.verified("parkir liar lagi di pasar", self.other_category)
        self.train()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        second = store.current_model()
        self.assertIsNot(first, second)
        self.assertEqual(second.n_examples, first.n_examples + 1)

    def test_an_override_is_recorded_and_changes_the_next_training(self):
        self.seed()
        self.train()
        text = "baliho roboh di perempatan"
        before = self.submit(text)
        suggested = self.rank1(before).category
        target = next(c for c in (self.category, self.other_category, self.road) if c != suggested)
        # The coordinator decides otherwise, several times.
        with self.captureOnCommitCallbacks(execute=True):
            actions.verify_report(before, actor=self.coordinator, category=target)
        triage = ReportTriage.objects.get(report=before)
        self.assertEqual(triage.category_decision, Decision.OVERRIDDEN)
        self.assertEqual(triage.final_category, target)
        self.assertEqual(triage.decided_by, self.coordinator)
        for variant in ["baliho roboh menutup jalan", "BALIHO ROBOH", "baliho miring mau roboh", "baliho ambruk"]:
            self.verified(variant, target)
        self.train()
        after = self.submit(text)
        self.assertEqual(self.rank1(after).category, target)

    def test_keeping_the_first_suggestion_is_recorded_as_accepted(self):
        self.seed()
        self.train()
        report = self.submit("lampu jalan mati di gang")
        with self.captureOnCommitCallbacks(execute=True):
            actions.verify_report(report, actor=self.coordinator, category=self.category)
        self.assertEqual(ReportTriage.objects.get(report=report).category_decision, Decision.ACCEPTED)

    def test_disposition_records_the_agency_decision(self):
        self.seed()
        self.train()
        report = self.verified("lampu jalan mati di gang", self.category)
        with self.captureOnCommitCallbacks(execute=True):
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.public_works)
        triage = ReportTriage.objects.get(report=report)
        self.assertEqual((triage.agency_decision, triage.final_agency), (Decision.OVERRIDDEN, self.public_works))


class ApplySuggestionTests(TriageCase):
    def setUp(self):
        super().setUp()
        KeywordRule.objects.create(category=self.other_category, keywords="parkir, jukir")
        self.report = self.submit("jukir liar di depan toko")

    def url(self, rank=1):
        return reverse("triage:accept", args=[self.report.pk, rank])

    def test_coordinator_applies_the_suggestion_in_one_click(self):
        self.login(self.coordinator)
        page = self.client.get(reverse("workspace:report", args=[self.report.pk]))
        self.assertContains(page, self.url())
        self.assertContains(page, "Parkir liar")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url())
        self.assertRedirects(response, reverse("workspace:report", args=[self.report.pk]))
        self.report.refresh_from_db()
        self.assertEqual(self.report.category, self.other_category)
        self.assertTrue(self.report.events.filter(action="classified").exists())
        self.assertEqual(ReportTriage.objects.get(report=self.report).category_decision, Decision.ACCEPTED)

    def test_agency_staff_and_outsiders_cannot_apply(self):
        for user in (self.pw_liaison, self.executive, self.outsider):
            self.login(user)
            response = self.client.post(self.url())
            self.assertIn(response.status_code, (403, 404), user)
        self.report.refresh_from_db()
        self.assertIsNone(self.report.category)

    def test_agency_staff_do_not_see_the_panel(self):
        report = self.report
        with self.captureOnCommitCallbacks(execute=True):
            actions.verify_report(report, actor=self.coordinator, category=self.category)
            actions.dispose_report(report, actor=self.coordinator, lead_agency=self.transport)
        self.login(self.transport_liaison)
        page = self.client.get(reverse("workspace:report", args=[report.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Saran triase")

    def test_an_unknown_rank_is_404_and_get_is_refused(self):
        self.login(self.coordinator)
        self.assertEqual(self.client.post(self.url(rank=9)).status_code, 404)
        self.assertEqual(self.client.get(self.url()).status_code, 405)


class RetrainTaskTests(TriageCase):
    def test_nightly_retrain_writes_a_model_only_with_enough_reports(self):
        from triage import tasks

        self.assertEqual(tasks.retrain.call(), 0)
        self.assertIsNone(store.current_model())
        for text in LAMP_TEXTS + LAMP_TEXTS[:4]:
            self.verified(text, self.category)
        for text in PARKING_TEXTS + PARKING_TEXTS[:4]:
            self.verified(text, self.other_category)
        self.assertEqual(tasks.retrain.call(), 20)
        self.assertEqual(store.current_model().n_examples, 20)
        self.assertEqual(settings.ADUAN_SCHEDULE["triage-retrain"]["task"], "triage.tasks.retrain")


class DisposeFormTests(TriageCase):
    """The dispose form starts at triage's first suggested agency, which may differ from
    the category's default agency (the model learns where such reports actually go)."""

    def setUp(self):
        super().setUp()
        # Verified as a road report (default agency: public works), without running triage.
        report = self.make_report(category=None)
        self.report = actions.verify_report(report, actor=self.coordinator, category=self.road)

    def suggest(self, *, category, agency, rank=1):
        return Suggestion.objects.create(
            report=self.report,
            rank=rank,
            category=category,
            category_confidence=0.8,
            agency=agency,
            agency_confidence=0.7,
            source="model",
        )

    def initial_lead(self):
        return action_forms.DisposeForm.for_report(self.report).initial["lead_agency"]

    def selected_lead_on_the_page(self):
        self.login(self.coordinator)
        page = self.client.get(reverse("workspace:report", args=[self.report.pk])).content.decode()
        select = re.search(r'<select name="lead_agency"[^>]*id="id_disposisi_lead_agency".*?</select>', page, re.S)
        self.assertIsNotNone(select, "the dispose form is on the page")
        return [int(pk) for pk in re.findall(r'<option value="(\d+)" selected>', select.group(0))]

    def test_the_first_suggested_agency_is_preselected(self):
        self.suggest(category=self.road, agency=self.transport)
        self.suggest(category=self.road, agency=self.public_works, rank=2)
        self.assertEqual(self.initial_lead(), self.transport.pk)
        self.assertEqual(self.selected_lead_on_the_page(), [self.transport.pk])

    def test_without_a_suggestion_the_categorys_default_agency_is_preselected(self):
        self.assertEqual(self.initial_lead(), self.public_works.pk)
        self.assertEqual(self.selected_lead_on_the_page(), [self.public_works.pk])

    def test_a_category_chosen_against_the_suggestion_brings_its_own_default_agency(self):
        # Triage thought street lights (transport); the coordinator verified it as a road.
        self.suggest(category=self.category, agency=self.transport)
        self.assertEqual(self.initial_lead(), self.public_works.pk)

    def test_an_inactive_suggested_agency_is_not_preselected(self):
        closed = factory.make_agency("Dinas yang dibubarkan", is_active=False)
        self.suggest(category=self.road, agency=closed)
        self.assertEqual(self.initial_lead(), self.public_works.pk)

    def test_a_report_without_a_category_takes_the_suggested_agency(self):
        report = self.make_report(category=None)
        Suggestion.objects.create(report=report, rank=1, agency=self.transport, source="keywords")
        self.assertEqual(action_forms.DisposeForm.for_report(report).initial["lead_agency"], self.transport.pk)
