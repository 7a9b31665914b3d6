"""Possible duplicates of a report being typed in (the call-center form's panel).

One finder serves this panel and the coordinator's report page: triage/duplicates.py,
here in its "while typing" mode — open reports of the last 30 days sharing significant
words with the text, ranked by text similarity, the same kelurahan first.
"""

from triage.duplicates import DAYS, LIMIT, STOPWORDS, excerpt, significant_words, similar_reports

__all__ = ["DAYS", "LIMIT", "STOPWORDS", "excerpt", "significant_words", "similar_reports"]
