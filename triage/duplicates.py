"""Likely duplicates: recent open reports about the same problem in the same place.

Two uses, one finder:

- ``likely_duplicates(report)`` for the coordinator's report page: open reports of the
  last ``ADUAN_TRIAGE_DUPLICATE_DAYS`` days in the same kelurahan or within
  ``ADUAN_TRIAGE_DUPLICATE_DISTANCE_M`` of the pin (any place when the report has neither),
  whose same-problem-same-place score (triage/duplicate_score.py: the kind of problem,
  its words, the pin, the kelurahan, the streets and landmarks named) reaches
  ``ADUAN_TRIAGE_DUPLICATE_THRESHOLD``. Candidates are the reports sharing a significant
  word *or* the place: a duplicate told in other words shares none.
- ``similar_reports(reports, text, region=…)`` for the call-center form while typing:
  a lower bar, any place, the same kelurahan listed first, text similarity
  (triage/similarity.py) only — a half-typed text has no place yet.

The database narrows the candidates first (the text's significant words with
``icontains``, so no full-text index is needed on SQLite) or, for the report page, the
place (the kelurahan, a box around the pin) whatever the words; the scorer then ranks at
most ``MAX_CANDIDATES`` rows in memory.
"""

import datetime as dt
import math
import re

from django.db.models import Q
from django.utils import timezone

from triage import conf, store
from triage.duplicate_score import DuplicateScorer, Side, distance_m
from triage.similarity import TextSimilarity

LIMIT = 5
DAYS = 30  # the default of ADUAN_TRIAGE_DUPLICATE_DAYS
MAX_CANDIDATES = 200
MAX_WORDS = 8
MIN_LETTERS = 4

# Words of four letters or more that say nothing about the problem itself.
_STOPWORD_TEXT = """
    yang dengan sudah tidak untuk dari pada karena sejak tolong mohon bapak sekitar
    belum masih juga saja akan atau dalam kami saya mereka sangat lebih bisa sini sana
    telah hari minggu bulan tahun ingin mau sampai sehingga agar seperti warga laporan
    lapor melaporkan penelepon terima kasih selamat pagi siang sore malam bagaimana
    kapan
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+")


def significant_words(text):
    """The distinct words worth matching, longest first (longer words say more)."""
    words = {w for w in _WORD.findall((text or "").lower()) if len(w) >= MIN_LETTERS and w not in STOPWORDS}
    return sorted(words, key=lambda w: (-len(w), w))[:MAX_WORDS]


def report_text(report):
    return f"{report.title}\n{report.description}" if report.title else report.description


def _candidates(reports, words, *, min_words, now, exclude_pk=None, place=None):
    """Open recent reports with ``min_words`` of the significant ``words``; or, given
    ``place`` (a Q for the same kelurahan or the box around the pin), those at the place
    whatever their words: a duplicate told in other words shares none."""
    since = now - dt.timedelta(days=conf.duplicate_days())
    if place is None:
        where = Q()
        for word in words:
            where |= Q(description__icontains=word) | Q(title__icontains=word)
    else:
        where = place
    found = (
        reports.open()
        .filter(where, received_at__gte=since)
        .select_related("category__parent", "region")
        .order_by("-received_at", "-pk")
    )
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    rows = []
    for report in found[:MAX_CANDIDATES]:
        text = report_text(report).lower()
        if place is not None or sum(word in text for word in words) >= min_words:
            rows.append(report)
    return rows


def _place_filter(report, max_m):
    """The same kelurahan, or a box of ``max_m`` around the pin (the exact distance is
    checked in memory)."""
    place = Q(pk__in=[])  # matches nothing: the start of an OR
    if report.region_id:
        place |= Q(region_id=report.region_id)
    if report.latitude is not None and report.longitude is not None:
        lat, lon = float(report.latitude), float(report.longitude)
        d_lat = max_m / 111_320
        d_lon = max_m / (111_320 * max(0.1, math.cos(math.radians(lat))))
        place |= Q(
            latitude__gte=lat - d_lat, latitude__lte=lat + d_lat, longitude__gte=lon - d_lon, longitude__lte=lon + d_lon
        )
    return place


def _score(text, candidates):
    """``candidates`` with a ``similarity`` each; and whether a trained model scored them."""
    model = store.current_model()
    similarity = TextSimilarity(model)
    vectors = similarity.vectors([text] + [report_text(r) for r in candidates])
    for report, vector in zip(candidates, vectors[1:], strict=True):
        report.similarity = similarity.score(vectors[0], vector)
    return candidates, model is not None


def similar_reports(reports, text, *, region=None, limit=LIMIT, now=None):
    """Up to ``limit`` of ``reports`` (a queryset the user may see) resembling ``text``,
    those of ``region`` first. A single significant word must match; with two or more, at
    least two must, so one shared common word ("lampu", "jalan") does not flood the list."""
    words = significant_words(text)
    if not words:
        return []
    candidates = _candidates(reports, words, min_words=min(2, len(words)), now=now or timezone.now())
    scored, _with_model = _score(text, candidates)
    found = [r for r in scored if r.similarity >= conf.typing_threshold()]
    for report in found:
        report.same_place = region is not None and report.region_id == region.pk
    found.sort(key=lambda r: (not r.same_place, -r.similarity, -r.received_at.timestamp(), -r.pk))
    found = found[:limit]
    for report in found:
        # A confidential report's text never leaves this function.
        report.excerpt = "" if report.is_confidential else excerpt(report)
    return found


def _same_place(report, other, max_m):
    has_point = report.latitude is not None and report.longitude is not None
    other_point = other.latitude is not None and other.longitude is not None
    if (
        has_point
        and other_point
        and distance_m(report.latitude, report.longitude, other.latitude, other.longitude) <= max_m
    ):
        return True
    if report.region_id and other.region_id == report.region_id:
        return True
    # A report with no place at all can only be compared by its text.
    return not has_point and not report.region_id


def likely_duplicates(report, reports=None, *, limit=LIMIT, now=None):
    """Open reports that are probably the same problem as ``report``, most similar first."""
    from reports.models import Report

    reports = Report.objects.all() if reports is None else reports
    words = significant_words(report_text(report))
    now = now or timezone.now()
    max_m = conf.duplicate_distance_m()
    has_place = report.region_id or (report.latitude is not None and report.longitude is not None)
    place = _place_filter(report, max_m) if has_place else None
    if place is None and not words:
        return []
    candidates = [
        c
        for c in _candidates(reports, words, min_words=1, now=now, exclude_pk=report.pk, place=place)
        if _same_place(report, c, max_m) and c.received_at <= max(now, report.received_at)
    ]
    if not candidates:
        return []
    model = store.current_model()
    scorer = DuplicateScorer(model)
    rows = scorer.read([Side.of_report(report)] + [Side.of_report(c) for c in candidates])
    for candidate, score in zip(candidates, scorer.scores_against(rows[0], rows[1:]), strict=True):
        candidate.similarity = score
    threshold = conf.duplicate_threshold(with_model=model is not None)
    found = [c for c in candidates if c.similarity >= threshold]
    found.sort(key=lambda r: (-r.similarity, r.received_at))
    return found[:limit]


_PHONE = re.compile(r"\+?\d[\d\s.-]{6,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def excerpt(report, length=140):
    """A short excerpt with phone numbers and emails masked: the reporter's contact often
    sits in the text, and this panel is about the problem, not the person."""
    text = _EMAIL.sub("[email]", _PHONE.sub("[nomor]", " ".join(report.description.split())))
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
