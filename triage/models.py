"""Triage's own rows beside a report: the suggestions made on intake and what the
coordinator decided, the urgency flag, and the administrator's keyword rules."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from reports.models import Category, Report


class KeywordRule(models.Model):
    """Words that point to a category: the cold start before any report is verified, and
    a blend with the trained model afterwards."""

    category = models.OneToOneField(
        Category, verbose_name=_("kategori"), on_delete=models.CASCADE, related_name="keyword_rule"
    )
    keywords = models.TextField(
        _("kata kunci"),
        help_text=_(
            "Pisahkan dengan koma atau baris baru. Kata kunci cocok dengan awal kata; ejaan gaul dan "
            "bahasa Jawa yang dikenal diubah dulu ke bahasa Indonesia baku."
        ),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__parent__name", "category__name"]
        verbose_name = _("aturan kata kunci")
        verbose_name_plural = _("aturan kata kunci")

    def __str__(self):
        return str(self.category)


class Decision(models.TextChoices):
    PENDING = "pending", _("Belum diputuskan")
    ACCEPTED = "accepted", _("Saran dipakai")
    OVERRIDDEN = "overridden", _("Saran diganti koordinator")


class ReportTriage(models.Model):
    """The first read of one report: urgency, how the suggestions were made, and whether the
    coordinator kept them (every override is training data: the next ``train_triage``
    learns the final category and agency)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="triage")
    is_urgent = models.BooleanField(_("mendesak"), default=False, db_index=True)
    urgency_reasons = models.JSONField(_("alasan mendesak"), default=list, blank=True)
    model_version = models.CharField(_("versi model"), max_length=40, blank=True)
    suggested_at = models.DateTimeField(default=timezone.now)
    suggestion_ms = models.FloatField(_("waktu saran (ms)"), default=0)

    category_decision = models.CharField(
        _("keputusan kategori"), max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    final_category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency_decision = models.CharField(
        _("keputusan perangkat daerah"), max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    final_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # When the report's likely duplicates were last stored (LikelyDuplicate); None: not yet
    # (a report the worker has not read, or read before duplicates were stored), and the
    # report page finds them on its first view.
    duplicates_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("triase laporan")
        verbose_name_plural = _("triase laporan")

    def __str__(self):
        return str(self.report)


class Suggestion(models.Model):
    """One ranked guess (1 = most likely) of a report's category and responsible agency."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="suggestions")
    rank = models.PositiveSmallIntegerField(_("peringkat"))
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category_confidence = models.FloatField(_("keyakinan kategori"), default=0)
    agency = models.ForeignKey(
        Agency, verbose_name=_("perangkat daerah"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    agency_confidence = models.FloatField(_("keyakinan perangkat daerah"), default=0)
    source = models.CharField(_("sumber"), max_length=16)  # model, keywords
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "rank"]
        verbose_name = _("saran triase")
        verbose_name_plural = _("saran triase")
        constraints = [models.UniqueConstraint(fields=["report", "rank"], name="triage_suggestion_unique_rank")]

    def __str__(self):
        return f"{self.report} #{self.rank}: {self.category}"


class LikelyDuplicate(models.Model):
    """``candidate`` is probably the same problem as ``report`` at the same place
    (triage/duplicates.py), found when either of them arrived or changed its words or place,
    so the report page reads these rows instead of scoring candidates on every view. The
    page still drops a candidate that is no longer open or recent."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="likely_duplicates")
    candidate = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="likely_duplicate_of")
    score = models.FloatField(_("skor"))
    # duplicate_score.SCALE when ``score`` was computed (0: before scales were stored): a
    # coordinator's word on the pair takes this score only on the current scale, else the
    # pair is scored again (a merge between an upgrade and ``refresh_duplicates``).
    scale = models.PositiveSmallIntegerField(_("skala skor"), default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kemungkinan duplikat")
        verbose_name_plural = _("kemungkinan duplikat")
        constraints = [
            models.UniqueConstraint(fields=["report", "candidate"], name="triage_likely_duplicate_unique_pair")
        ]

    def __str__(self):
        return f"{self.report} ~ {self.candidate}"


class DuplicateDecision(models.Model):
    """A coordinator's word on a pair of reports: ``same`` when one was archived as a
    duplicate of the other (triage's merge, the workspace's archive form, a bulk archive,
    the API: the ``archived`` event's ``merged`` job, triage/jobs.py), not ``same`` when
    the coordinator pressed "Bukan masalah yang sama" on a likely duplicate. ``score`` is
    the pair's score when decided (on the weights' ``scale``). One row per pair, whichever side the word came from:
    ``report`` is the lower id of the two (the score is symmetric, and who was merged into
    whom is the report's own ``duplicate_of``); a later word on the pair replaces the
    earlier one. The threshold in use is calibrated on these (triage/calibration.py), and a
    pair decided not the same is never stored as a likely duplicate again while the
    decision stands."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("skor"))
    # duplicate_score.SCALE when ``score`` was computed; 0: before scales were recorded.
    scale = models.PositiveSmallIntegerField(_("skala skor"), default=0)
    same = models.BooleanField(_("masalah yang sama"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("keputusan duplikat")
        verbose_name_plural = _("keputusan duplikat")
        constraints = [
            models.UniqueConstraint(fields=["report", "candidate"], name="triage_duplicate_decision_unique_pair"),
            # One order per pair: with the unique pair above, one row per pair.
            models.CheckConstraint(
                condition=models.Q(report__lt=models.F("candidate")), name="triage_duplicate_decision_ordered_pair"
            ),
        ]

    def __str__(self):
        return f"{self.report} {'=' if self.same else '≠'} {self.candidate}"


class TriageJob(models.Model):
    """Triage work an event left to do after its commit, written in the event's own
    transaction (reports.signals.event_written): a report's first read, a decision to
    record (a category, an agency, an archive as a duplicate), its likely duplicates to
    store again. Deleted once done; a job whose task or after-commit run was lost (a
    database cut, a dead process) is done by the scheduler's sweep
    (``tasks.run_stranded_jobs``)."""

    class Kind(models.TextChoices):
        READ = "read", _("Pembacaan pertama")
        CATEGORY = "category", _("Keputusan kategori")
        AGENCY = "agency", _("Keputusan perangkat daerah")
        DUPLICATES = "duplicates", _("Kemungkinan duplikat")
        MERGED = "merged", _("Keputusan duplikat")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("pekerjaan triase")
        verbose_name_plural = _("pekerjaan triase")

    def __str__(self):
        return f"{self.kind} #{self.report_id}"
