"""TF-IDF vectors fitted with scikit-learn and applied to one question fast.

scikit-learn's `transform` costs most of a millisecond for a single short
question (validation, sparse-matrix construction). The fitted vocabulary and
idf weights are all that is needed, so a question is turned into a handful of
(feature, weight) pairs in plain Python and scored against a column-major
copy of the matrix with one `numpy.bincount`.
"""

from __future__ import annotations

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

    def weights(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The question's features and their l2-normalised tf-idf weights."""
        lookup = self.vocabulary.get
        counts = Counter(i for i in map(lookup, self.analyzer(text)) if i is not None)
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0)
        features = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[features]
        return features, values / np.sqrt(values @ values)

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity of the question with every document."""
        features, values = self.weights(text)
        if not len(features):
            return np.zeros(self.n_documents)
        starts = self._indptr[features]
        lengths = self._indptr[features + 1] - starts
        # One flat gather of every posting of the question's features, no Python loop.
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        return np.bincount(self._rows[offsets], weights=self._data[offsets] * np.repeat(values, lengths),
                           minlength=self.n_documents)
