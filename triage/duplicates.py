"""Likely duplicates: recent open reports about the same problem in the same place.

Two uses, one finder:

- ``likely_duplicates(report)`` for the coordinator's report page: open reports of the
  report's government, of the last ``ADUAN_TRIAGE_DUPLICATE_DAYS`` days, in the same
  kelurahan or within ``ADUAN_TRIAGE_DUPLICATE_DISTANCE_M`` of the pin (any place when
  the report has neither) — and, between a report with only a pin and one with only a
  kelurahan, when the pin's nearest kelurahan centroid is that kelurahan's
  (``kelurahan_of_pin``) —
  whose same-problem-same-place score (triage/duplicate_score.py: the kind of problem,
  its words, the pin, the kelurahan, the streets and landmarks named) reaches the
  threshold in use (``calibration.threshold``: ``ADUAN_TRIAGE_DUPLICATE_THRESHOLD``, or
  the one calibrated on the coordinators' decisions once there are enough). Candidates
  are the reports sharing a significant word *or* the place: a duplicate told in other
  words shares none.
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

from django.db.models import F, Q
from django.utils import timezone

from core import choice_lists
from triage import calibration, conf, store
from triage.duplicate_score import DuplicateScorer, Side, distance_m, kelurahan_index
from triage.similarity import TextSimilarity

LIMIT = 5
DAYS = 30  # the default of ADUAN_TRIAGE_DUPLICATE_DAYS
MAX_CANDIDATES = 200
MAX_WORDS = 8
MIN_LETTERS = 4
# A pin farther than this from every kelurahan centroid of its government is in none of
# them for choosing candidates (a kelurahan of a city is a few km across).
CENTROID_M = 3000

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


def _box(lat, lon, max_m):
    """The Q of the pins within a box of ``max_m`` around (lat, lon)."""
    d_lat = max_m / 111_320
    d_lon = max_m / (111_320 * max(0.1, math.cos(math.radians(lat))))
    return Q(
        latitude__gte=lat - d_lat, latitude__lte=lat + d_lat, longitude__gte=lon - d_lon, longitude__lte=lon + d_lon
    )


def _has_pin(report):
    return report.latitude is not None and report.longitude is not None


def _place_filter(report, max_m):
    """The same kelurahan, or a box of ``max_m`` around the pin (the exact distance is
    checked in memory)."""
    place = Q(pk__in=[])  # matches nothing: the start of an OR
    if report.region_id:
        place |= Q(region_id=report.region_id)
    if _has_pin(report):
        place |= _box(float(report.latitude), float(report.longitude), max_m)
    return place


def _inferred_place(report, centroids):
    """Between a report with only a pin and those with only a kelurahan (``centroids``:
    ``kelurahan_centroids`` of its government), the Q of the other side: for a pin, the
    unpinned reports of the kelurahan whose centroid is nearest it; for a kelurahan, the
    pinned reports without one in a box of CENTROID_M around its centroid (whether that
    centroid is their nearest is checked in memory, ``_pin_meets_kelurahan``). None when
    the report has both or neither, or no centroid is near (``kelurahan_of_pin``)."""
    if _has_pin(report) and not report.region_id:
        nearest = kelurahan_of_pin(report.latitude, report.longitude, centroids)
        if nearest is not None:
            return Q(Q(latitude__isnull=True) | Q(longitude__isnull=True), region_id=nearest)
    if report.region_id and not _has_pin(report):
        centre = next(((lat, lon) for pk, lat, lon in centroids if pk == report.region_id), None)
        if centre is not None:
            return Q(_box(*centre, CENTROID_M), region__isnull=True)
    return None


def _kelurahan(government_id):
    """(pk, name, latitude, longitude) of every kelurahan of the government: one query,
    kept in the process like the staff pages' lists (core/choice_lists.py: a saved or
    deleted region reads them again); the centroids and the names are read from it."""
    from agencies.models import Region

    def read():
        rows = Region.objects.filter(government_id=government_id, level=Region.Level.KELURAHAN)
        return tuple(rows.order_by("pk").values_list("pk", "name", "latitude", "longitude"))

    return choice_lists.rows(f"duplicates_kelurahan@{government_id}", read)


def kelurahan_centroids(government_id):
    """(pk, latitude, longitude) of every kelurahan of the government with a centroid."""

    def read():
        return tuple(
            (pk, float(lat), float(lon))
            for pk, _name, lat, lon in _kelurahan(government_id)
            if lat is not None and lon is not None
        )

    return choice_lists.rows(f"kelurahan_centroids@{government_id}", read)


def kelurahan_names(government_id) -> dict:
    """The government's kelurahan as ``duplicate_score.kelurahan_index`` (a text naming one
    places a report without one), kept like the centroids (normalising the names once)."""

    def read():
        return kelurahan_index((pk, name) for pk, name, _lat, _lon in _kelurahan(government_id))

    return choice_lists.rows(f"kelurahan_names@{government_id}", read)


def kelurahan_of_pin(latitude, longitude, centroids):
    """The kelurahan whose centroid is nearest the pin, among ``centroids`` (one
    government's), when it is within CENTROID_M; else None.

    The one rule that lets a report with only a pin (a WhatsApp location share) and one
    with only a kelurahan be candidates of each other, either way round: the pin's nearest
    centroid is that kelurahan's. It only *chooses candidates*: the score keeps reading
    what the residents gave (``Side.of_report``), never this kelurahan — a pin near a
    border is often nearer the neighbour's centroid, and as evidence ("another kelurahan")
    it would pull a true pair apart; as a candidate it costs one score at most."""
    lat, lon = float(latitude), float(longitude)
    best, best_m = None, CENTROID_M
    for pk, c_lat, c_lon in centroids:
        # One degree of latitude is 111 km: a centroid beyond the best so far in latitude
        # alone is no nearer (saves the great-circle distance for most of them).
        if abs(c_lat - lat) * 111_000 > best_m:
            continue
        metres = distance_m(lat, lon, c_lat, c_lon)
        if metres <= best_m and (best is None or metres < best_m):
            best, best_m = pk, metres
    return best


def _pin_meets_kelurahan(pinned, named, centroids):
    """``pinned`` has a pin and no kelurahan, ``named`` a kelurahan and no pin (or the
    other way round), and the pin's nearest kelurahan centroid is ``named``'s."""
    if _has_pin(named) and not named.region_id:
        pinned, named = named, pinned
    if not (_has_pin(pinned) and not pinned.region_id and named.region_id and not _has_pin(named)):
        return False
    if pinned.government_id != named.government_id:
        return False
    return kelurahan_of_pin(pinned.latitude, pinned.longitude, centroids) == named.region_id


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


def _same_place(report, other, max_m, centroids=()):
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
    if _pin_meets_kelurahan(report, other, centroids):
        return True
    # A report with no place at all can only be compared by its text.
    return not has_point and not report.region_id


def _forward_candidates(report, reports, now, max_m):
    """The reports the finder considers for ``report``: of its government, at its place
    (any place, by shared words, when it has none), open, recent, at most MAX_CANDIDATES;
    and between only a pin and only a kelurahan (``_inferred_place``), at most
    MAX_CANDIDATES more from a query of their own, so that the pinned reports around a
    kelurahan's centroid never crowd out the reports of the kelurahan itself."""
    words = significant_words(report_text(report))
    place = _place_filter(report, max_m) if _has_place(report) else None
    if place is None and not words:
        return []
    reports = reports.filter(government_id=report.government_id)
    found = _candidates(reports, words, min_words=1, now=now, exclude_pk=report.pk, place=place)
    centroids = kelurahan_centroids(report.government_id) if _infers_place(report) else ()
    inferred = _inferred_place(report, centroids)
    if inferred is not None:
        seen = {c.pk for c in found}
        more = _candidates(reports, words, min_words=1, now=now, exclude_pk=report.pk, place=inferred)
        found += [c for c in more if c.pk not in seen]
        found.sort(key=lambda r: (r.received_at, r.pk), reverse=True)
    return [
        c for c in found if _same_place(report, c, max_m, centroids) and c.received_at <= max(now, report.received_at)
    ]


def _infers_place(report):
    """Only a pin, or only a kelurahan: the kelurahan centroids choose more candidates."""
    return bool(report.region_id) != _has_pin(report)


def _has_place(report):
    return bool(report.region_id or (report.latitude is not None and report.longitude is not None))


def _scored(report, candidates):
    """``candidates`` with their ``similarity`` to ``report``, and the threshold in force."""
    model = store.current_model()
    scorer = DuplicateScorer(model, kelurahan=kelurahan_names(report.government_id))
    rows = scorer.read([Side.of_report(report)] + [Side.of_report(c) for c in candidates])
    for candidate, score in zip(candidates, scorer.scores_against(rows[0], rows[1:]), strict=True):
        candidate.similarity = score
    return candidates, calibration.threshold(with_model=model is not None)


def pair_score(report, other) -> float:
    """The same-problem-same-place score of two reports (a merge of a pair never stored)."""
    scorer = DuplicateScorer(store.current_model(), kelurahan=kelurahan_names(report.government_id))
    first, second = scorer.read([Side.of_report(report), Side.of_report(other)])
    return scorer.scores_against(first, [second])[0]


def likely_duplicates(report, reports=None, *, limit=LIMIT, now=None):
    """Open reports that are probably the same problem as ``report``, most similar first
    (all of them when ``limit`` is None)."""
    from reports.models import Report

    reports = Report.objects.all() if reports is None else reports
    now = now or timezone.now()
    candidates = _forward_candidates(report, reports, now, conf.duplicate_distance_m())
    if not candidates:
        return []
    candidates, threshold = _scored(report, candidates)
    found = [c for c in candidates if c.similarity >= threshold]
    found.sort(key=lambda r: (-r.similarity, r.received_at))
    return found if limit is None else found[:limit]


def _would_consider(report, other, max_m, centroids=()):
    """Would the finder, run for ``report``, consider ``other`` (leaving aside whether it
    is open and recent)? At the same place when ``report`` has one (the same kelurahan,
    pins within ``max_m``, or only a pin and only a kelurahan by ``kelurahan_of_pin``
    with ``centroids``, their government's); else sharing one of its significant words.
    Never across governments."""
    if report.government_id != other.government_id:
        return False
    if _has_place(report):
        both_pins = None not in (report.latitude, report.longitude, other.latitude, other.longitude)
        if both_pins and distance_m(report.latitude, report.longitude, other.latitude, other.longitude) <= max_m:
            return True
        if _pin_meets_kelurahan(report, other, centroids):
            return True
        return bool(report.region_id) and other.region_id == report.region_id
    text = report_text(other).lower()
    return any(word in text for word in significant_words(report_text(report)))


def duplicate_pairs(report, *, now=None):
    """Every stored pair ``report`` takes part in, as (report id, candidate id, score):
    what ``likely_duplicates`` finds for it now, and — since a report arriving later
    appears on an earlier report's page — each open report that would find ``report``
    among its own duplicates: one at its place received before the finder's window (an
    old report still open lists recent candidates), and one with no place at all (which
    finds candidates anywhere by its words). The score is symmetric, so both directions
    share it. Each of the two extra sets is capped at MAX_CANDIDATES, newest first."""
    from reports.models import Report

    now = now or timezone.now()
    max_m = conf.duplicate_distance_m()
    centroids = kelurahan_centroids(report.government_id) if _infers_place(report) else ()
    forward = _forward_candidates(report, Report.objects.all(), now, max_m)
    seen = {c.pk for c in forward}
    since = now - dt.timedelta(days=conf.duplicate_days())
    others = (
        Report.objects.open()
        .filter(government_id=report.government_id)
        .exclude(pk=report.pk)
        .select_related("category__parent", "region")
    )
    placeless = others.filter(region__isnull=True).filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
    backward = list(placeless.order_by("-received_at", "-pk")[:MAX_CANDIDATES])
    if _has_place(report):
        place = _place_filter(report, max_m)
        inferred = _inferred_place(report, centroids)
        older = others.filter(place if inferred is None else place | inferred, received_at__lt=since)
        backward += list(older.order_by("-received_at", "-pk")[:MAX_CANDIDATES])
    pool = forward + [o for o in backward if o.pk not in seen and _would_consider(o, report, max_m, centroids)]
    if not pool:
        return []
    pool, threshold = _scored(report, pool)
    pairs = []
    for other in pool:
        if other.similarity < threshold:
            continue
        if other.pk in seen:
            pairs.append((report.pk, other.pk, other.similarity))
        if _would_consider(other, report, max_m, centroids):
            pairs.append((other.pk, report.pk, other.similarity))
    return pairs


def stored_duplicates(report, reports, *, limit=LIMIT, now=None):
    """The stored likely duplicates of ``report`` among ``reports`` (a queryset the user
    may see) that are still open and recent, most similar first — what
    ``likely_duplicates`` gave when they were stored, in one query."""
    since = (now or timezone.now()) - dt.timedelta(days=conf.duplicate_days())
    return list(
        reports.open()
        .filter(likely_duplicate_of__report=report, received_at__gte=since)
        .annotate(similarity=F("likely_duplicate_of__score"))
        .select_related("category__parent", "region")
        .order_by("-similarity", "received_at", "-pk")[:limit]
    )


_PHONE = re.compile(r"\+?\d[\d\s.-]{6,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def excerpt(report, length=140):
    """A short excerpt with phone numbers and emails masked: the reporter's contact often
    sits in the text, and this panel is about the problem, not the person."""
    text = _EMAIL.sub("[email]", _PHONE.sub("[nomor]", " ".join(report.description.split())))
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
