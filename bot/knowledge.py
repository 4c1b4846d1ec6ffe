"""Load and validate the knowledge folder: leaflet, entries, clinic, and the optional files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.clinic import Clinic, read_clinic
from bot.defaults import Intent, SafetyWords, read_intents, read_safety, read_synonyms
from bot.gsm import SMS_LIMIT, sms_form, to_gsm
from bot.text import fold, normalize
from bot.yamlfile import Checker, KnowledgeError, LineDict, LineList, read_yaml

ENTRY_TYPES = ("answer", "handoff")
MIN_ALTERNATES = 8
# Without a 'starters:' list, this many of the first answer entries are offered.
STARTER_COUNT = 3


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
    # Written by `faqbot init` and not yet reviewed: served as any entry, listed by `faqbot check`.
    draft: bool = False

    @property
    def phrasings(self) -> tuple[str, ...]:
        return (self.question, *self.alternates)


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
    starters: tuple[str, ...]
    safety: SafetyWords
    # What a person should look at but that does not stop the bot: drafts, example contacts.
    warnings: tuple[str, ...] = ()

    def entry(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]

    @cached_property
    def _by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}


def split_sentences(document: str) -> list[str]:
    """The document's sentences, each as written (headings included; a list item without its "- ")."""
    sentences = []
    for paragraph in document.split("\n"):
        paragraph = _LIST_MARK.sub("", paragraph.strip())
        if paragraph:
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", paragraph) if s.strip()]
    return sentences


def same_sentence(text: str) -> str:
    """A sentence as compared with the leaflet's: case, accents, spacing, a list item's mark and a closing
    full stop aside (a source copied with its "- " or without it, with its "." or without, is the same)."""
    return " ".join(_LIST_MARK.sub("", fold(text).strip()).split()).rstrip(" .")


_LIST_MARK = re.compile(r"^(?:[-*+\u2022]|\d{1,2}[.)])\s+")
# A source this alike a sentence of the document is shown that sentence to copy (rapidfuzz's ratio, 0-100).
NEAREST = 60


def _nearest(source: str, sentences: dict[str, str]) -> str:
    """The document's sentence nearest a source that is none of them, to show where it differs."""
    found = process.extractOne(same_sentence(source), list(sentences), scorer=fuzz.ratio, score_cutoff=NEAREST)
    return f'; nearest: "{sentences[found[0]]}"' if found else ""


def _read_entries(folder: Path, check: Checker, clinic: Clinic,
                  sentences: dict[str, str]) -> tuple[tuple[Entry, ...], tuple[str, ...]]:
    """faq.yaml's entries, and its starter questions (entry ids)."""
    path = folder / "faq.yaml"
    data = read_yaml(path)
    items = data.get("entries") if isinstance(data, LineDict) else None
    if not isinstance(items, LineList):
        raise KnowledgeError([f"{path.name}:1: expected 'entries:' with a list of entries"])
    check.keys(path, data, {"entries", "starters"}, "faq.yaml")
    allowed = {"id", "type", "question", "alternates", "answer", "sms", "sources", "follow_ups", "draft"}
    entries: list[Entry] = []
    for item in items:
        if not isinstance(item, LineDict):
            check.add(path, items.line, "each entry must be a mapping")
            continue
        check.keys(path, item, allowed, "an entry")
        entries.append(_entry(path, item, check, clinic, sentences))
    _check_across(path, items, entries, check)
    return tuple(entries), _starters(path, data, entries, check)


def _starters(path: Path, data: LineDict, entries: list[Entry], check: Checker) -> tuple[str, ...]:
    """The questions offered before anyone asks: 'starters:' ids, else the first answer entries."""
    if "starters" not in data:
        return tuple(e.id for e in entries if e.type == "answer")[:STARTER_COUNT]
    starters = check.texts(path, data, "starters")
    ids = {e.id for e in entries}
    for i, starter in enumerate(starters):
        if starter not in ids:
            check.add(path, data["starters"].item_lines[i], f"starter '{starter}' is not an entry id")
        elif starter in starters[:i]:
            check.add(path, data["starters"].item_lines[i], f"starter '{starter}' is listed twice")
    return tuple(dict.fromkeys(s for s in starters if s in ids))


def _entry(path: Path, item: LineDict, check: Checker, clinic: Clinic, sentences: dict[str, str]) -> Entry:
    kind = item.get("type", "answer")
    if kind not in ENTRY_TYPES:
        check.add(path, item.line_of("type"), f"type must be one of {', '.join(ENTRY_TYPES)}")
    alternates = check.texts(path, item, "alternates")
    if len(alternates) < MIN_ALTERNATES:
        count = len(alternates)
        check.add(path, item.line_of("alternates"), f"give at least {MIN_ALTERNATES} alternates (has {count})")
    answer = check.fill(check.text(path, item, "answer"), clinic.placeholders(), path, item.line_of("answer"))
    sources = []
    for i, source in enumerate(check.texts(path, item, "sources")):
        original = sentences.get(same_sentence(source))
        if original is None:
            line = item["sources"].item_lines[i]
            nearest = _nearest(source, sentences)
            check.add(path, line, f"source is not a sentence of the document (copy it exactly){nearest}")
        else:
            sources.append(original)
    if kind == "answer" and not sources:
        check.add(path, item.line, "an answer entry needs at least one 'sources' sentence")
    sms = item.get("sms")
    if sms is not None:
        sms = check.fill(check.text(path, item, "sms"), clinic.placeholders(), path, item.line_of("sms"))
        if len(sms) > SMS_LIMIT or to_gsm(sms) != sms:
            check.add(path, item.line_of("sms"), f"sms must be at most {SMS_LIMIT} GSM-7 characters")
    draft = item.get("draft", False)
    if not isinstance(draft, bool):
        check.add(path, item.line_of("draft"), "'draft' must be true or false")
    elif draft:
        check.warn(path, item.line_of("draft"), f"'{item.get('id')}' is a draft: review it, then delete 'draft: true'")
    return Entry(
        id=check.text(path, item, "id"), type=str(kind), question=check.text(path, item, "question"),
        alternates=alternates, answer=answer, sms=sms or sms_form(answer), sources=tuple(sources),
        follow_ups=check.texts(path, item, "follow_ups"), draft=draft is True,
    )


def _check_across(path: Path, items: LineList, entries: list[Entry], check: Checker) -> None:
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
    try:
        document = documents[0].read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:  # saved in another encoding: say where, as for the YAML files
        line = documents[0].read_bytes()[: exc.start].count(b"\n") + 1
        raise KnowledgeError([f"{documents[0].name}:{line}: not UTF-8 text ({exc.reason}); save it as UTF-8"]) from None
    except OSError as exc:  # unreadable, or a link to nothing
        raise KnowledgeError([f"{documents[0].name}: cannot be read ({exc.strerror or exc})"]) from None
    sentences = split_sentences(document)
    check = Checker()
    clinic = read_clinic(folder, document, check)
    synonyms = read_synonyms(folder, check)
    intents = read_intents(folder, check, clinic.placeholders())
    entries, starters = _read_entries(folder, check, clinic, {same_sentence(s): s for s in sentences})
    safety = read_safety(folder, check)
    if check.problems:
        raise KnowledgeError(check.problems)
    return Knowledge(folder, entries, intents, clinic, synonyms, document, tuple(sentences), starters, safety,
                     tuple(check.warnings))

