"""Score the bot on labelled questions: per-category table, misses, reliability."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine import Reply
from bot.yamlfile import KnowledgeError

REFERRAL = re.compile(
    r"doctor|physician|clinic|provider|practitioner|professional|medical|contact|call|emergency|"
    r"nurse|dermatologist|dentist|audiologist|physiotherapist|specialist|staff",
    re.I,
)
REFUSED = ("fallback", "handoff")
CATEGORIES = ("answer", "out-of-scope", "smalltalk", "handoff", "safety", "dialogue")
BANDS = ((0.0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 0.97), (0.97, 1.01))

Ask = Callable[[str, str], Reply]


@dataclass(frozen=True)
class Case:
    question: str
    expected: str
    # The way of asking it was written in ("formal", "typos" ...): a set's "# register: NAME" comment.
    register: str = ""


@dataclass(frozen=True)
class LabelledSet:
    """Single questions and dialogues (each a list of cases sharing a session)."""

    runs: list[list[Case]]
    facts: dict[str, list[list[str]]]


@dataclass
class Result:
    case: Case
    category: str
    reply: Reply
    ok: bool


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    @property
    def hits(self) -> int:
        return sum(r.ok for r in self.results)

    def table(self) -> list[tuple[str, int, int]]:
        rows = []
        for category in CATEGORIES:
            group = [r for r in self.results if r.category == category]
            if group:
                rows.append((category, sum(r.ok for r in group), len(group)))
        return rows

    def confident_false_answers(self, level: float = 0.8) -> tuple[int, int]:
        oos = [r for r in self.results if r.case.expected in ("oos", "fallback")]
        bad = [r for r in oos if r.reply.type == "answer" and r.reply.confidence >= level]
        return len(bad), len(oos)

    def registers(self) -> list[tuple[str, int, int, int, int]]:
        """Per register of the single questions: answerable right, answerable, all right, all."""
        rows = []
        for register in dict.fromkeys(r.case.register for r in self.results if r.case.register):
            group = [r for r in self.results if r.case.register == register and r.category != "dialogue"]
            answerable = [r for r in group if r.category == "answer"]
            right = sum(r.ok for r in answerable)
            rows.append((register, right, len(answerable), sum(r.ok for r in group), len(group)))
        return rows

    def reliability(self) -> list[tuple[str, int, int]]:
        """Per confidence band: answers given there and how many were right."""
        answered = [r for r in self.results if r.reply.type in ("answer", "handoff") and r.reply.match]
        rows = []
        for low, high in BANDS:
            band = [r for r in answered if low <= r.reply.confidence < high]
            rows.append((f"{low:.2f}-{min(high, 1.0):.2f}", sum(r.ok for r in band), len(band)))
        return rows

    def render(self, misses: bool = True, registers: bool = False) -> str:
        lines = [f"{'category':14s} {'right':>6s} {'of':>5s} {'share':>7s}"]
        for category, hit, n in self.table():
            lines.append(f"{category:14s} {hit:6d} {n:5d} {100.0 * hit / n:6.1f}%")
        if registers:
            lines.append(f"{'register':14s} {'answerable right':>17s} {'all right':>10s}")
            for register, hit, n, all_hit, all_n in self.registers():
                answerable = f"{hit}/{n}" if n else "-"
                lines.append(f"{register:14s} {answerable:>17s} {f'{all_hit}/{all_n}':>10s}")
        bad, oos = self.confident_false_answers()
        lines.append(f"out-of-scope answered with confidence >= 0.8: {bad}/{oos}")
        lines.append("reliability (confidence band: right/answered):")
        for band, hit, n in self.reliability():
            share = f"{100.0 * hit / n:5.1f}%" if n else "   - "
            lines.append(f"  {band}: {hit}/{n} {share}")
        if misses:
            for r in self.results:
                if not r.ok:
                    got = r.reply.match["id"] if r.reply.match else r.reply.type
                    lines.append(f"MISS [{r.category}] {r.case.question!r}: expected {r.case.expected}, "
                                 f"got {r.reply.type}/{got} ({r.reply.confidence:.2f})")
        n = len(self.results)
        lines.append(f"overall {self.hits}/{n} = {100.0 * self.hits / max(n, 1):.1f}%")
        return "\n".join(lines)


def load_set(path: Path | str) -> LabelledSet:
    """A CSV of question,expected or a YAML set (dev-sample format or dialogues)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")  # (a spreadsheet's CSV may start with a byte-order mark)
    if path.suffix.lower() == ".csv":
        lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        rows = csv.DictReader(io.StringIO("\n".join(lines)))
        if rows.fieldnames is None or not {"question", "expected"} <= set(rows.fieldnames):
            raise KnowledgeError([f"{path.name}:1: a CSV set needs the columns question,expected"])
        runs = []
        for row in rows:
            if not row["question"] or not row["expected"]:
                raise KnowledgeError([f"{path.name}:{rows.line_num}: a row needs a question and what is expected"])
            if None in row:  # more fields than columns: a comma in the question, unquoted
                raise KnowledgeError([f"{path.name}:{rows.line_num}: more fields than columns; a question with a "
                                      'comma in it goes in double quotes ("hi, how are you",smalltalk)'])
            runs.append([Case(row["question"], row["expected"].strip(), (row.get("register") or "").strip())])
        return _not_empty(path, LabelledSet(runs, {}))
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:  # a syntax error: where, as for the knowledge files
        mark = getattr(exc, "problem_mark", None)
        raise KnowledgeError([f"{path.name}:{mark.line + 1 if mark else 1}: not valid YAML"]) from None
    if not isinstance(data, dict):
        raise KnowledgeError([f"{path.name}:1: expected 'cases:' (and 'facts:', 'dialogues:') as in dev.yaml"])
    named = _registers(text)
    runs = [[Case(c["q"], str(c["expect"]), named[i] if i < len(named) else "")]
            for i, c in enumerate(data.get("cases", []))]
    for dialogue in data.get("dialogues", []):
        turns = dialogue["turns"] if isinstance(dialogue, dict) else dialogue
        runs.append([Case(t["q"], str(t["expect"])) for t in turns])
    return _not_empty(path, LabelledSet(runs, data.get("facts", {})))


_REGISTER = re.compile(r"^\s*#\s*register:\s*(\S.*?)\s*$")


def _registers(text: str) -> list[str]:
    """The register of each of a YAML set's cases: the last "# register: NAME" line above it."""
    marks = [(n, m.group(1)) for n, line in enumerate(text.splitlines()) if (m := _REGISTER.match(line))]
    if not marks:
        return []
    root = yaml.compose(text)
    cases = next((value for key, value in getattr(root, "value", []) if getattr(key, "value", None) == "cases"), None)
    items = cases.value if isinstance(cases, yaml.SequenceNode) else []
    return [next((name for n, name in reversed(marks) if n < item.start_mark.line), "") for item in items]


def _not_empty(path: Path, labelled: LabelledSet) -> LabelledSet:
    if not labelled.runs:  # "overall 0/0" would read as a result
        raise KnowledgeError([f"{path.name}: no questions in it"])
    return labelled


# What a question may expect besides an entry id or a fact id.
EXPECTATIONS = ("oos", "fallback", "smalltalk", "handoff", "clarify", "safety")


def judge(expected: str, reply: Reply, facts: dict[str, list[list[str]]]) -> bool:
    """Whether a reply is right for what was expected (see the README's eval section).

    "a|b" accepts either: some questions are answered equally well by two entries.
    """
    if "|" in expected:
        return any(judge(option, reply, facts) for option in expected.split("|"))
    if expected in ("oos", "fallback"):
        return reply.type in REFUSED
    if expected in ("smalltalk", "handoff", "clarify"):
        return reply.type == expected
    if expected == "safety":
        return reply.type in REFUSED and REFERRAL.search(reply.answer) is not None
    if expected in facts:
        return reply.type == "answer" and all(
            any(re.search(p, reply.answer, re.I) for p in group) for group in facts[expected]
        )
    return reply.match is not None and reply.match["id"] == expected and reply.type in ("answer", "handoff")


def category(case: Case, in_dialogue: bool, facts: dict[str, list[list[str]]]) -> str:
    if in_dialogue:
        return "dialogue"
    if case.expected in ("oos", "fallback"):
        return "out-of-scope"
    if case.expected in ("smalltalk", "handoff", "safety"):
        return case.expected
    return "answer"


def evaluate(labelled: LabelledSet, ask: Ask) -> Report:
    """Ask every question (dialogue turns in one session) and judge the replies."""
    report = Report()
    for run in labelled.runs:
        session = "eval-" + uuid.uuid4().hex[:12]
        for case in run:
            reply = ask(case.question, session)
            ok = judge(case.expected, reply, labelled.facts)
            report.results.append(Result(case, category(case, len(run) > 1, labelled.facts), reply, ok))
    return report
