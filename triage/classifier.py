"""The category and agency classifier: TF-IDF over words (1–2 grams) and characters
(2–5 grams inside words, robust to typos and slang) feeding two logistic regressions.

Labels are free strings: in the database they are category and agency primary keys, in
the evaluation command whatever the labeled file says. The agency's probability blends
the agency classifier with the agencies that handled each likely category in training
(``P(agency) = w·P_clf(agency) + (1 − w)·Σ_c P(c)·P(agency | c)``, w =
``AGENCY_DIRECT_WEIGHT``), so a category learned well
carries its agency even where agency labels are sparse. Where the likeliest category went
to one agency in (nearly) all of its training examples (``DETERMINED_SHARE``), that agency
leads the agency suggestion: the direct classifier may reorder the others, never overturn
a category that decides its agency.
"""

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from triage import keywords
from triage.features import CONCEPT_WEIGHT, feature_text, transform, union

# 7: the concept tags read keywords.CONCEPT_KEYWORDS (the demo's 31 entries and the
# regional government's affairs of triage/domains.py), so there are more tags.
# 8: a landmark named as where the problem is loses its kind word (LOCATIVE_LANDMARKS).
# 9: a landmark named as a destination, a group of people or an area loses its kind word
# too (features.MENTIONS); a short keyword matches a whole word (keywords.SHORT_KEYWORD);
# new lexicon lines.
# 10: hashtags read as their words (normalize.hashtag_words).
# 11: ``kind_model``, the category regression at DEFAULT_C for the duplicate score.
# 12: "smp" read as "sampai" outside a school's name; a "-nya" on a lexicon word; new
# lexicon lines and keywords.
# 13: "dipun" read as "di" again (a lost phrase had made it "dandosi diperbaiki"); words
# and keywords of a Tulungagung writer (validasi8).
# 14: an English sentence's unknown words kept as they are (normalize._english); "meter"
# the unit, not the water meter; "TPI" in capitals the fish auction.
# 15: English plurals of the lexicon's English words; English words of services, money,
# crime, the sea and the farm.
# 16: "sound system" and "speaker" keywords of public order.
FORMAT_VERSION = 16
# Measured on the development split: the category route alone is as good, the direct
# classifier helps where one category is handled by several agencies.
AGENCY_DIRECT_WEIGHT = 0.25
# A category "decides" its agency when this share of its training examples went to one.
DETERMINED_SHARE = 0.8


# The nearest-centroid reading blended into the category probabilities:
# ``(1 − w)·P_logistic + w·softmax(cos(text, class centroid) / CENTROID_TEMPERATURE)``.
# With a handful of examples per category the centroid (the class's mean vector,
# concepts included) generalises better than the regression; with many the regression
# alone is better: w is CENTROID_WEIGHT up to CENTROID_FULL_UNTIL examples in the median
# category, shrinking linearly to 0 at CENTROID_NONE_FROM (``centroid_weight_for``).
# Issue 18, fifth session: w = 0.3 took the issue protocol on validasi + validasi2 (3–4
# examples per category) from 0.900 to 0.923 top-1 and the 3-fold CV of all.jsonl (10
# per category) from 0.930 to 0.926; chosen per installation by cross-validation among
# 0 and 0.3 (``choose_c``'s ``centroid_weights``) it scored 0.903 / 0.928: with three
# examples per category the cross-validation cannot tell, the count can.
CENTROID_WEIGHT = 0.3
CENTROID_FULL_UNTIL = 5
CENTROID_NONE_FROM = 10
CENTROID_TEMPERATURE = 0.05

# A category's keyword rule (its name's terms, the administrator's keywords, the lexicon
# entry its name resembles: keywords.rules_for_categories / rules_for_labels) as prior
# knowledge in training: its keywords joined become one pseudo-document of that category
# ("rule document"), weighted RULE_WEIGHT against a real example (sample_weight). Only for
# categories the examples have (a category never decided has no agency history).
# Issue 18, seventh session (triage/README.md): the issue protocol with the labels' own
# names on validasi3 (another writer's 22-category tree) top-1 / top-3 0.702 / 0.879
# without → 0.722 / 0.879 with weight 1, 0.720 / 0.891 with 2, 0.725 / 0.891 with 4.
RULE_WEIGHT = 2.0
# "joined": one document of all the keywords; "each": one per keyword, each weighted
# RULE_WEIGHT / number of keywords.
RULE_DOCS = "joined"
# Whether the rule documents count in the category centroids (as one example each).
RULE_IN_CENTROIDS = False

# Texts of reports nobody has decided a category for yet (``train``'s ``unlabeled``; no
# caller gives them: measured, not adopted, triage/README.md "Eighth session").
# POOL_VOCABULARY: the TF-IDF vocabulary and IDF are fitted on them too.
# SELF_TRAINING_WEIGHT > 0: each one the first fit reads with a top probability of at
# least SELF_TRAINING_CONFIDENCE joins that category's examples, weighted
# SELF_TRAINING_WEIGHT, and the category model is fitted again. Both off: issue 18's
# protocol with an honest pool (bench/triage_protocol.py --pool) moved validasi3 and
# validasi4 by less than 0.01.
POOL_VOCABULARY = False
SELF_TRAINING_WEIGHT = 0.0
SELF_TRAINING_CONFIDENCE = 0.5


def centroid_weight_for(labels) -> float:
    """The centroid blend's weight for training examples labeled ``labels``."""
    counts = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    if not counts:
        return 0.0
    median = float(np.median(list(counts.values())))
    share = (CENTROID_NONE_FROM - median) / (CENTROID_NONE_FROM - CENTROID_FULL_UNTIL)
    return CENTROID_WEIGHT * min(1.0, max(0.0, share))


class _Constant:
    """Stands in for a classifier when training saw a single label."""

    def __init__(self, label):
        self.classes_ = np.array([label])

    def predict_proba(self, rows):
        return np.ones((rows.shape[0], 1))


@dataclass
class Example:
    text: str
    category: str
    agency: str = ""


@dataclass
class TriageModel:
    categories: list
    agencies: list
    # One vectorizer for both classifiers (and for the duplicate finder's text cosine).
    features: object
    category_model: object
    agency_model: object
    # P(agency | category) learned from the training examples: rows follow ``categories``.
    category_agency: np.ndarray
    n_examples: int
    # Concept tags: each entry of the built-in lexicon (keywords.CONCEPT_KEYWORDS) that
    # matches adds one token ("kwtag7") to the text before vectorizing, so synonyms never
    # seen in training still point the same way. Kept in the model: a later lexicon edit
    # applies from the next training.
    concepts: tuple = ()
    # The C cross-validation chose and every candidate's score (classifier.choose_c).
    choice: object = None
    # Unit-length mean vector per category (rows follow ``category_model.classes_``,
    # sparse) and its weight in the blend (``CENTROID_WEIGHTS``); None / 0: the
    # regression alone.
    centroids: object = None
    centroid_weight: float = 0.0
    # Where the installation's reports named their places (triage/gazetteer.py), learned
    # with the model (actions.train_model) for the duplicate score; None: not learned.
    gazetteer: object = None
    # The category regression at DEFAULT_C when cross-validation chose another C (None:
    # ``category_model`` is at DEFAULT_C). The duplicate score reads the kind of problem
    # from it (``kind_matrix``), so its weights meet distributions as sharp whatever C
    # the installation's examples happened to choose.
    kind_model: object = None
    trained_at: float = field(default_factory=time.time)
    format_version: int = FORMAT_VERSION

    def suggest(self, text, rules=None, keyword_weight=0.0, keyword_gate=1.0, *, categories=None, agencies=None):
        """(category probabilities, agency probabilities) for ``text``, the categories
        blended with keyword-rule scores (``rules``: {label: [keywords]}) when any match
        and the model's top probability is below ``keyword_gate`` (``blend``).

        ``categories`` / ``agencies`` (sets of labels, or None for all): the labels the
        text may get, as for a report of one government of an installation that holds
        several: the model's probabilities are read among those alone (``within``), before
        the blend and the gate, so its top three are the government's top three."""
        row = self.vectorize([text])
        probabilities = self._category_probabilities(row)
        if categories is not None:
            probabilities = within(probabilities, categories)
            rules = {label: words for label, words in (rules or {}).items() if label in categories}
        blended = blend(probabilities, rules, text, keyword_weight, keyword_gate)
        by_agency = self._agency_probabilities(row, blended)
        return blended, within(by_agency, agencies) if agencies is not None else by_agency

    def vectorize(self, texts):
        """The TF-IDF rows of ``texts``: the same numbers as ``features.transform``, built
        directly from the fitted vocabularies (sklearn's per-call overhead is most of the
        time for a single short text)."""
        return transform(self.features, [feature_text(t, self.concepts) for t in texts])

    @property
    def text_columns(self) -> int:
        """How many leading columns of ``vectorize``'s rows are the words' and characters'
        blocks (the concept block comes last): the duplicate score compares those only,
        its kind-of-problem feature reads the concepts on its own."""
        return sum(
            len(vectorizer.vocabulary_) for name, vectorizer in self.features.transformer_list if name != "concepts"
        )

    def category_probabilities(self, text):
        return self._category_probabilities(self.vectorize([text]))

    def _category_probabilities(self, row):
        return dict(zip(self.category_model.classes_, self.category_matrix(row)[0], strict=True))

    def category_matrix(self, rows):
        """The category probabilities of ``vectorize``'s ``rows`` (one row each, columns
        following ``category_model.classes_``): the regression, with the nearest-centroid
        reading blended in by ``centroid_weight``."""
        return self._blended(self.category_model, rows)

    def kind_matrix(self, rows):
        """``category_matrix`` with the regression at DEFAULT_C (``kind_model``), whatever
        C cross-validation chose: the duplicate score's kind of problem. The regression's
        sharpness follows C, and the score's "sure" (the top probability) with it: forced
        to C 2 / 5 / 20 / 50, validasi4_dup's F1 at the default threshold was 0.813 /
        0.820 / 0.850 / 0.857 (triage/README.md, "Tenth session, kind of problem")."""
        return self._blended(self.kind_model or self.category_model, rows)

    def _blended(self, regression, rows):
        probabilities = predict_proba(regression, rows)
        if getattr(self, "centroid_weight", 0.0) and self.centroids is not None:
            nearest = centroid_proba(self.centroids, rows)
            probabilities = (1 - self.centroid_weight) * probabilities + self.centroid_weight * nearest
        return probabilities

    def _agency_probabilities(self, row, category_probabilities):
        if not self.agencies:
            return {}
        by_category = np.array([category_probabilities.get(c, 0.0) for c in self.categories]) @ self.category_agency
        direct = np.zeros(len(self.agencies))
        if self.agency_model is not None:
            index = {a: i for i, a in enumerate(self.agencies)}
            for label, p in zip(self.agency_model.classes_, predict_proba(self.agency_model, row)[0], strict=True):
                direct[index[label]] = p
            blended = AGENCY_DIRECT_WEIGHT * direct + (1 - AGENCY_DIRECT_WEIGHT) * by_category
        else:
            blended = by_category
        agencies = dict(zip(self.agencies, blended, strict=True))
        decided = self.decided_agency(max(category_probabilities, key=category_probabilities.get, default=None))
        return lead_with(agencies, decided) if decided is not None else agencies

    def decided_agency(self, category):
        """The agency ``category`` went to in at least DETERMINED_SHARE of its training
        examples, or None (an unknown category, or one shared by several agencies)."""
        if category not in self._category_rows:
            return None
        shares = self.category_agency[self._category_rows[category]]
        best = int(np.argmax(shares)) if len(shares) else -1
        return self.agencies[best] if best >= 0 and shares[best] >= DETERMINED_SHARE else None

    @property
    def _category_rows(self):
        rows = self.__dict__.get("_rows")
        if rows is None:
            rows = self.__dict__["_rows"] = {c: i for i, c in enumerate(self.categories)}
        return rows


def within(probabilities: dict, labels) -> dict:
    """``probabilities`` of ``labels`` only, scaled to sum to 1 (as a model that knew only
    those labels would say; all zeros stay zeros)."""
    kept = {label: p for label, p in probabilities.items() if label in labels}
    total = sum(kept.values())
    return {label: p / total for label, p in kept.items()} if total > 0 else kept


def lead_with(probabilities: dict, label) -> dict:
    """``probabilities`` with ``label`` ranked first: it trades its probability with the
    label that had the largest (the values still sum to what they summed to)."""
    if label not in probabilities:
        probabilities = {**probabilities, label: 0.0}
    highest = max(probabilities, key=probabilities.get)
    if highest == label:
        return probabilities
    swapped = dict(probabilities)
    swapped[label], swapped[highest] = probabilities[highest], probabilities[label]
    return swapped


def predict_proba(classifier, rows):
    """LogisticRegression.predict_proba without its input checks (same numbers)."""
    if isinstance(classifier, _Constant):
        return classifier.predict_proba(rows)
    scores = np.asarray(rows @ classifier.coef_.T) + classifier.intercept_
    if scores.shape[1] == 1:  # two classes: one logistic
        positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
        return np.column_stack([1 - positive, positive])
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    return scores / scores.sum(axis=1, keepdims=True)


def centroids_of(rows, labels, classes):
    """Unit-length mean row of each of ``classes`` (sparse, one row per class)."""
    labels = np.asarray(labels, dtype=object)
    means = sparse.vstack([sparse.csr_matrix(rows[labels == c].mean(axis=0)) for c in classes]).tocsr()
    norms = np.sqrt(np.asarray(means.multiply(means).sum(axis=1))).ravel()
    return sparse.diags(1 / np.where(norms > 0, norms, 1)) @ means


def centroid_proba(centroids, rows):
    """softmax(cos(row, centroid) / CENTROID_TEMPERATURE) over the classes."""
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1))).ravel()
    cosines = np.asarray((rows @ centroids.T).todense()) / np.where(norms > 0, norms, 1)[:, None]
    scores = cosines / CENTROID_TEMPERATURE
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    return scores / scores.sum(axis=1, keepdims=True)


# The regularisation strengths cross-validation chooses among (``choose_c``), weakest
# regularisation last. Ties go to DEFAULT_C, then to the smaller C (the simpler model).
# DEFAULT_C first (ninth session): with a few hundred examples ties are common (validasi3:
# C 2 and 20 both 0.813), and one changed training text tipped the choice from 20 to 2,
# which softened the category distributions the duplicate score reads (its weights were
# fitted with models at 20): validasi3_dup F1 0.747 → 0.693, back to 0.747 with the
# default first; top-1 of the issue protocol, named, validasi3 0.846 → 0.838, validasi4
# 0.756 either way; renamed 0.768 / 0.686 → 0.768 / 0.689. Breaking ties by the folds'
# likelihood instead chose 50 or 20 with the same top-1s (0.836 / 0.838).
C_CANDIDATES = (2.0, 5.0, 20.0, 50.0)
DEFAULT_C = 20.0
CV_FOLDS = 3
# Cross-validation reads at most this many examples (a stratified sample), so a city with
# years of history still trains in minutes; the final model reads them all.
CV_MAX_EXAMPLES = 3000


def _fit(rows, labels, c=DEFAULT_C, weights=None):
    if len(set(labels)) == 1:
        return _Constant(labels[0])
    # One BLAS thread: the solver's dense steps are small (examples × classes), and
    # OpenBLAS's threads spinning against other work on a busy server made training
    # several times slower (bench/triage.py, "train_triage on the demo database").
    # A fresh installation has few examples of many classes (the agency model: a dozen
    # agencies, a few disposed reports each); sklearn then warns that the labels "could
    # represent a regression problem", which they do not.
    with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The number of unique classes is greater than 50%")
        return LogisticRegression(C=c, max_iter=3000).fit(rows, labels, sample_weight=weights)


def rule_documents(rules, labels, concepts):
    """(texts through ``feature_text``, labels, weights) of the rule documents of the
    ``labels`` that ``rules`` ({label: keywords}) has keywords for (``RULE_DOCS``)."""
    texts, doc_labels, weights = [], [], []
    if not rules or not RULE_WEIGHT:
        return texts, doc_labels, weights
    for label in sorted(set(labels), key=str):
        words = [w for w in rules.get(label, ()) if w]
        if not words:
            continue
        documents = [", ".join(words)] if RULE_DOCS == "joined" else words
        for document in documents:
            texts.append(feature_text(document, concepts))
            doc_labels.append(label)
            weights.append(RULE_WEIGHT / len(documents))
    return texts, doc_labels, weights


@dataclass
class Choice:
    c: float
    # candidate C → mean top-1 accuracy over the folds at the chosen centroid weight
    # ({} when there was too little data)
    scores: dict
    centroid_weight: float = 0.0
    # candidate centroid weight → mean top-1 accuracy at the chosen C
    centroid_scores: dict = field(default_factory=dict)


def choose_c(
    texts,
    labels,
    candidates=C_CANDIDATES,
    *,
    folds=CV_FOLDS,
    seed=0,
    n_concepts=0,
    centroid_weights=(0.0,),
    extra=((), (), ()),
    concept_weight=None,
) -> Choice:
    """The C of the category classifier (and the centroid blend's weight among
    ``centroid_weights``) with the best mean top-1 accuracy in a stratified
    ``folds``-fold cross-validation of the installation's own examples (``texts`` already
    through ``feature_text``). The vectorizer is fitted inside each fold, so the held-out
    fold's words count as unseen. Categories with fewer than ``folds`` examples sit the
    cross-validation out (a new category must not stop the choice); with fewer than two
    categories left, or a single candidate, the default C (and the first weight). Ties go
    to the smaller weight, then to DEFAULT_C, then to the smaller C. ``extra`` (texts, labels, weights):
    rule documents, in every fold's fit, never held out."""
    from sklearn.model_selection import StratifiedKFold

    extra_texts, extra_labels, extra_weights = (list(part) for part in extra)

    counts = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    enough = {label for label, count in counts.items() if count >= folds}
    if (len(candidates) == 1 and len(centroid_weights) == 1) or len(enough) < 2:
        return Choice(candidates[0] if len(candidates) == 1 else DEFAULT_C, {}, centroid_weights[0])
    kept = [i for i, label in enumerate(labels) if label in enough]
    texts = np.asarray(texts, dtype=object)[kept]
    labels = np.asarray(labels, dtype=object)[kept]
    if len(texts) > CV_MAX_EXAMPLES:
        from sklearn.model_selection import train_test_split

        keep, _rest = train_test_split(
            np.arange(len(texts)), train_size=CV_MAX_EXAMPLES, stratify=labels, random_state=seed
        )
        texts, labels = texts[keep], labels[keep]
    hits = {(c, w): 0 for c in candidates for w in centroid_weights}
    for fit_index, held_index in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, labels):
        fit_labels = list(labels[fit_index])
        kept_extra = [i for i, label in enumerate(extra_labels) if label in set(fit_labels)]
        features = union(n_concepts, concept_weight)
        rows = features.fit_transform(list(texts[fit_index]) + [extra_texts[i] for i in kept_extra])
        held = features.transform(texts[held_index])
        classes = sorted(set(fit_labels))
        n_fit = len(fit_index)
        centroid_rows, centroid_labels = (
            (rows, fit_labels + [extra_labels[i] for i in kept_extra])
            if RULE_IN_CENTROIDS
            else (rows[:n_fit], fit_labels)
        )
        nearest = (
            centroid_proba(centroids_of(centroid_rows, centroid_labels, classes), held)
            if any(centroid_weights)
            else None
        )
        weights = [1.0] * n_fit + [extra_weights[i] for i in kept_extra] if kept_extra else None
        for c in candidates:
            classifier = _fit(rows, fit_labels + [extra_labels[i] for i in kept_extra], c, weights)
            regression = classifier.predict_proba(held)
            for w in centroid_weights:
                blended = (1 - w) * regression + w * nearest if w else regression
                predicted = np.asarray(classes, dtype=object)[np.argmax(blended, axis=1)]
                hits[c, w] += int(np.sum(predicted == labels[held_index]))
    scores = {key: count / len(texts) for key, count in hits.items()}
    best_c, best_w = max(scores, key=lambda key: (scores[key], -key[1], key[0] == DEFAULT_C, -key[0]))
    return Choice(
        best_c,
        {c: scores[c, best_w] for c in candidates},
        best_w,
        {w: scores[best_c, w] for w in centroid_weights},
    )


def train(examples, *, candidates=C_CANDIDATES, centroid_weight=None, rules=None, unlabeled=()) -> TriageModel:
    """A model from ``examples`` (Example rows); raises ValueError without any. The
    category classifier's C is chosen by cross-validation among ``candidates``
    (``choose_c``, with the centroid blend in place), the blend's weight by the examples
    per category (``centroid_weight_for``) unless ``centroid_weight`` says; the agency
    classifier uses the same C. ``rules`` ({label: keywords}, the ones the suggestions
    blend): each category's rule joins its examples as a rule document
    (``rule_documents``). ``unlabeled``: texts of undecided reports, read only when
    ``POOL_VOCABULARY`` or ``SELF_TRAINING_WEIGHT`` says (both off)."""
    examples = [e for e in examples if e.text.strip() and e.category]
    if not examples:
        raise ValueError("no labeled examples")
    concepts = tuple(keywords.parse(words) for words in keywords.CONCEPT_KEYWORDS.values())
    texts = [feature_text(e.text, concepts) for e in examples]
    labels = [e.category for e in examples]
    if centroid_weight is None:
        centroid_weight = centroid_weight_for(labels)
    extra = rule_documents(rules, labels, concepts)
    concept_weight = CONCEPT_WEIGHT
    choice = choose_c(
        texts,
        labels,
        candidates,
        n_concepts=len(concepts),
        centroid_weights=(centroid_weight,),
        extra=extra,
        concept_weight=concept_weight,
    )
    features = union(len(concepts), concept_weight)
    pool = []
    if POOL_VOCABULARY or SELF_TRAINING_WEIGHT:
        pool = [feature_text(text, concepts) for text in unlabeled if text and text.strip()]
    if POOL_VOCABULARY and pool:
        every = features.fit(texts + extra[0] + pool).transform(texts + extra[0])
    else:
        every = features.fit_transform(texts + extra[0])
    rows = every[: len(texts)]
    weights = [1.0] * len(texts) + list(extra[2]) if extra[0] else None
    category_model = _fit(every, labels + list(extra[1]), choice.c, weights)
    categories = list(category_model.classes_)
    centroids = (
        (
            centroids_of(every, labels + list(extra[1]), categories)
            if RULE_IN_CENTROIDS
            else centroids_of(rows, labels, categories)
        )
        if choice.centroid_weight
        else None
    )
    if SELF_TRAINING_WEIGHT and pool:
        category_model = _self_trained(
            category_model, every, labels + list(extra[1]), weights, features.transform(pool), centroids, choice
        )
    # One fit more only when cross-validation left the default (the duplicate score's
    # kind of problem, ``TriageModel.kind_matrix``).
    kind_model = _fit(every, labels + list(extra[1]), DEFAULT_C, weights) if choice.c != DEFAULT_C else None
    with_agency = [i for i, e in enumerate(examples) if e.agency]
    agencies = sorted({examples[i].agency for i in with_agency})
    matrix = np.zeros((len(categories), len(agencies)))
    agency_model = None
    if agencies:
        row, col = {c: i for i, c in enumerate(categories)}, {a: i for i, a in enumerate(agencies)}
        for i in with_agency:
            matrix[row[examples[i].category], col[examples[i].agency]] += 1
        totals = matrix.sum(axis=1, keepdims=True)
        matrix = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
        agency_model = _fit(rows[with_agency], [examples[i].agency for i in with_agency], choice.c)
    return TriageModel(
        categories=categories,
        agencies=agencies,
        features=features,
        category_model=category_model,
        agency_model=agency_model,
        category_agency=matrix,
        n_examples=len(examples),
        concepts=concepts,
        choice=choice,
        centroids=centroids,
        centroid_weight=choice.centroid_weight,
        kind_model=kind_model,
    )


def _self_trained(category_model, every, labels, weights, pool_rows, centroids, choice):
    """The category model fitted again with the ``pool_rows`` it reads with a top
    probability of at least SELF_TRAINING_CONFIDENCE (centroid blend included) as
    examples of that category, weighted SELF_TRAINING_WEIGHT."""
    probabilities = predict_proba(category_model, pool_rows)
    if choice.centroid_weight and centroids is not None:
        nearest = centroid_proba(centroids, pool_rows)
        probabilities = (1 - choice.centroid_weight) * probabilities + choice.centroid_weight * nearest
    best = np.argmax(probabilities, axis=1)
    confident = np.flatnonzero(probabilities[np.arange(len(best)), best] >= SELF_TRAINING_CONFIDENCE)
    if not len(confident):
        return category_model
    classes = category_model.classes_
    return _fit(
        sparse.vstack([every, pool_rows[confident]]).tocsr(),
        list(labels) + [classes[best[i]] for i in confident],
        choice.c,
        list(weights or [1.0] * every.shape[0]) + [SELF_TRAINING_WEIGHT] * len(confident),
    )


# Where the model is sure (top probability at least the gate), the keyword rules still blend
# at this share of their weight: enough to bring the category the rules name into the three
# shown, seldom past the model's first (eleventh session: top-3 +0.003 to +0.012 on five
# choosing sets and on the held-out `unseen` / `ketiga`, +0.005 / +0.007, top-1 unchanged).
SURE_KEYWORD_SHARE = 0.25


def blend(probabilities, rules, text, weight, gate=1.0):
    """``(1 − weight)·model + weight·keywords``, the model alone when no keyword matches,
    and the weight cut to ``SURE_KEYWORD_SHARE`` of itself when the model is sure enough:
    its top probability at least ``gate`` (the full blend is a fallback for texts the model
    reads poorly; 1.0 blends always, and an empty ``probabilities`` — the cold start — is
    never sure)."""
    if not rules or weight <= 0:
        return probabilities
    if probabilities and gate < 1.0 and max(probabilities.values()) >= gate:
        if not SURE_KEYWORD_SHARE:
            return probabilities
        weight *= SURE_KEYWORD_SHARE
    scores = keywords.scores(text, rules)
    if not scores:
        return probabilities
    labels = set(probabilities) | set(scores)
    return {label: (1 - weight) * probabilities.get(label, 0.0) + weight * scores.get(label, 0.0) for label in labels}


def top(probabilities: dict, k=3):
    """The ``k`` most likely labels as (label, probability), most likely first."""
    return sorted(probabilities.items(), key=lambda item: (-item[1], str(item[0])))[:k]
