"""The confidence calibration: how a reply's features become P(the answer is right).

`bench/calibrate.py` fits it on labelled questions about two clinics and writes
bot/data/calibration.json; the bot only reads that file. A test refits and
compares, so the numbers cannot drift away from the code that computes the
features.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "calibration.json"
# Answering a question that should be refused costs this many missed answers.
REFUSE_WEIGHT = 3.0
# After the fit, the bias is lowered until this share of the questions that
# should be refused is refused at the answer threshold: a wrong confident
# answer is worse than "I don't know".
REFUSED = 0.98
ANSWER_AT = 0.6
# The fit is repeated (a long message's part is chosen by the calibration
# being fitted) until it changes by less than this, at most MAX_ROUNDS times.
TOLERANCE = 1e-3
MAX_ROUNDS = 8


@dataclass(frozen=True)
class Calibration:
    """Logistic weights over Dialogue.features, and what they were fitted on."""

    bias: float
    coefficients: tuple[float, ...]
    fitted_on: tuple[str, ...] = ()

    def close_to(self, other: Calibration) -> bool:
        """The same weights, to within what a refit on the same questions can differ by."""
        pairs = [(self.bias, other.bias), *zip(self.coefficients, other.coefficients)]
        return len(self.coefficients) == len(other.coefficients) and all(abs(x - y) < TOLERANCE for x, y in pairs)

    def probability(self, features: list[float]) -> float:
        z = self.bias + sum(c * x for c, x in zip(self.coefficients, features))
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Example:
    """One labelled question as the decision sees it."""

    features: list[float]
    right: bool  # answering the top entry would be right
    should_answer: bool
    source: str


def load_calibration(path: Path = PATH) -> Calibration:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Calibration(float(data["bias"]), tuple(float(c) for c in data["coefficients"]), tuple(data["fitted_on"]))


def save_calibration(calibration: Calibration, path: Path = PATH) -> None:
    data = {"bias": round(calibration.bias, 4), "coefficients": [round(c, 4) for c in calibration.coefficients],
            "fitted_on": list(calibration.fitted_on)}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def examples(project: Path, source: str, calibration: Calibration) -> list[Example]:
    """Every single question of a labelled file ("knowledge folder:file") that reaches retrieval,
    as the bot would see it with `calibration` (a long message's part is chosen by confidence)."""
    from bot.engine import Bot, Reply  # the engine imports this module: only fitting needs it
    from bot.evaluation import judge, load_set
    from bot.sessions import Session
    from bot.text import normalize

    folder, labelled = source.split(":")
    bot = Bot.load(project / folder)
    dialogue = bot.dialogue
    dialogue.calibration = calibration
    found = load_set(project / labelled)
    out = []
    for run in found.runs:
        if len(run) != 1 or run[0].expected in ("smalltalk", "safety"):
            continue
        case, session = run[0], Session("calibration")
        plain = normalize(case.question)
        if dialogue.screen(case.question, plain, session) is not None:
            continue
        query, candidates = dialogue.retrieve(case.question, plain, session)
        if not candidates:
            continue
        top = candidates[0].entry
        reply = Reply("", "", top.type, top.answer, 1.0, {"id": top.id, "question": top.question}, [], [])
        should_answer = not {"oos", "fallback"} & set(case.expected.split("|"))
        out.append(Example(dialogue.features(query, candidates), judge(case.expected, reply, found.facts),
                           should_answer, source))
    return out


def fit(project: Path, sources: list[str], start: Calibration | None = None) -> Calibration:
    """Fit until the calibration that chooses a long message's part is the one fitted on those choices."""
    current = start or load_calibration()
    for _ in range(MAX_ROUNDS):
        fitted = fit_once([e for source in sources for e in examples(project, source, current)], sources)
        if fitted.close_to(current):
            return fitted
        current = fitted
    return current


def fit_once(rows: list[Example], sources: list[str]) -> Calibration:
    """Logistic regression over every file's examples, then the bias lowered to refuse REFUSED of what it should."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.array([e.features for e in rows])
    y = np.array([e.right for e in rows])
    should = np.array([e.should_answer for e in rows])
    weight = np.where(should, 1.0, REFUSE_WEIGHT)
    for source in sources:
        mine = np.array([e.source == source for e in rows])
        # Each file weighs the same: a new clinic's few questions count as much as the shipped clinic's many.
        weight[mine] *= len(rows) / (len(sources) * mine.sum())
    model = LogisticRegression(C=10.0).fit(x, y, sample_weight=weight)
    bias, coefficients = float(model.intercept_[0]), [float(c) for c in model.coef_[0]]
    z = x[~should] @ np.array(coefficients)
    fine = y[~should]  # refused anyway: the top entry is a hand-off
    while ((1.0 / (1.0 + np.exp(-(z + bias))) < ANSWER_AT) | fine).mean() < REFUSED:
        bias -= 0.01
    return Calibration(bias, tuple(coefficients), tuple(sources))
