"""TF-IDF vectors fitted with scikit-learn and applied to one question fast.

scikit-learn's `transform` costs most of a millisecond for a single short
question (validation, sparse-matrix construction). The fitted vocabulary and
idf weights are all that is needed, so a question is turned into a handful of
(feature, weight) pairs in plain Python and scored against a column-major
copy of the matrix with one `numpy.bincount`.

A fitted space can be kept in a cache folder: a restart with unchanged
knowledge then loads the arrays and never imports scikit-learn, whose import
alone takes over a second.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bot.text import QUESTION_WORDS, STOPWORDS, stem

Analyzer = Callable[[str], list[str]]
CACHE_VERSION = "1"
log = logging.getLogger("faqbot.index")


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

    def __init__(self, documents: Sequence[str], analyzer: Analyzer, cache: Path | None = None) -> None:
        self.analyzer = analyzer
        self.n_documents = len(documents)
        key = hashlib.sha256("\x00".join([CACHE_VERSION, analyzer.__name__, *documents]).encode()).hexdigest()[:24]
        path = cache / f"tfidf-{key}.npz" if cache else None
        if path is not None and path.exists() and self._load(path):
            return
        self._fit(documents)
        if path is not None:
            self._save(path)

    def _fit(self, documents: Sequence[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer  # only when fitting

        vectorizer = TfidfVectorizer(analyzer=self.analyzer, sublinear_tf=True, norm="l2")
        matrix = vectorizer.fit_transform(documents).tocsc()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf: np.ndarray = vectorizer.idf_
        self._indptr, self._rows, self._data = matrix.indptr, matrix.indices, matrix.data

    def _save(self, path: Path) -> None:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            staged = path.with_suffix(".tmp.npz")
            np.savez(staged, terms=np.array(terms, dtype=str), idf=self.idf, indptr=self._indptr,
                     rows=self._rows, data=self._data)
            staged.replace(path)
        except OSError as exc:  # a read-only or full disk only costs the next start its speed
            log.warning("index cache not written: %s", exc)

    def _load(self, path: Path) -> bool:
        try:
            with np.load(path, allow_pickle=False) as saved:
                terms = saved["terms"].tolist()
                self.idf, self._indptr = saved["idf"], saved["indptr"]
                self._rows, self._data = saved["rows"], saved["data"]
        except (OSError, ValueError, KeyError) as exc:  # a damaged cache is refitted
            log.warning("index cache ignored: %s", exc)
            return False
        self.vocabulary = {term: i for i, term in enumerate(terms)}
        return True

    def weights(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The question's features and their l2-normalised tf-idf weights."""
        return self.weigh(Counter(i for i in map(self.vocabulary.get, self.analyzer(text)) if i is not None))

    def weigh(self, counts: Counter[int]) -> tuple[np.ndarray, np.ndarray]:
        """Feature counts as l2-normalised tf-idf weights (sublinear tf, as fitted)."""
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0)
        features = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[features]
        return features, values / np.sqrt(values @ values)

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity of the question with every document."""
        features, values = self.weights(text)
        return gather(self._indptr, self._rows, self._data, features, values, self.n_documents)


# In a large knowledge base a feature found in more than this share of the
# phrasings (a common character trigram) is left out of scoring: its low idf
# adds almost the same to every document, and its postings are most of the work.
LARGE = 20_000
COMMON_SHARE = 0.05


def gather(indptr: np.ndarray, rows: np.ndarray, data: np.ndarray, features: np.ndarray, values: np.ndarray,
           n_documents: int) -> np.ndarray:
    """Dot product of a sparse question with every column-major document, no Python loop."""
    if not len(features):
        return np.zeros(n_documents)
    starts = indptr[features]
    lengths = indptr[features + 1] - starts
    if n_documents > LARGE:
        rare = lengths <= COMMON_SHARE * n_documents
        starts, lengths, values = starts[rare], lengths[rare], values[rare]
    # One flat gather of every posting of the question's features.
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
    return np.bincount(rows[offsets], weights=data[offsets] * np.repeat(values, lengths), minlength=n_documents)


class FusedSpace:
    """A word space and a character space scored as one weighted sum, in one pass.

    The two fitted matrices are laid side by side with their weights folded in,
    so a question costs one gather instead of two. A word's character n-grams
    never change, so their feature numbers are kept per word.
    """

    def __init__(self, words: TfidfSpace, chars: TfidfSpace, w_word: float, w_char: float) -> None:
        self.words, self.chars = words, chars
        self.n_documents = words.n_documents
        self._offset = len(words.idf)
        nnz = len(words._rows)
        self._indptr = np.concatenate([words._indptr, chars._indptr[1:] + nnz])
        self._rows = np.concatenate([words._rows, chars._rows])
        self._data = np.concatenate([w_word * words._data, w_char * chars._data])
        self._grams: dict[str, tuple[int, ...]] = {}

    def _word_grams(self, word: str) -> tuple[int, ...]:
        grams = self._grams.get(word)
        if grams is None:
            lookup = self.chars.vocabulary.get
            grams = tuple(i for i in map(lookup, self.chars.analyzer(word)) if i is not None)
            if len(self._grams) < 50_000:
                self._grams[word] = grams
        return grams

    def scores(self, text: str) -> np.ndarray:
        """W_WORD * word cosine + W_CHAR * character cosine, for every document."""
        word_f, word_v = self.words.weights(text)
        counts: Counter[int] = Counter()
        for word in text.split():
            counts.update(self._word_grams(word))
        char_f, char_v = self.chars.weigh(counts)
        features = np.concatenate([word_f, char_f + self._offset])
        values = np.concatenate([word_v, char_v])
        return gather(self._indptr, self._rows, self._data, features, values, self.n_documents)
