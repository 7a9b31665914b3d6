"""Triage's writes: the first read of a new report, the coordinator's decisions on it,
accepting a suggestion and merging a duplicate (both through reports/actions/, which
writes the report's events)."""

import datetime as dt
import logging
import time

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from core.errors import DomainError
from reports import actions as report_actions
from reports.models import OPEN_STATES, ArchiveReason, Category, Disposition, Report
from triage import calibration, classifier, conf, gazetteer, keywords, store, training
from triage.classifier import blend, lead_with, top
from triage.duplicate_score import SCALE
from triage.duplicates import duplicate_pairs, pair_score, report_text
from triage.models import Decision, DuplicateDecision, KeywordRule, LikelyDuplicate, ReportTriage, Suggestion
from triage.quality import decisions_since
from triage.urgency import urgency_reasons

logger = logging.getLogger(__name__)

TOP_K = 3


# Rules are read from the database at most every RULES_TTL seconds per process: an edit
# in the admin applies within that time, and a suggestion costs no query most of the time.
RULES_TTL = 15
_rules_cache = {"at": -RULES_TTL, "rules": {}}


def keyword_rules(*, fresh=False) -> dict:
    """{str(category pk): (keywords…)} for every active category that has no active
    subcategory: its active rule's keywords (the administrator's), the terms of its own
    name, and — when it has no rule — the built-in lexicon entry its name resembles
    (keywords.rules_for_categories), so the cold start covers a tree of any names."""
    now = time.monotonic()
    if fresh or now - _rules_cache["at"] >= RULES_TTL:
        written = dict(
            KeywordRule.objects.filter(is_active=True, category__is_active=True).values_list("category_id", "keywords")
        )
        parents = set(Category.objects.filter(is_active=True, parent__isnull=False).values_list("parent_id", flat=True))
        leaves = Category.objects.filter(is_active=True).exclude(pk__in=parents).values_list("pk", "name")
        categories = {str(pk): (name, written.get(pk, "")) for pk, name in leaves}
        _rules_cache.update(at=now, rules=keywords.rules_for_categories(categories))
    return _rules_cache["rules"]


def forget_keyword_rules(**kwargs):
    _rules_cache["at"] = -RULES_TTL


def seed_keyword_rules() -> int:
    """Give each category named in the built-in lexicon (keywords.DEFAULT_KEYWORDS) a
    keyword rule, leaving the rules the administrator already has untouched. Answers how
    many rules were made."""
    made = 0
    for category in Category.objects.filter(parent__isnull=False, name__in=list(keywords.DEFAULT_KEYWORDS)):
        _rule, created = KeywordRule.objects.get_or_create(
            category=category, defaults={"keywords": keywords.DEFAULT_KEYWORDS[category.name]}
        )
        made += created
    return made


MIN_TRAINING_EXAMPLES = 20


class TooFewExamples(ValueError):
    """Fewer verified reports with a category than training asks for."""

    def __init__(self, found, minimum):
        self.found, self.minimum = found, minimum
        super().__init__(f"{found} examples, {minimum} needed")


def train_model(*, min_examples=MIN_TRAINING_EXAMPLES, path=None):
    """Train on the installation's verified reports (training.examples_from_database) and
    write the model file atomically, where every process picks it up without a restart.

    Raises TooFewExamples below ``min_examples`` (ValueError when no example has a
    label). Answers (model, path written, seconds spent training).
    """
    examples = list(training.examples_from_database())
    if len(examples) < min_examples:
        raise TooFewExamples(len(examples), min_examples)
    started = time.perf_counter()
    # The keyword rules the suggestions blend (names, the administrator's keywords, the
    # borrowed lexicon entry) are prior knowledge in training too (classifier.rule_documents).
    model = classifier.train(examples, rules=keyword_rules(fresh=True))
    # Where the installation's residents name their places (the duplicate score reads it).
    model.gazetteer = gazetteer.learn(training.place_sides())
    seconds = time.perf_counter() - started
    return model, store.save(model, path), seconds


def model_trained_at(model=None):
    """When the current model was trained (aware datetime), or None without one."""
    model = model if model is not None else store.current_model()
    return dt.datetime.fromtimestamp(model.trained_at, tz=dt.UTC) if model is not None else None


def retrain_if_due(*, decisions, min_examples=MIN_TRAINING_EXAMPLES):
    """Retrain between the nightly runs once ``decisions`` reports have been decided
    (category or agency, accepted or overridden) since the current model was trained,
    or since ever when there is none (a first model, or one of an old format):

    1. count the decisions since the model's training time (quality.decisions_since);
    2. below ``decisions``, answer None and leave the model alone;
    3. else train (train_model) and answer the new model.

    TooFewExamples passes through (the caller logs it)."""
    if decisions_since(model_trained_at()) < decisions:
        return None
    model, _path, _seconds = train_model(min_examples=min_examples)
    return model


def government_labels(government_id):
    """(categories, agencies) a report of ``government_id`` may be suggested, as the
    model's labels (str pks): the government's active categories and its agencies. The
    rules and the model are the installation's, which may hold several governments."""
    categories = Category.objects.filter(government_id=government_id, is_active=True).values_list("pk", flat=True)
    agencies = Agency.objects.filter(government_id=government_id).values_list("pk", flat=True)
    return frozenset(map(str, categories)), frozenset(map(str, agencies))


def suggest(text, labels=None):
    """(top categories, top agencies, source): lists of (pk, confidence), most likely first.

    With a trained model: the model blended with the keyword rules. Without one (a city
    with no verified reports yet): the keyword rules alone, each category's default
    agency standing for its agency. ``labels`` (``government_labels``, or None for the
    whole installation): the categories and agencies ranked, so a report's top three are
    its own government's.
    """
    categories_of, agencies_of = labels if labels is not None else (None, None)
    rules = keyword_rules()
    if categories_of is not None:
        rules = {label: words for label, words in rules.items() if label in categories_of}
    model = store.current_model()
    if model is not None:
        categories, agencies = model.suggest(
            text, rules, conf.keyword_weight(), conf.keyword_gate(), categories=categories_of, agencies=agencies_of
        )
        agencies = _led_by_default_agency(model, categories, agencies)
        source = "model"
    else:
        categories = blend({}, rules, text, 1.0)
        defaults = dict(
            Category.objects.filter(pk__in=[int(c) for c in categories]).values_list("pk", "default_agency")
        )
        agencies = {}
        for label, p in categories.items():
            agency = defaults.get(int(label))
            if agency:
                agencies[str(agency)] = agencies.get(str(agency), 0.0) + p
        source = "keywords"
    return (
        [(int(label), float(p)) for label, p in top(categories, TOP_K) if p > 0],
        [(int(label), float(p)) for label, p in top(agencies, TOP_K) if p > 0],
        source,
    )


def _led_by_default_agency(model, categories, agencies):
    """The first category's default agency leads the agency suggestion unless the model's
    history decides that category's agency (classifier.TriageModel.decided_agency): a
    category the model has not learned (a new one, matched by its keyword rule) still
    brings its agency."""
    if not categories:
        return agencies
    first = top(categories, 1)[0][0]
    if model.decided_agency(first) is not None:
        return agencies
    default = Category.objects.filter(pk=int(first)).values_list("default_agency", flat=True).first()
    return lead_with(agencies, str(default)) if default else agencies


def triage_report(report) -> ReportTriage:
    """The first read of a new report, from any channel (called after its submission
    commits):

    1. rank the three likeliest categories and agencies (only those still active, and only
       the report's government's, ranked among them: the rules and the model are the
       installation's);
    2. check the text against the danger rules;
    3. store ReportTriage and the Suggestion rows, replacing any earlier ones.
    """
    started = time.perf_counter()
    text = report_text(report)
    categories, agencies, source = suggest(text, government_labels(report.government_id))
    reasons = urgency_reasons(text)
    elapsed = (time.perf_counter() - started) * 1000
    with transaction.atomic():
        triage, _ = ReportTriage.objects.update_or_create(
            report=report,
            defaults={
                "is_urgent": bool(reasons),
                "urgency_reasons": reasons,
                "model_version": store.version(store.current_model()) if source == "model" else "",
                "suggested_at": timezone.now(),
                "suggestion_ms": round(elapsed, 2),
            },
        )
        # The queue sorts by the report's copy of the flag, Report.is_urgent: stored by
        # receivers.copy_urgency as the row is saved.
        report.is_urgent = triage.is_urgent
        Suggestion.objects.filter(report=report).delete()
        Suggestion.objects.bulk_create(
            Suggestion(
                report=report,
                rank=rank,
                category_id=categories[rank - 1][0] if rank <= len(categories) else None,
                category_confidence=categories[rank - 1][1] if rank <= len(categories) else 0,
                agency_id=agencies[rank - 1][0] if rank <= len(agencies) else None,
                agency_confidence=agencies[rank - 1][1] if rank <= len(agencies) else 0,
                source=source,
            )
            for rank in range(1, max(len(categories), len(agencies)) + 1)
        )
    return triage


def triage_reports(report_ids) -> int:
    """The first read of many new reports at once (a bulk submission: the SP4N-LAPOR!
    import), in a few queries. Like ``triage_report``, except that a report which arrived
    with both its category and an active lead disposition (LAPOR! supplies both) gets its
    urgency read only: a suggestion would merely repeat the other system's decision. Reports
    triaged already are left alone, so running it twice changes nothing. Answers how many
    reports were triaged."""
    reports = list(Report.objects.filter(pk__in=list(report_ids), triage__isnull=True))
    if not reports:
        return 0
    disposed = set(
        Disposition.objects.filter(report__in=reports, role=Disposition.Role.LEAD, is_active=True).values_list(
            "report_id", flat=True
        )
    )
    labels = {}  # government → government_labels, read once per government
    now = timezone.now()
    triages, suggestions = [], []
    for report in reports:
        started = time.perf_counter()
        text = report_text(report)
        categories, agencies, source = [], [], ""
        if report.category_id is None or report.pk not in disposed:
            if report.government_id not in labels:
                labels[report.government_id] = government_labels(report.government_id)
            categories, agencies, source = suggest(text, labels[report.government_id])
        reasons = urgency_reasons(text)
        triages.append(
            ReportTriage(
                report=report,
                is_urgent=bool(reasons),
                urgency_reasons=reasons,
                model_version=store.version(store.current_model()) if source == "model" else "",
                suggested_at=now,
                suggestion_ms=round((time.perf_counter() - started) * 1000, 2),
            )
        )
        suggestions.extend(
            Suggestion(
                report=report,
                rank=rank,
                category_id=categories[rank - 1][0] if rank <= len(categories) else None,
                category_confidence=categories[rank - 1][1] if rank <= len(categories) else 0,
                agency_id=agencies[rank - 1][0] if rank <= len(agencies) else None,
                agency_confidence=agencies[rank - 1][1] if rank <= len(agencies) else 0,
                source=source,
            )
            for rank in range(1, max(len(categories), len(agencies)) + 1)
        )
    with transaction.atomic():
        # ignore_conflicts: a report triaged meanwhile (a retried task) keeps its first read.
        ReportTriage.objects.bulk_create(triages, ignore_conflicts=True)
        Suggestion.objects.bulk_create(suggestions, ignore_conflicts=True)
        # bulk_create sends no post_save (receivers.copy_urgency): copy the flags here.
        refresh_urgency([report.pk for report in reports])
    return len(triages)


def refresh_urgency(report_ids) -> None:
    """Copy the urgency flag of ``report_ids``' triage rows to ``Report.is_urgent`` (False
    for a report without one), which the coordinator's queue sorts by: one UPDATE."""
    urgent = ReportTriage.objects.filter(report=OuterRef("pk"), is_urgent=True)
    Report.objects.filter(pk__in=list(report_ids)).update(is_urgent=Exists(urgent))


def ensure_triaged(report) -> ReportTriage:
    """The report's first read, made now if no one has made it yet: the background task
    (``tasks.read_new_report``) normally has, but a coordinator may open or decide on the
    report before a worker got to it. Two readers at once keep the first one's rows."""
    triage = ReportTriage.objects.filter(report=report).first()
    if triage is not None:
        return triage
    try:
        with transaction.atomic():
            return triage_report(report)
    except IntegrityError:  # another process stored its read meanwhile
        return ReportTriage.objects.get(report=report)


def read_new_report(report_id) -> bool:
    """What the worker does for a report submitted through any channel, off the
    resident's request (tasks.read_new_report):

    1. its first read (``triage_report``), unless a page or a decision made it already;
    2. its likely duplicates stored (``refresh_duplicates``), unless stored already.

    Answers False when the report is gone (deleted before the worker came)."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return False
    triage = ensure_triaged(report)
    if triage.duplicates_at is None:
        refresh_duplicates(report)
    return True


def refresh_duplicates(report, *, now=None) -> int:
    """Store the likely duplicates ``report`` takes part in (duplicates.duplicate_pairs),
    when it arrives and when its words or place change:

    1. find the pairs (nothing for a report no longer open: its page lists none), less
       those a coordinator decided are not the same problem (DuplicateDecision);
    2. replace every stored pair naming the report, on either side, with them;
    3. note the time on its ReportTriage row (when it has one).

    Answers how many pairs were stored."""
    now = now or timezone.now()
    pairs = duplicate_pairs(report, now=now) if report.status in OPEN_STATES else []
    if pairs:
        # A pair a coordinator said is not the same problem stays off both pages.
        rejected = {
            frozenset(pair)
            for pair in DuplicateDecision.objects.filter(
                Q(report=report) | Q(candidate=report), same=False
            ).values_list("report_id", "candidate_id")
        }
        pairs = [(a, b, score) for a, b, score in pairs if frozenset((a, b)) not in rejected]
    with transaction.atomic():
        LikelyDuplicate.objects.filter(Q(report=report) | Q(candidate=report)).delete()
        LikelyDuplicate.objects.bulk_create(
            [
                LikelyDuplicate(report_id=a, candidate_id=b, score=score, scale=SCALE, computed_at=now)
                for a, b, score in pairs
            ],
            ignore_conflicts=True,
        )
        ReportTriage.objects.filter(report=report).update(duplicates_at=now)
    return len(pairs)


def refresh_all_duplicates(*, now=None) -> int:
    """Store again the likely duplicates of every open report (``refresh_duplicates``
    command: after a new model or threshold, or to fill the rows of reports read before
    duplicates were stored). Answers how many reports."""
    now = now or timezone.now()
    count = 0
    for report in Report.objects.open().order_by("received_at", "pk").iterator():
        refresh_duplicates(report, now=now)
        count += 1
    return count


def rescore_decisions(*, now=None) -> int:
    """Score again, with the current model and weights, the duplicate decisions of the
    calibration's window scored on another scale (before a refit of the weights), so the
    threshold is calibrated on scores of one scale; then calibrate again. Nothing without
    a model: the calibration reads scores made with one. Answers how many were scored."""
    model = store.current_model()
    if model is None:
        return 0
    since = (now or timezone.now()) - dt.timedelta(days=calibration.WINDOW_DAYS)
    stale = list(
        DuplicateDecision.objects.filter(decided_at__gte=since)
        .exclude(scale=SCALE)
        .select_related("report", "candidate")
    )
    for decision in stale:
        decision.score, decision.scale = pair_score(decision.report, decision.candidate), SCALE
    DuplicateDecision.objects.bulk_update(stale, ["score", "scale"], batch_size=500)
    calibration.refresh()
    return len(stale)


def record_category_decision(report, *, actor=None) -> None:
    """After a verification or reclassification: did the coordinator keep the first
    suggestion? (The final category itself is the report's; training reads it there.)"""
    if report.category_id is None:
        return
    first = Suggestion.objects.filter(report=report, rank=1).values_list("category_id", flat=True).first()
    decision = Decision.ACCEPTED if first == report.category_id else Decision.OVERRIDDEN
    ReportTriage.objects.filter(report=report).update(
        category_decision=decision, final_category=report.category_id, decided_by=actor, decided_at=timezone.now()
    )


def record_agency_decision(report, *, actor=None) -> None:
    """After a disposition: was the lead agency the first suggested one?"""
    lead = (
        Disposition.objects.filter(report=report, role=Disposition.Role.LEAD, is_active=True)
        .order_by("-created_at")
        .values_list("agency_id", flat=True)
        .first()
    )
    if lead is None:
        return
    first = Suggestion.objects.filter(report=report, rank=1).values_list("agency_id", flat=True).first()
    ReportTriage.objects.filter(report=report).update(
        agency_decision=Decision.ACCEPTED if first == lead else Decision.OVERRIDDEN,
        final_agency=lead,
        decided_by=actor,
        decided_at=timezone.now(),
    )


def accept_suggestion(suggestion, *, actor):
    """One click: give the report the suggested category (a reclassification, with its
    event). The decision is recorded when the ``classified`` event is announced."""
    if suggestion.category_id is None:
        raise DomainError(_("Saran ini tidak memuat kategori."))
    return report_actions.classify_report(suggestion.report, actor=actor, category=suggestion.category)


def merge_duplicate(duplicate, *, actor, original, message=""):
    """Archive ``duplicate`` as a duplicate of ``original``: its reporter is attached to
    the original and hears the original's updates (notify/receivers.py); its own
    attachments and events stay where they are, listed from the original's page. The
    merge is the coordinator's word that the pair is the same problem: recorded after the
    commit from the ``archived`` event (``record_merge``), as an archive as a duplicate
    from any other page is."""
    return report_actions.archive_report(
        duplicate, actor=actor, reason=ArchiveReason.DUPLICATE, duplicate_of=original, message=message
    )


def record_merge(report, *, actor=None) -> bool:
    """After ``report`` was archived as a duplicate (the ``merged`` job of its ``archived``
    event, jobs.py), from triage's merge, the workspace's archive form, a bulk archive or
    the API: a DuplicateDecision ``same=True`` on the pair with its stored score (the
    scorer's when none is stored), decided by ``actor`` at the time of the archive, so a
    second run (the sweep after a lost run) changes nothing. Answers whether one was
    recorded (not for a report no longer archived as a duplicate)."""
    if report.archive_reason != ArchiveReason.DUPLICATE or report.duplicate_of_id is None:
        return False
    original = report.duplicate_of
    score = _pair_score(report, original)
    return _record_duplicate_decision(
        report, original, score=score, same=True, actor=actor, decided_at=report.archived_at
    )


def reject_duplicate(report, *, actor, candidate):
    """ "Bukan masalah yang sama": ``candidate``, listed among ``report``'s likely
    duplicates, is another problem. Recorded as a DuplicateDecision with the stored score;
    the pair's stored rows go (both ways), and ``refresh_duplicates`` does not store them
    again while the decision stands."""
    with transaction.atomic():
        stored = (
            LikelyDuplicate.objects.select_for_update()
            .filter(report=report, candidate=candidate)
            .values_list("score", "scale")
            .first()
        )
        if stored is None:
            raise DomainError(
                _("Laporan %(number)s tidak ada di daftar kemungkinan duplikat laporan ini.")
                % {"number": candidate.tracking_number}
            )
        score, scale = stored
        if scale != SCALE:  # stored before a refit of the weights: scored again
            score = pair_score(report, candidate)
        _record_duplicate_decision(report, candidate, score=score, same=False, actor=actor)
        LikelyDuplicate.objects.filter(
            Q(report=report, candidate=candidate) | Q(report=candidate, candidate=report)
        ).delete()


def _pair_score(report, other) -> float:
    """The pair's stored score when it is on the current scale, else the scorer's."""
    stored = (
        LikelyDuplicate.objects.filter(Q(report=report, candidate=other) | Q(report=other, candidate=report))
        .filter(scale=SCALE)
        .values_list("score", flat=True)
        .first()
    )
    return stored if stored is not None else pair_score(report, other)


def _record_duplicate_decision(report, other, *, score, same, actor, decided_at=None) -> bool:
    """One decision per pair, stored lower id first (DuplicateDecision), whichever side
    the word came from: a later word replaces the earlier one; an older one (a merge's
    job done late by the sweep after a newer word) is dropped. Two words at once: the
    second INSERT fails on the unique pair and updates the row instead. The calibrated
    threshold is computed again after the commit. Answers whether the word was kept."""
    decided_at = decided_at or timezone.now()
    low, high = sorted((report.pk, other.pk))
    values = {"score": score, "scale": SCALE, "same": same, "decided_by": actor, "decided_at": decided_at}
    pair = DuplicateDecision.objects.filter(report_id=low, candidate_id=high)
    with transaction.atomic():
        kept = pair.filter(decided_at__lte=decided_at).update(**values)
        if not kept and not pair.exists():
            try:
                with transaction.atomic():
                    DuplicateDecision.objects.create(report_id=low, candidate_id=high, **values)
                kept = 1
            except IntegrityError:  # another coordinator's word on the pair, just committed
                kept = pair.filter(decided_at__lte=decided_at).update(**values)
    if kept:
        transaction.on_commit(calibration.refresh)
    return bool(kept)
