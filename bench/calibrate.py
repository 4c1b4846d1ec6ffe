"""Choose the fusion weights and fit the confidence calibration on the tuning set.

Usage: python bench/calibrate.py [tests/data/tune.csv]

For each weighting of the three similarities, every tuning question that
reaches retrieval is ranked; a logistic regression learns P(top entry is
right) from the top candidate's features. The weighting with the best
accuracy after the decision threshold wins; its coefficients are printed for
bot/dialogue.py. The held-aside set is never read here.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import retrieval  # noqa: E402
from bot.dialogue import Dialogue  # noqa: E402
from bot.evaluation import load_set  # noqa: E402
from bot.intents import strip_preamble  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.text import normalize  # noqa: E402
from bot.triage import Safety  # noqa: E402

# A confident wrong answer to an out-of-scope question costs more than a missed
# answer (medical content), so out-of-scope questions weigh more in the fit.
OOS_WEIGHT = float(os.environ.get("OOS_WEIGHT", "3.0"))


def features(index: retrieval.Index, question: str) -> tuple[list[float], list]:
    query = index.query(strip_preamble(normalize(question)))
    ranked = index.rank(query, limit=6)
    return Dialogue.features(query, ranked), [c.entry for c in ranked]


def correct(expected: str, entries: list) -> bool:
    if not entries:
        return False
    accepted = expected.split("|")
    return entries[0].id in accepted or ("handoff" in accepted and entries[0].type == "handoff")


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "tests/data/tune.csv"
    knowledge = load_knowledge("knowledge")
    safety = Safety(knowledge.safety, knowledge.clinic.treatment)
    cases = [run[0] for run in load_set(path).runs
             if run[0].expected not in ("smalltalk", "safety") and safety.assess(run[0].question) is None]
    best = None
    for w_word, w_char in itertools.product((0.2, 0.3, 0.4, 0.5), (0.2, 0.3, 0.4)):
        w_fuzz = round(1.0 - w_word - w_char, 2)
        if w_fuzz < 0:
            continue
        retrieval.W_WORD, retrieval.W_CHAR, retrieval.W_FUZZ = w_word, w_char, w_fuzz
        index = retrieval.Index(knowledge)
        rows = [features(index, c.question) for c in cases]
        x = np.array([r[0] for r in rows])
        y = np.array([correct(c.expected, r[1]) for c, r in zip(cases, rows)])
        should_answer = np.array([not {"fallback", "oos"} & set(c.expected.split("|")) for c in cases])
        model = LogisticRegression(C=10.0).fit(x, y, sample_weight=np.where(should_answer, 1.0, OOS_WEIGHT))
        p = model.predict_proba(x)[:, 1]
        right = np.where(p >= 0.5, y, ~should_answer)
        accuracy = right.mean()
        top1 = y[should_answer].mean()
        print(f"word {w_word:.2f} char {w_char:.2f} fuzz {w_fuzz:.2f}: top-1 {top1:.3f}  decided {accuracy:.3f}")
        if best is None or accuracy > best[0]:
            best = (accuracy, (w_word, w_char, w_fuzz), model, p, y)
    accuracy, weights, model, p, y = best
    print(f"\nbest weights word/char/fuzz = {weights}, decided accuracy {accuracy:.3f}")
    print(f"COEF_BIAS = {model.intercept_[0]:.2f}")
    print("COEFFICIENTS = (" + ", ".join(f"{c:.2f}" for c in model.coef_[0]) + ")")
    print("reliability on the tuning set (band: right/answered):")
    for low, high in ((0.5, 0.8), (0.8, 0.9), (0.9, 0.97), (0.97, 1.01)):
        band = (p >= low) & (p < high)
        print(f"  {low:.2f}-{min(high, 1.0):.2f}: {int(y[band].sum())}/{int(band.sum())}")


if __name__ == "__main__":
    main()
