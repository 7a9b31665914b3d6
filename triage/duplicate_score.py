"""Same problem, same place? A score from 0 to 1 for two reports, the place weighing as
much as the words.

Two residents tell the same problem in different words (one names the street, the other
the school beside it), and two reports that share most of their words are often another
problem at the same corner, or the same kind of problem two streets away. So the score
adds up evidence in log-odds (naive-Bayes style), each piece able to pull it down:

- **kind of problem** — the category distributions the trained model predicts for the
  two texts (cosine), and the problem words they share by the built-in lexicon's concepts
  (keywords.DEFAULT_KEYWORDS: "pju", "lampu jalan", "lampu padam" are one concept);
  "other problem" pulls the score far down whatever the place;
- **the problem's words** — cosine of the texts' vectors *with the place words taken out*
  (triage/places.py), so "Jl. Mawar" in both texts does not make two problems alike;
- **the pin** — both pins: within about 200 m adds, beyond pulls down (``_pin_logit``);
- **the kelurahan** — when the two pins are not both known, another kelurahan pulls
  down (with both pins, the distance decides: neighbours across a border are one place);
  the same kelurahan is where candidates come from anyway, so it adds nothing;
- **the places named in the text** — the same street, alley, landmark or RT adds; two
  names of one kind with nothing in common (Jl. Kenari and Jl. Mawar, SDN 2 and SDN 5)
  pull down hard. A street in one text and a landmark in the other say nothing.

Score = sigmoid(problem + place). The weights below are set by reasoning and checked on
the project's own pairs (data/pairs.jsonl); the threshold that decides "likely duplicate"
is calibrated on them (``ADUAN_TRIAGE_DUPLICATE_THRESHOLD``, triage/README.md).
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from triage import keywords, places
from triage.classifier import predict_proba

# Kind of problem and its words (log-odds per unit of cosine, and the cosine that is
# neutral). Another kind pulls down hard; the same kind adds at most KIND_MAX: two
# problems of one category at one place (a fallen tree, a tree to prune) are common, so
# the words have to carry the rest.
KIND_WEIGHT, KIND_NEUTRAL, KIND_MAX = 5.0, 0.45, 1.0
# The top category probability from which the model's kind counts in full.
KIND_SURE = 0.5
# Shared problem words add; few shared words pull down only a little (WORDS_MIN): two
# residents telling the same problem in Javanese and in English share none.
# Many shared words add at most WORDS_MAX: less than a named other place takes away, so
# "lampu pju jl kenari mati" and "lampu pju jl mawar mati" stay two reports.
WORDS_WEIGHT, WORDS_NEUTRAL, WORDS_MIN, WORDS_MAX = 8.0, 0.3, -1.0, 3.0
# Places named in the text: a match adds, a conflict pulls down (per kind).
MATCH = {"jalan": 1.0, "rt": 0.5, "rw": 0.3}
MATCH_LANDMARK = 1.5
CONFLICT = {"rt": 1.5, "rw": 1.5}
CONFLICT_NAMED = 5.0
MAX_TEXT_MATCH = 2.5
OTHER_KELURAHAN = 2.5

_hashed = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**18, alternate_sign=False)
_CONCEPTS = [keywords.parse(words) for words in keywords.DEFAULT_KEYWORDS.values()]


def _concept_kinship(concepts):
    """How near each two concepts of the lexicon are (0–1): the cosine of their keywords'
    words, weighted by rarity across concepts. "Penerangan jalan" and "PJU" share "lampu"
    and "penerangan", so a resident who writes "penerangan jalan padam" and one who writes
    "pju mati" are not told apart as two kinds of problem."""
    bags = [" ".join(words).split() for words in concepts]
    vocabulary = sorted({w for bag in bags for w in bag})
    index = {w: i for i, w in enumerate(vocabulary)}
    counts = np.zeros((len(bags), len(vocabulary)))
    for row, bag in enumerate(bags):
        for word in bag:
            counts[row, index[word]] += 1
    rarity = np.log(len(bags) / np.count_nonzero(counts, axis=0))
    weighted = counts * rarity
    weighted /= np.maximum(np.linalg.norm(weighted, axis=1, keepdims=True), 1e-12)
    return weighted @ weighted.T


_KINSHIP = _concept_kinship(_CONCEPTS)


@dataclass
class Side:
    """One report as the scorer sees it: its text and where it is."""

    text: str
    region: object = None  # a kelurahan: primary key or name, compared for equality
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""

    @classmethod
    def of_report(cls, report):
        text = f"{report.title}\n{report.description}" if report.title else report.description
        return cls(text, report.region_id, report.latitude, report.longitude, report.address or "")


@dataclass
class _Read:
    side: Side
    places: frozenset
    problem_words: str
    concepts: np.ndarray
    vector: object = None
    norm: float = 0.0
    distribution: np.ndarray | None = None


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (lat1, lon1, lat2, lon2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371000 * 2 * math.asin(math.sqrt(a))


def _pin_logit(metres):
    """+2 on the spot, 0 at 200 m, −2 at 400 m, at most −4: residents pin where they stand,
    often across the road or at the end of the block from the problem."""
    return max(-4.0, min(2.0, 2.0 - metres / 100))


def _concepts(normalized):
    return np.array([keywords.matches(normalized, words) for words in _CONCEPTS], dtype=float)


class DuplicateScorer:
    def __init__(self, model=None):
        self.model = model

    def read(self, sides):
        """Each side (a ``Side`` or a text) read once: places, problem words, vectors."""
        sides = [s if isinstance(s, Side) else Side(str(s)) for s in sides]
        rows = []
        for side in sides:
            found, problem_words = places.read(side.text)
            if side.address:
                found = found | places.mentions(side.address)
            rows.append(_Read(side, found, problem_words, _concepts(problem_words)))
        words = [r.problem_words for r in rows]
        if self.model is None:
            vectors = _hashed.transform(words)
            distributions = [None] * len(rows)
        else:
            # One call for both: the problem words for the words' cosine, the whole text
            # for the category distribution (the model was trained on whole texts).
            matrix = self.model.vectorize(words + [s.text for s in sides])
            vectors, distributions = matrix[: len(rows)], predict_proba(self.model.category_model, matrix[len(rows) :])
        norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
        for i, row in enumerate(rows):
            row.vector, row.norm, row.distribution = vectors[i], norms[i], distributions[i]
        return rows

    def scores_against(self, first: _Read, others: list) -> list[float]:
        """The score of ``first`` with each of ``others``: the words' cosines in one sparse
        product (the report page scores a few dozen candidates per request)."""
        if not others:
            return []
        stacked = sparse.vstack([o.vector for o in others]).tocsr()
        dots = np.asarray((stacked @ first.vector.T).todense()).ravel()
        return [
            _sigmoid(sum(self.evidence(first, other, words=_ratio(dot, first.norm * other.norm)).values()))
            for other, dot in zip(others, dots, strict=True)
        ]

    def score(self, a: _Read, b: _Read) -> float:
        return _sigmoid(sum(self.evidence(a, b).values()))

    def evidence(self, a: _Read, b: _Read, *, words=None) -> dict:
        """The log-odds each piece of evidence adds (a test and a curious developer read it)."""
        if words is None:
            words = _ratio(float(a.vector.multiply(b.vector).sum()), a.norm * b.norm)
        concept = _kinship(a.concepts, b.concepts) if a.concepts.any() and b.concepts.any() else None
        sure = 1.0
        if a.distribution is not None:
            predicted = _cosine_dense(a.distribution, b.distribution)
            # Either says "same kind": the model knows the installation's categories, the
            # lexicon's kinship knows that near categories (PJU, street lighting) meet.
            kind = predicted if concept is None else max(predicted, concept)
            if concept is None:
                # A model unsure of either text (writing it has not seen) says little.
                sure = min(1.0, min(a.distribution.max(), b.distribution.max()) / KIND_SURE)
        else:
            kind = concept if concept is not None else KIND_NEUTRAL
        evidence = {
            "kind": sure * min(KIND_MAX, KIND_WEIGHT * (kind - KIND_NEUTRAL)),
            "words": min(WORDS_MAX, max(WORDS_MIN, WORDS_WEIGHT * (words - WORDS_NEUTRAL))),
        }
        evidence.update(place_evidence(a.side, b.side, a.places, b.places))
        return evidence

    def pair(self, a, b) -> float:
        first, second = self.read([a, b])
        return self.score(first, second)


def place_evidence(a: Side, b: Side, places_a, places_b) -> dict:
    """Log-odds from the pins, the kelurahan and the places named. Against-evidence adds
    up; for-evidence does not: a close pin and the same street named say "same spot"
    twice, so only the stronger counts."""
    against, found = {}, {}
    if None not in (a.latitude, a.longitude, b.latitude, b.longitude):
        found["pin"] = _pin_logit(distance_m(a.latitude, a.longitude, b.latitude, b.longitude))
    elif a.region is not None and b.region is not None and a.region != b.region:
        # Two pins say more than two kelurahan: neighbours across a border are one place.
        against["kelurahan"] = -OTHER_KELURAHAN
    said = places.compare(places_a, places_b)
    if said:
        plus = min(MAX_TEXT_MATCH, sum(MATCH.get(kind, MATCH_LANDMARK) for kind in said.matched))
        minus = sum(CONFLICT.get(kind, CONFLICT_NAMED) for kind in said.conflicting)
        found["text_place"] = plus - minus
    positive = [k for k, v in found.items() if v > 0]
    strongest = max(positive, key=found.get) if positive else None
    return {**against, **{k: v for k, v in found.items() if v <= 0 or k == strongest}}


def _kinship(a, b):
    """Cosine of two concept vectors with the concepts' kinship as the inner product."""
    norm = math.sqrt(float(a @ _KINSHIP @ a) * float(b @ _KINSHIP @ b))
    return float(a @ _KINSHIP @ b) / norm if norm else 0.0


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


def _ratio(dot, norm):
    return float(dot / norm) if norm else 0.0


def _cosine_dense(a, b):
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    return float(np.dot(a, b) / norm) if norm else 0.0
