"""The TF-IDF spaces: a question scored by hand gives what scikit-learn's own transform gives."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from bot import vectors
from bot.retrieval import W_CHAR, W_WORD
from bot.vectors import FusedSpace, TfidfSpace, char_features, word_features

QUESTIONS = [
    "is it safe", "how long until i see results", "will it work on tone or tone skin",
    "banana banana bandana", "zzzz qqqq", "a", "what is the recovery like for a tummy tuck then",
]


@pytest.fixture(scope="module")
def rows(shipped_bot):
    return shipped_bot.dialogue.index.rows


def reference(rows, question):
    """W_WORD * word cosine + W_CHAR * character cosine, through scikit-learn's transform."""
    total = np.zeros(len(rows))
    for analyzer, weight in ((word_features, W_WORD), (char_features, W_CHAR)):
        vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, norm="l2")
        matrix = vectorizer.fit_transform(rows)
        total += weight * (matrix @ vectorizer.transform([question]).T).toarray().ravel()
    return total


def fused(rows):
    return FusedSpace(TfidfSpace(rows, word_features), TfidfSpace(rows, char_features), W_WORD, W_CHAR)


@pytest.mark.parametrize("question", QUESTIONS)
def test_scores_match_scikit_learn(rows, question):
    space = fused(rows)
    assert space.postings.split  # the shipped knowledge is small enough for dense rows
    np.testing.assert_allclose(space.scores(question), reference(rows, question), atol=1e-5)
    np.testing.assert_allclose(space.scores(question), reference(rows, question), atol=1e-5)  # cached words


@pytest.mark.parametrize("question", QUESTIONS)
def test_sparse_postings_score_the_same(rows, question, monkeypatch):
    monkeypatch.setattr(vectors, "DENSE_BYTES", 0)
    space = fused(rows)
    assert not space.postings.split
    np.testing.assert_allclose(space.scores(question), reference(rows, question), atol=1e-9)


def test_large_knowledge_scoring_leaves_out_only_common_features(shipped_bot, monkeypatch):
    """In a large knowledge base the most common features are skipped; the best entry stays the best."""
    rows = shipped_bot.dialogue.index.rows
    questions = ["what are the side effects", "can men have it", "does it help cellulite", "any downtime"]
    monkeypatch.setattr(vectors, "DENSE_BYTES", 0)
    monkeypatch.setattr(vectors, "LARGE", 0)
    space = fused(rows)
    lengths = np.diff(space.postings.indptr)
    assert (lengths > vectors.COMMON_SHARE * len(rows)).any()  # something is left out
    for question in questions:
        full = reference(rows, question)
        assert not np.allclose(space.scores(question), full)
        assert space.scores(question).argmax() == full.argmax()
