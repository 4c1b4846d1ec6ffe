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
import math
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.text import QUESTION_WORDS, STOPWORDS, stem

Analyzer = Callable[[str], list[str]]
CACHE_VERSION = "3"  # bumped whenever the features change (stop words included)
STALE_SECONDS = 3600
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


def cache_path(documents: Sequence[str], analyzer: Analyzer, cache: Path) -> Path:
    """Where the space fitted on these documents with this analyzer is kept."""
    key = hashlib.sha256("\x00".join([CACHE_VERSION, analyzer.__name__, *documents]).encode()).hexdigest()[:24]
    return cache / f"tfidf-{analyzer.__name__}-{key}.npz"


class TfidfSpace:
    """One fitted TF-IDF space: score a question against every document."""

    def __init__(self, documents: Sequence[str], analyzer: Analyzer, cache: Path | None = None) -> None:
        self.analyzer = analyzer
        self.n_documents = len(documents)
        path = cache_path(documents, analyzer, cache) if cache else None
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
            staged = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")  # workers may fit at once
            np.savez(staged, terms=np.array(terms, dtype=str), idf=self.idf, indptr=self._indptr,
                     rows=self._rows, data=self._data)
            staged.replace(path)
        except OSError as exc:  # a read-only or full disk only costs the next start its speed
            log.warning("index cache not written: %s", exc)
            return
        # Spaces of earlier knowledge are dropped once no process is likely still to load them.
        for old in path.parent.glob(f"tfidf-{self.analyzer.__name__}-*.npz"):
            try:
                if old != path and old.stat().st_mtime < time.time() - STALE_SECONDS:
                    old.unlink()
            except OSError:  # another process removed it first, or the folder is read-only
                continue

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


# A feature in more than RARE phrasings is kept as a dense row (float32) when
# all such rows fit in DENSE_BYTES; the rare ones keep their few postings as
# plain tuples. A question is then one small matrix product plus a handful of
# additions, where the posting gather costs several times more numpy calls.
RARE = 8
DENSE_BYTES = 16 * 2**20
# The most recent words' vectors kept (see FusedSpace), in bytes.
WORD_VECTORS_BYTES = 8 * 2**20


class Postings:
    """The documents' feature weights, scored against a sparse question."""

    def __init__(self, indptr: np.ndarray, rows: np.ndarray, data: np.ndarray, n_documents: int) -> None:
        self.indptr, self.rows, self.data = indptr, rows, data
        self.n_documents = n_documents
        lengths = np.diff(indptr)
        common = lengths > RARE
        self.n_common = int(common.sum())
        self.split = self.n_common * n_documents * 4 <= DENSE_BYTES
        if self.split:
            self._build_split(lengths, common)

    def _build_split(self, lengths: np.ndarray, common: np.ndarray) -> None:
        order = np.argsort(~common, kind="stable")  # common features first
        slot = np.empty(len(order), dtype=np.int64)
        slot[order] = np.arange(len(order))
        owner = np.repeat(slot, lengths)  # the slot of every posting
        dense = owner < self.n_common
        self.dense = np.zeros((self.n_common, self.n_documents), dtype=np.float32)
        self.dense[owner[dense], self.rows[dense]] = self.data[dense]
        self.slot: list[int] = slot.tolist()
        rows, data = self.rows.tolist(), self.data.tolist()
        self.sparse: list[tuple[tuple[int, float], ...]] = [
            tuple(zip(rows[self.indptr[f] : self.indptr[f + 1]], data[self.indptr[f] : self.indptr[f + 1]]))
            for f in order[self.n_common :].tolist()
        ]

    def dot(self, features: list[int], values: list[float]) -> np.ndarray:
        """Every document's dot product with the question's (features, values)."""
        if not self.split:
            return gather(self.indptr, self.rows, self.data, np.array(features, dtype=np.int64),
                          np.array(values), self.n_documents)
        slots, weights = [], []
        extra: dict[int, float] = {}
        for feature, value in zip(features, values):
            slot = self.slot[feature]
            if slot < self.n_common:
                slots.append(slot)
                weights.append(value)
                continue
            for row, weight in self.sparse[slot - self.n_common]:
                extra[row] = extra.get(row, 0.0) + value * weight
        scores = np.array(weights, dtype=np.float32) @ self.dense[slots]
        if not extra:
            return scores
        scores = scores.astype(np.float64)
        scores[list(extra)] += list(extra.values())
        return scores


class FusedSpace:
    """A word space and a character space scored as one weighted sum, in one pass.

    The two fitted matrices are laid side by side with their weights folded in,
    so a question costs one product instead of two. A word's character n-grams
    never change, so their feature numbers are kept per word; in a knowledge
    base small enough for dense rows, so is what they add to every document
    (a question's character part is then a sum of its words' vectors).
    """

    def __init__(self, words: TfidfSpace, chars: TfidfSpace, w_word: float, w_char: float) -> None:
        self.words, self.chars = words, chars
        self.n_documents = words.n_documents
        self._offset = len(words.idf)
        nnz = len(words._rows)
        self._indptr = np.concatenate([words._indptr, chars._indptr[1:] + nnz])
        self._rows = np.concatenate([words._rows, chars._rows])
        self._data = np.concatenate([w_word * words._data, w_char * chars._data])
        self.postings = Postings(self._indptr, self._rows, self._data, self.n_documents)
        self._word_idf: list[float] = words.idf.tolist()
        self._char_idf: list[float] = chars.idf.tolist()
        self._grams: dict[str, tuple[int, ...]] = {}
        self._char_vector = (lru_cache(maxsize=max(1, WORD_VECTORS_BYTES // (4 * self.n_documents)))(
            self._word_char_vector) if self.postings.split else None)

    def _word_grams(self, word: str) -> tuple[int, ...]:
        grams = self._grams.get(word)
        if grams is None:
            lookup = self.chars.vocabulary.get
            grams = tuple(i for i in map(lookup, self.chars.analyzer(word)) if i is not None)
            if len(self._grams) < 50_000:
                self._grams[word] = grams
        return grams

    def _word_char_vector(self, word: str) -> tuple[np.ndarray, float, tuple[int, ...]]:
        """What one occurrence of each of a word's n-grams adds to every document (before
        normalising), the sum of their squared weights, and the n-grams themselves."""
        grams = self._word_grams(word)
        counts = Counter(grams)
        weights = [n * self._char_idf[g] for g, n in counts.items()]
        vector = self.postings.dot([g + self._offset for g in counts], weights).astype(np.float32)
        return vector, sum(self._char_idf[g] ** 2 for g in grams), grams

    def scores(self, text: str) -> np.ndarray:
        """W_WORD * word cosine + W_CHAR * character cosine, for every document."""
        lookup = self.words.vocabulary.get
        features, values = _weighed(Counter(i for i in map(lookup, self.words.analyzer(text)) if i is not None),
                                    self._word_idf, 0)
        words = text.split()
        if self._char_vector is None:
            grams, weights = _weighed(Counter(g for word in words for g in self._word_grams(word)),
                                      self._char_idf, self._offset)
            return self.postings.dot(features + grams, values + weights)
        cached = [self._char_vector(word) for word in words]
        squares = sum(c[1] for c in cached)
        # The words' vectors count every n-gram once per occurrence; an n-gram
        # said n > 1 times weighs 1 + log(n) times its idf, not n times.
        repeats: list[tuple[int, float]] = []
        grams = [g for c in cached for g in c[2]]
        if len(set(grams)) < len(grams):
            for gram, n in Counter(grams).items():
                if n > 1:
                    idf = self._char_idf[gram]
                    repeats.append((gram + self._offset, (1.0 + math.log(n) - n) * idf))
                    squares += ((1.0 + math.log(n)) * idf) ** 2 - n * idf * idf
        if not squares:
            return self.postings.dot(features, values)
        norm = math.sqrt(squares)
        by_words = cached[0][0] if len(cached) == 1 else np.add.reduce([c[0] for c in cached])
        return (self.postings.dot(features + [f for f, _ in repeats], values + [v / norm for _, v in repeats])
                + by_words / norm)


def _weighed(counts: Counter[int], idf: list[float], offset: int) -> tuple[list[int], list[float]]:
    """Feature counts as l2-normalised tf-idf weights (sublinear tf, as fitted), features moved by offset."""
    weights = [(1.0 + math.log(n)) * idf[f] for f, n in counts.items()]
    norm = math.sqrt(sum(w * w for w in weights))
    return [f + offset for f in counts], [w / norm for w in weights]
