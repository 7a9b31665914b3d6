"""Likely duplicates are stored when a report arrives or its place changes, and the
coordinator's report page reads them: the same list, in the same order, as the finder
gives when run on the spot, without scoring anything per view."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core import queues
from reports import actions
from tests.base import AduanTestCase, temporary_triage_model
from triage import actions as triage_actions
from triage import tasks as triage_tasks
from triage.duplicates import likely_duplicates, stored_duplicates
from triage.models import LikelyDuplicate, ReportTriage

ORIGINAL = "Pohon tumbang menutup jalan Mawar setelah angin kencang"
AGAIN = "ada pohon tumbang di jl mawar, jalan ketutup total"
THIRD = "pohon besar tumbang di jalan mawar, tidak bisa lewat"

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": queues.ALL}}


def page(report):
    return reverse("workspace:report", args=[report.pk])


def pks(reports):
    return [r.pk for r in reports]


# Triage runs in a task after the submission's commit: run tasks as they are enqueued.
@override_settings(TASKS=IMMEDIATE)
class StoredDuplicatesCase(AduanTestCase):
    def setUp(self):
        self.model_dir = temporary_triage_model(self)

    def submit(self, description, **overrides):
        """A report submitted and committed, so what follows a submission runs."""
        with self.captureOnCommitCallbacks(execute=True):
            return self.make_report(description=description, **overrides)

    def listed(self, report):
        """The duplicates the coordinator's page lists for ``report``."""
        self.login(self.coordinator)
        response = self.client.get(page(report))
        self.assertEqual(response.status_code, 200)
        return pks(response.context["duplicates"])


class StoredOnArrivalTests(StoredDuplicatesCase):
    def test_a_new_report_stores_the_pair_both_ways(self):
        original = self.submit(ORIGINAL)
        self.submit("Parkir liar di depan pasar setiap sore")
        new = self.submit(AGAIN)
        self.assertEqual(
            set(LikelyDuplicate.objects.values_list("report", "candidate")),
            {(new.pk, original.pk), (original.pk, new.pk)},
        )
        self.assertIsNotNone(ReportTriage.objects.get(report=new).duplicates_at)
        # The earlier report's page lists the one that came after it, as the finder would.
        self.assertEqual(self.listed(original), [new.pk])
        self.assertEqual(self.listed(new), [original.pk])

    def test_the_page_scores_nothing_once_they_are_stored(self):
        original = self.submit(ORIGINAL)
        new = self.submit(AGAIN)
        with mock.patch("triage.duplicates.DuplicateScorer", side_effect=AssertionError("scored on the page")):
            self.assertEqual(self.listed(new), [original.pk])
            self.assertEqual(self.listed(original), [new.pk])

    def test_the_stored_list_is_the_finders_list_in_the_finders_order(self):
        here = {"latitude": Decimal("-8.098300"), "longitude": Decimal("112.168100")}
        near = {"latitude": Decimal("-8.099000"), "longitude": Decimal("112.168500")}  # about 90 m
        reports = [
            self.submit(ORIGINAL),
            self.submit(AGAIN),
            self.submit(THIRD, **here),
            self.submit("pohon tumbang jalan mawar", region=self.other_kelurahan, **near),
            self.submit("Lampu jalan di jalan Mawar mati sejak seminggu"),
            # No place at all: the finder looks for its words anywhere.
            self.submit("pohon tumbang di jalan mawar menutup jalan", region=None),
        ]
        found_some = False
        for report in reports:
            expected = pks(likely_duplicates(report))
            found_some = found_some or bool(expected)
            self.assertEqual(pks(stored_duplicates(report, type(report).objects.all())), expected, report.description)
        self.assertTrue(found_some)

    def test_an_old_open_report_lists_a_recent_duplicate(self):
        old = self.submit(ORIGINAL, received_at=timezone.now() - dt.timedelta(days=45))
        new = self.submit(AGAIN)
        self.assertEqual(pks(likely_duplicates(old)), [new.pk])
        self.assertEqual(self.listed(old), [new.pk])
        # The old one is out of the new report's window, as on the spot.
        self.assertEqual(self.listed(new), [])

    def test_a_candidate_merged_or_grown_old_drops_out_without_recomputing(self):
        original = self.submit(ORIGINAL)
        new = self.submit(AGAIN)
        third = self.submit(THIRD)
        self.assertEqual(sorted(self.listed(new)), sorted([original.pk, third.pk]))
        triage_actions.merge_duplicate(third, actor=self.coordinator, original=original)
        self.assertEqual(self.listed(new), [original.pk])
        type(original).objects.filter(pk=original.pk).update(received_at=timezone.now() - dt.timedelta(days=31))
        self.assertEqual(self.listed(new), [])


class RecomputedTests(StoredDuplicatesCase):
    def test_a_new_kelurahan_stores_them_again(self):
        original = self.submit(ORIGINAL)
        new = self.submit(AGAIN)
        self.assertEqual(self.listed(new), [original.pk])
        with self.captureOnCommitCallbacks(execute=True):
            actions.classify_report(new, actor=self.coordinator, region=self.other_kelurahan)
        self.assertFalse(LikelyDuplicate.objects.exists())
        self.assertEqual(self.listed(new), [])
        self.assertEqual(self.listed(original), [])

    def test_a_report_never_read_is_read_on_its_first_view(self):
        # Made without a commit: nothing that follows a submission has run.
        original = self.make_report(description=ORIGINAL)
        new = self.make_report(description=AGAIN)
        self.assertFalse(ReportTriage.objects.filter(report=new).exists())
        self.assertEqual(self.listed(new), [original.pk])
        self.assertIsNotNone(ReportTriage.objects.get(report=new).duplicates_at)
        self.assertTrue(LikelyDuplicate.objects.filter(report=new, candidate=original).exists())

    def test_a_failing_first_read_leaves_the_page_working(self):
        new = self.make_report(description=AGAIN)
        with (
            mock.patch("triage.actions.refresh_duplicates", side_effect=RuntimeError("boom")),
            self.assertLogs("triage.templatetags.triage_tags", "ERROR"),
        ):
            self.assertEqual(self.listed(new), [])

    def test_the_command_stores_every_open_reports_duplicates_again(self):
        original = self.submit(ORIGINAL)
        new = self.submit(AGAIN)
        closed = self.submit(THIRD)
        actions.archive_report(closed, actor=self.coordinator, reason="spam")
        LikelyDuplicate.objects.all().delete()
        out = StringIO()
        call_command("refresh_duplicates", stdout=out)
        self.assertIn("2 laporan", out.getvalue())
        self.assertEqual(
            set(LikelyDuplicate.objects.values_list("report", "candidate")),
            {(new.pk, original.pk), (original.pk, new.pk)},
        )


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues.ALL}})
class AfterTheNightlyRetrainTests(AduanTestCase):
    """Stored scores read the kind of problem through the model: the nightly retrain has the
    open reports scored again with the new one; no model trained, nothing to redo."""

    def queued(self):
        from django_tasks_db.models import DBTaskResult

        return list(DBTaskResult.objects.values_list("task_path", flat=True))

    def test_a_new_model_queues_the_open_reports_duplicates_again(self):
        trained = (mock.Mock(n_examples=42), Path("model.joblib"), 0.5)
        with mock.patch.object(triage_actions, "train_model", return_value=trained):
            self.assertEqual(triage_tasks.retrain.call(), 42)

        self.assertEqual(self.queued(), ["triage.tasks.refresh_open_duplicates"])

    def test_too_few_examples_queue_nothing(self):
        with mock.patch.object(triage_actions, "train_model", side_effect=triage_actions.TooFewExamples(3, 20)):
            self.assertEqual(triage_tasks.retrain.call(), 0)

        self.assertEqual(self.queued(), [])

    def test_the_refresh_scores_every_open_report_again(self):
        made = [
            self.make_report(title="Lampu jalan mati di Jl. Mawar", address="Jl. Mawar 3"),
            self.make_report(title="Lampu jalan di Jl. Mawar padam sejak kemarin", address="Jl. Mawar 5"),
        ]
        LikelyDuplicate.objects.all().delete()  # as if scored by another model

        self.assertEqual(triage_tasks.refresh_open_duplicates.call(), 2)
        self.assertTrue(LikelyDuplicate.objects.exists())  # the two are one problem at one place
        for report in made:
            stored = [r.pk for r in stored_duplicates(report, type(report).objects.all())]
            self.assertEqual(stored, [r.pk for r in likely_duplicates(report)])
