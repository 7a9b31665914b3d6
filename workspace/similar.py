"""Possible duplicates of a report being typed in: open reports whose description shares
words with the text so far.

Deliberately simple and explainable (there is no full-text index on SQLite and no trained
model yet): the text's significant words (4 letters or more, minus common Indonesian
filler words, at most ``MAX_WORDS`` of the longest) are matched with ``icontains``; a
report scores one point per word its description contains. Reports from the same
kelurahan come first, then the higher score, then the newest. Only open reports received
in the last ``DAYS`` days count, since an old or finished report is no longer the same
problem.
"""

import datetime as dt
import re

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

DAYS = 30
LIMIT = 5
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


def _one_if(condition):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def similar_reports(reports, text, *, region=None, limit=LIMIT, now=None):
    """Up to ``limit`` of ``reports`` (a queryset the user may see) resembling ``text``.

    A single significant word must match; with two or more, at least two must, so one
    shared common word ("lampu", "jalan") does not flood the list.
    """
    words = significant_words(text)
    if not words:
        return []
    since = (now or timezone.now()) - dt.timedelta(days=DAYS)
    any_word = Q()
    for word in words:
        any_word |= Q(description__icontains=word)
    score = sum((_one_if(Q(description__icontains=w)) for w in words), Value(0))
    same_place = _one_if(Q(region=region)) if region is not None else Value(0, output_field=IntegerField())
    found = list(
        reports.open()
        .filter(any_word, received_at__gte=since)
        .annotate(score=score, same_place=same_place)
        .filter(score__gte=min(2, len(words)))
        .select_related("category__parent", "region")
        .order_by("-same_place", "-score", "-received_at", "-pk")[:limit]
    )
    for report in found:
        # A confidential report's text never leaves this function.
        report.excerpt = "" if report.is_confidential else excerpt(report)
    return found


_PHONE = re.compile(r"\+?\d[\d\s.-]{6,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def excerpt(report, length=140):
    """A short excerpt with phone numbers and emails masked: the reporter's contact often
    sits in the text, and this panel is about the problem, not the person."""
    text = _EMAIL.sub("[email]", _PHONE.sub("[nomor]", " ".join(report.description.split())))
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
