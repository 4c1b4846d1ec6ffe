"""TF-IDF vectors fitted with scikit-learn and applied to one question fast.

scikit-learn's `transform` costs most of a millisecond for a single short
question (validation, sparse-matrix construction). The fitted vocabulary and
idf weights are all that is needed, so a question is turned into a handful of
(feature, weight) pairs in plain Python and scored against a column-major
copy of the matrix with one `numpy.bincount`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.text import QUESTION_WORDS, STOPWORDS, stem

Analyzer = Callable[[str], list[str]]


def word_features(text: str) -> list[str]:
    """Stemmed content words (the topic) and all word pairs (the kind of question)."""
    words = [stem(w) for w in text.split()]
    topic = [w for w, raw in zip(words, text.split()) if raw not in STOPWORDS or raw in QUESTION_WORDS]
    return topic + [f"{a} {b}" for a, b in zip(words, words[1:])]


def char_features(text: str) -> list[str]:
    """Character 3- to 5-grams inside padded words: robust to typos."""
    grams = []
    for word in text.split():
        padded = f" {word} "
        for n in (3, 4, 5):
            grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams


class TfidfSpace:
    """One fitted TF-IDF space: score a question against every document."""

    def __init__(self, documents: Sequence[str], analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, norm="l2")
        matrix = vectorizer.fit_transform(documents).tocsc()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf: np.ndarray = vectorizer.idf_
        self.n_documents = len(documents)
        self._indptr = matrix.indptr
        self._rows = matrix.indices
        self._data = matrix.data

    def weights(self, text: str) -> dict[int, float]:
        """The question's l2-normalised tf-idf weights by feature index."""
        counts = Counter(f for f in self.analyzer(text) if f in self.vocabulary)
        weights = {}
        for feature, count in counts.items():
            index = self.vocabulary[feature]
            weights[index] = (1.0 + math.log(count)) * float(self.idf[index])
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {i: w / norm for i, w in weights.items()}

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity of the question with every document."""
        weights = self.weights(text)
        if not weights:
            return np.zeros(self.n_documents)
        starts = self._indptr
        rows = np.concatenate([self._rows[starts[i] : starts[i + 1]] for i in weights])
        values = np.concatenate([self._data[starts[i] : starts[i + 1]] * w for i, w in weights.items()])
        return np.bincount(rows, weights=values, minlength=self.n_documents)
