"""Staff tools on the turn log: review of misses, statistics, export, retention."""

from __future__ import annotations

import csv
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from rapidfuzz import fuzz

from bot.engine import Bot
from bot.gaps import PREFIX
from bot.sessions import Session, Store
from bot.text import normalize, stem

LOW_CONFIDENCE = 0.8
SAME_QUESTION = 80  # rapidfuzz token-set ratio at which two questions count as one
FROM_LEAFLET = "answered from the leaflet"
SUGGEST_ALTERNATE = 0.35  # closest entry score from which "add as an alternate" is suggested
DURATION = re.compile(r"^(\d+)\s*([hdw])$")


def parse_since(text: str) -> float:
    """'7d', '24h', '2w' -> seconds."""
    found = DURATION.match(text.strip().lower())
    if not found:
        raise ValueError(f"expected a duration like 7d, 24h or 2w, not {text!r}")
    number, unit = int(found.group(1)), found.group(2)
    return number * {"h": 3600, "d": 86400, "w": 7 * 86400}[unit]


@dataclass
class Group:
    """Near-duplicate questions the bot did not answer well."""

    example: str
    questions: list[str] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    closest: str | None = None
    score: float = 0.0  # the confidence the visitor's reply had in `closest`
    fit: float = 0.0  # how closely the question matches `closest`'s phrasings
    unknown: tuple[str, ...] = ()  # words no entry or the leaflet uses

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def action(self) -> str:
        if self.unknown:  # a word the knowledge never uses names another topic, not another way to ask
            return f"new entry or hand-off (the knowledge never mentions: {', '.join(self.unknown)})"
        if self.reasons[FROM_LEAFLET]:  # answered, but from the leaflet: no entry of the clinic's says it yet
            return "new entry (the leaflet answered it; an entry words it for visitors)"
        if self.closest and self.fit >= SUGGEST_ALTERNATE:
            return f"add as an alternate of {self.closest}"
        return "new entry"


def misses(store: Store, since_seconds: float, now: float | None = None) -> list[tuple[str, str]]:
    """(question, reason) for every turn the bot did not answer well, oldest first."""
    now = time.time() if now is None else now
    rows = store.query(
        "SELECT t.message, t.type, t.entry, t.confidence, f.helpful FROM turns t "
        "LEFT JOIN feedback f ON f.reply_id = t.reply_id WHERE t.time >= ? AND t.channel != 'eval' "
        "ORDER BY t.time, t.rowid", (now - since_seconds,))
    found = []
    for message, kind, entry, confidence, helpful in rows:
        if helpful == 0:
            found.append((message, "thumbs down"))
        elif kind in ("fallback", "clarify"):
            found.append((message, kind))
        elif kind == "answer" and str(entry or "").startswith(PREFIX):
            found.append((message, FROM_LEAFLET))
        elif kind == "answer" and confidence < LOW_CONFIDENCE:
            found.append((message, "low confidence"))
    return found


def review(bot: Bot, since_seconds: float, now: float | None = None) -> list[Group]:
    """Group the misses (near-duplicates count as one), most frequent first."""
    groups: list[Group] = []
    keys: list[str] = []
    for question, reason in misses(bot.store, since_seconds, now):
        key = normalize(question, bot.knowledge.synonyms)
        best = max(range(len(keys)), key=lambda i: fuzz.token_set_ratio(key, keys[i]), default=None)
        if best is None or fuzz.token_set_ratio(key, keys[best]) < SAME_QUESTION:
            groups.append(Group(question))
            keys.append(key)
            best = len(groups) - 1
        groups[best].questions.append(question)
        groups[best].reasons[reason] += 1
    dialogue = bot.dialogue
    for group in groups:
        # Read as the visitor's message was: the same query, ranking and confidence.
        query, ranked = dialogue.retrieve(group.example, normalize(group.example), Session("review"))
        said = dialogue.index.corrected(normalize(group.example)).split()
        group.unknown = tuple(dict.fromkeys(w for w in said if stem(w) in query.foreign))
        if ranked and ranked[0].entry.type == "answer":
            group.closest, group.fit = ranked[0].entry.id, ranked[0].score
            group.score = dialogue.confidence(query, ranked)
    return sorted(groups, key=lambda g: -g.count)  # stable: first seen first among equals


# A cell starting with one of these is a formula to a spreadsheet ("=HYPERLINK(...)").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A visitor's text made safe to open in a spreadsheet: never run as a formula."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def write_review_csv(groups: list[Group], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(["group", "count", "example", "reasons", "closest_entry", "score", "suggestion"])
    for n, g in enumerate(groups, 1):
        reasons = "; ".join(f"{r} x{c}" for r, c in g.reasons.most_common())
        writer.writerow([n, g.count, cell(g.example), reasons, g.closest or "", f"{g.score:.2f}", g.action])


@dataclass
class Stats:
    days: dict[str, Counter[str]]
    types: Counter[str]
    top: list[tuple[str, int]]
    helpful: tuple[int, int]


def stats(store: Store, since_seconds: float, now: float | None = None) -> Stats:
    """Turns per day and channel, share by reply type, top entries, helpful rate."""
    now = time.time() if now is None else now
    rows = store.query("SELECT time, channel, type, entry FROM turns WHERE time >= ? AND channel != 'eval'",
                       (now - since_seconds,))
    days: dict[str, Counter[str]] = defaultdict(Counter)
    types: Counter[str] = Counter()
    entries: Counter[str] = Counter()
    for when, channel, kind, entry in rows:
        days[datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%d")][channel] += 1
        types[kind] += 1
        if entry:
            entries[entry] += 1
    feedback = store.query("SELECT SUM(helpful), COUNT(*) FROM feedback WHERE time >= ?", (now - since_seconds,))
    helpful, rated = feedback[0] if feedback else (0, 0)
    return Stats(dict(sorted(days.items())), types, entries.most_common(10), (int(helpful or 0), int(rated or 0)))


def export(store: Store, since_seconds: float, path: Path, now: float | None = None) -> int:
    """Write the log (session keys are random ids or salted hashes) to CSV; return the row count."""
    now = time.time() if now is None else now
    rows = store.query(
        "SELECT t.time, t.channel, t.session, t.message, t.type, t.entry, t.confidence, f.helpful, f.comment "
        "FROM turns t LEFT JOIN feedback f ON f.reply_id = t.reply_id WHERE t.time >= ? ORDER BY t.time, t.rowid",
        (now - since_seconds,))
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["time", "channel", "session", "message", "type", "entry", "confidence", "helpful", "comment"])
        for when, *rest in rows:
            writer.writerow([datetime.fromtimestamp(when, UTC).isoformat(timespec="seconds"), *map(cell, rest)])
    return len(rows)


def purge(store: Store, days: int, now: float | None = None) -> int:
    """Delete turns (and their feedback) older than `days`; return how many turns went."""
    now = time.time() if now is None else now
    return store.purge(now - days * 86400)


@dataclass(frozen=True)
class Intercepted:
    """An answer entry's wordings that never reach it: small talk, a request for a person or the safety
    checks take them first, so a visitor who asks that way is not given the entry's answer."""

    entry: str
    wordings: list[tuple[str, str]]  # (wording, what takes it: "safety", "handoff", "smalltalk")


def intercepted(bot: Bot) -> list[Intercepted]:
    """Every answer entry with wordings taken before the entry is ever matched (`faqbot check` lists them)."""
    found = []
    for entry in bot.knowledge.entries:
        if entry.type != "answer":
            continue
        taken = []
        for wording in entry.phrasings:
            by = bot.dialogue.taken_by(wording)
            if by is not None:
                taken.append((wording, by))
        if taken:
            found.append(Intercepted(entry.id, taken))
    return found
