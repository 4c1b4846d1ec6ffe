"""Load and validate the knowledge folder: entries, small talk, clinic, synonyms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bot.gsm import SMS_LIMIT, sms_form, to_gsm
from bot.text import fold, normalize
from bot.yamlfile import KnowledgeError, LineDict, LineList, read_yaml

ENTRY_TYPES = ("answer", "handoff")
INTENT_TYPES = ("smalltalk", "handoff")
MIN_ALTERNATES = 8


@dataclass(frozen=True)
class Entry:
    """One question the bot can answer, with every way people ask it."""

    id: str
    type: str
    question: str
    alternates: tuple[str, ...]
    answer: str
    sms: str
    sources: tuple[str, ...]
    follow_ups: tuple[str, ...]

    @property
    def phrasings(self) -> tuple[str, ...]:
        return (self.question, *self.alternates)


@dataclass(frozen=True)
class Intent:
    """Small talk or a request for a person, matched on the whole message."""

    id: str
    type: str
    patterns: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str
    email: str
    hours: str
    booking_url: str
    disclaimer: str

    @property
    def contact_line(self) -> str:
        return f"Call {self.name} on {self.phone} ({self.hours}) or email {self.email}."


@dataclass(frozen=True)
class Knowledge:
    """Everything the bot knows, validated."""

    folder: Path
    entries: tuple[Entry, ...]
    intents: tuple[Intent, ...]
    clinic: Clinic
    synonyms: dict[str, str]
    document: str
    sentences: tuple[str, ...]

    def entry(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]

    @cached_property
    def _by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}


def split_sentences(document: str) -> list[str]:
    """The document's sentences, each as written (headings included)."""
    sentences = []
    for paragraph in document.split("\n"):
        paragraph = paragraph.strip()
        if paragraph:
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", paragraph) if s.strip()]
    return sentences


def _same_sentence_key(text: str) -> str:
    return " ".join(fold(text).split())


class _Checker:
    """Collects problems with file:line instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: Path, line: int, message: str) -> None:
        self.problems.append(f"{path.name}:{line}: {message}")

    def text(self, path: Path, item: LineDict, key: str, required: bool = True) -> str:
        value = item.get(key)
        if value is None:
            if required:
                self.add(path, item.line, f"missing field '{key}'")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(path, item.line_of(key), f"'{key}' must be non-empty text")
            return ""
        return " ".join(value.split())

    def texts(self, path: Path, item: LineDict, key: str) -> tuple[str, ...]:
        value = item.get(key, LineList())
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.add(path, item.line_of(key), f"'{key}' must be a list of non-empty texts")
            return ()
        return tuple(" ".join(v.split()) for v in value)

    def keys(self, path: Path, item: LineDict, allowed: set[str], what: str) -> None:
        for key in item:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.add(path, item.line_of(str(key)), f"unknown key '{key}' in {what} (known: {known})")


def _read_clinic(folder: Path, check: _Checker) -> Clinic:
    path = folder / "clinic.yaml"
    data = read_yaml(path)
    if not isinstance(data, LineDict):
        raise KnowledgeError([f"{path.name}:1: expected a mapping of clinic details"])
    fields = ("name", "phone", "email", "hours", "booking_url", "disclaimer")
    check.keys(path, data, {*fields, "example"}, "clinic.yaml")
    return Clinic(*(check.text(path, data, f) for f in fields))


def _read_synonyms(folder: Path, check: _Checker) -> dict[str, str]:
    path = folder / "synonyms.yaml"
    data = read_yaml(path)
    if not isinstance(data, LineDict):
        raise KnowledgeError([f"{path.name}:1: expected 'term: [variant, ...]' mappings"])
    table: dict[str, str] = {}
    for term, variants in data.items():
        line = data.line_of(str(term))
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            check.add(path, line, f"'{term}' must map to a list of variants")
            continue
        canonical = normalize(str(term))
        for variant in variants:
            key = normalize(variant)
            if key in table and table[key] != canonical:
                check.add(path, line, f"variant '{variant}' is already a synonym of '{table[key]}'")
            elif key and key != canonical:
                table[key] = canonical
    return table


def _read_intents(folder: Path, check: _Checker, clinic: Clinic) -> tuple[Intent, ...]:
    path = folder / "smalltalk.yaml"
    data = read_yaml(path)
    items = data.get("intents") if isinstance(data, LineDict) else None
    if not isinstance(items, LineList):
        raise KnowledgeError([f"{path.name}:1: expected 'intents:' with a list of intents"])
    intents = []
    for item in items:
        if not isinstance(item, LineDict):
            check.add(path, items.line, "each intent must be a mapping")
            continue
        check.keys(path, item, {"id", "type", "patterns", "answer"}, "an intent")
        kind = item.get("type", "smalltalk")
        if kind not in INTENT_TYPES:
            check.add(path, item.line_of("type"), f"type must be one of {', '.join(INTENT_TYPES)}")
        answer = _fill(check.text(path, item, "answer"), clinic, check, path, item.line_of("answer"))
        intents.append(Intent(check.text(path, item, "id"), str(kind), check.texts(path, item, "patterns"), answer))
    return tuple(intents)


def _fill(text: str, clinic: Clinic, check: _Checker, path: Path, line: int) -> str:
    """Put the clinic's details into {phone}-style placeholders."""
    try:
        return text.format(**clinic.__dict__)
    except (KeyError, IndexError, ValueError) as exc:  # a typo in a placeholder
        check.add(path, line, f"unknown placeholder in answer: {exc}")
        return text


def _read_entries(folder: Path, check: _Checker, clinic: Clinic, sentences: dict[str, str]) -> tuple[Entry, ...]:
    path = folder / "faq.yaml"
    data = read_yaml(path)
    items = data.get("entries") if isinstance(data, LineDict) else None
    if not isinstance(items, LineList):
        raise KnowledgeError([f"{path.name}:1: expected 'entries:' with a list of entries"])
    allowed = {"id", "type", "question", "alternates", "answer", "sms", "sources", "follow_ups"}
    entries: list[Entry] = []
    for item in items:
        if not isinstance(item, LineDict):
            check.add(path, items.line, "each entry must be a mapping")
            continue
        check.keys(path, item, allowed, "an entry")
        entries.append(_entry(path, item, check, clinic, sentences))
    _check_across(path, items, entries, check)
    return tuple(entries)


def _entry(path: Path, item: LineDict, check: _Checker, clinic: Clinic, sentences: dict[str, str]) -> Entry:
    kind = item.get("type", "answer")
    if kind not in ENTRY_TYPES:
        check.add(path, item.line_of("type"), f"type must be one of {', '.join(ENTRY_TYPES)}")
    alternates = check.texts(path, item, "alternates")
    if len(alternates) < MIN_ALTERNATES:
        count = len(alternates)
        check.add(path, item.line_of("alternates"), f"give at least {MIN_ALTERNATES} alternates (has {count})")
    answer = _fill(check.text(path, item, "answer"), clinic, check, path, item.line_of("answer"))
    sources = []
    for i, source in enumerate(check.texts(path, item, "sources")):
        original = sentences.get(_same_sentence_key(source))
        if original is None:
            line = item["sources"].item_lines[i]
            check.add(path, line, "source is not a sentence of the document (copy it exactly)")
        else:
            sources.append(original)
    if kind == "answer" and not sources:
        check.add(path, item.line, "an answer entry needs at least one 'sources' sentence")
    sms = item.get("sms")
    if sms is not None:
        sms = _fill(check.text(path, item, "sms"), clinic, check, path, item.line_of("sms"))
        if len(sms) > SMS_LIMIT or to_gsm(sms) != sms:
            check.add(path, item.line_of("sms"), f"sms must be at most {SMS_LIMIT} GSM-7 characters")
    return Entry(
        id=check.text(path, item, "id"), type=str(kind), question=check.text(path, item, "question"),
        alternates=alternates, answer=answer, sms=sms or sms_form(answer), sources=tuple(sources),
        follow_ups=check.texts(path, item, "follow_ups"),
    )


def _check_across(path: Path, items: LineList, entries: list[Entry], check: _Checker) -> None:
    """Duplicate ids, one phrasing in two entries, follow-ups to nowhere."""
    ids: dict[str, int] = {}
    owner: dict[str, str] = {}
    for item, entry in zip(items, entries):
        if entry.id in ids:
            check.add(path, item.line_of("id"), f"duplicate id '{entry.id}' (first at line {ids[entry.id]})")
        ids.setdefault(entry.id, item.line_of("id"))
        for phrasing in entry.phrasings:
            key = normalize(phrasing)
            if owner.get(key, entry.id) != entry.id:
                check.add(path, item.line_of("alternates"), f"'{phrasing}' is also a phrasing of '{owner[key]}'")
            owner.setdefault(key, entry.id)
    for item, entry in zip(items, entries):
        for target in entry.follow_ups:
            if target not in ids:
                check.add(path, item.line_of("follow_ups"), f"follow_up '{target}' is not an entry id")
            elif target == entry.id:
                check.add(path, item.line_of("follow_ups"), "an entry cannot follow up itself")


def load_knowledge(folder: Path | str) -> Knowledge:
    """Read and validate a knowledge folder; raise KnowledgeError listing every problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise KnowledgeError([f"{folder}: not a folder"])
    documents = sorted(folder.glob("*.txt"))
    if len(documents) != 1:
        raise KnowledgeError([f"{folder}: expected exactly one source document (*.txt), found {len(documents)}"])
    document = documents[0].read_text(encoding="utf-8")
    sentences = split_sentences(document)
    check = _Checker()
    clinic = _read_clinic(folder, check)
    synonyms = _read_synonyms(folder, check)
    intents = _read_intents(folder, check, clinic)
    entries = _read_entries(folder, check, clinic, {_same_sentence_key(s): s for s in sentences})
    if check.problems:
        raise KnowledgeError(check.problems)
    return Knowledge(folder, entries, intents, clinic, synonyms, document, tuple(sentences))
