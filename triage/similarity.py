"""How alike two report texts are, from 0 to 1: the same problem told twice.

Score = ``TEXT_WEIGHT`` · cosine of the texts' TF-IDF vectors (the trained model's
word and character n-grams, so words common to every report — "jalan", "mohon" — weigh
little) + (1 − ``TEXT_WEIGHT``) · cosine of their predicted category distributions (two
reports about a street light and a traffic light share words but not a category).
Without a trained model the text cosine alone is used, over hashed character n-grams.
"""

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from triage.normalize import normalize

TEXT_WEIGHT = 0.6

_fallback = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**18, alternate_sign=False)


class TextSimilarity:
    def __init__(self, model=None):
        self.model = model

    def vectors(self, texts):
        """One row per text: (sparse text vector, category distribution or None)."""
        if self.model is None:
            return [(row, None) for row in _fallback.transform([normalize(t) for t in texts])]
        matrix = self.model.vectorize(texts)
        distributions = self.model.category_matrix(matrix)
        return list(zip(matrix, distributions, strict=True))

    @staticmethod
    def score(a, b) -> float:
        text = _cosine_sparse(a[0], b[0])
        if a[1] is None or b[1] is None:
            return text
        return TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * _cosine_dense(a[1], b[1])

    def pair(self, text_a, text_b) -> float:
        a, b = self.vectors([text_a, text_b])
        return self.score(a, b)


def _cosine_sparse(a, b):
    norm = np.sqrt(a.multiply(a).sum() * b.multiply(b).sum())
    return float(a.multiply(b).sum() / norm) if norm else 0.0


def _cosine_dense(a, b):
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    return float(np.dot(a, b) / norm) if norm else 0.0
