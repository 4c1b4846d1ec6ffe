"""faq.yaml drafted from a leaflet: its sentences grouped into entries, each with visitors' questions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.leaflet import Section, sections
from bot.questions import (
    heading_question,
    key_phrases,
    lower,
    people_question,
    rules,
    speak_as_visitor,
    statement_question,
    words,
)
from bot.text import normalize

DATA = Path(__file__).resolve().parent / "data"
MIN_ALTERNATES = 8
# An entry answers with at most this many sentences: a visitor asked one thing.
GROUP_SENTENCES = 3
ID_WORDS = 3


@dataclass
class Draft:
    """One drafted entry, as faq.yaml will hold it."""

    id: str
    question: str
    alternates: list[str]
    answer: str
    sources: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    type: str = "answer"


def _links(sentence: str) -> bool:
    """Whether a sentence leans on the one before ("This makes ...", "For example, ...")."""
    text = sentence.lower()
    return any(re.match(rf"{re.escape(word)}\b", text) for word in rules()["linking"])


def groups(section: Section) -> list[list[str]]:
    """A section's sentences in entries: a sentence alone, or with those that lean on it."""
    result: list[list[str]] = []
    for paragraph in section.paragraphs:
        current: list[str] = []
        for sentence in paragraph:
            if current and _links(sentence) and len(current) < GROUP_SENTENCES:
                current.append(sentence)
                continue
            if current:
                result.append(current)
            current = [sentence]
        if current:
            result.append(current)
    return result


def _cue_forms(text: str, phrase: str, treatment: str) -> list[str]:
    """Questions of the kinds a sentence speaks of (how long, who, risks ...)."""
    low = " " + " ".join(w.lower() for w in words(text)) + " "
    forms = []
    for cue in rules()["cues"]:
        if any(f" {word} " in low for word in cue["words"]):
            forms += [f.format(phrase=phrase, treatment=treatment) for f in cue["forms"]]
    return forms


def alternates(group: list[str], heading: str, treatment: str) -> list[str]:
    """Ways a visitor asks what these sentences answer, from their own wording."""
    found: list[str] = []
    if heading:
        found += [heading_question(heading), " ".join(speak_as_visitor(words(heading.lower())))]
    for sentence in group:
        found += [statement_question(sentence, treatment), people_question(sentence)]
        phrases = key_phrases(sentence, treatment)
        for phrase in phrases:
            found += [phrase, f"what about {phrase}", f"tell me about {phrase}"]
        for part in re.split(r"[,;:()]|\s(?:which|but|and|so|as)\s", sentence):
            tokens = words(part)
            if 3 <= len(tokens) <= 12:
                found.append(" ".join(speak_as_visitor([lower(w) for w in tokens])))
        if phrases:
            found += _cue_forms(sentence, phrases[0], treatment)
    return [" ".join(a.split()).rstrip("?").strip() for a in found if a and a.strip()]


def _slug(text: str, taken: set[str]) -> str:
    base = "_".join(w.lower() for w in words(text) if w.lower() not in ("what", "about"))
    base = "_".join(re.sub(r"[^a-z0-9]", "", w) for w in base.split("_")[:ID_WORDS] if w) or "entry"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    taken.add(slug)
    return slug


def _topic_question(phrases: list[str]) -> str:
    return f"What should I know about {phrases[0]}?" if phrases else "What does the leaflet say about this?"


def section_drafts(section: Section, treatment: str, taken: set[str]) -> list[Draft]:
    """The entries of one section, pointing at each other as follow-ups."""
    drafts = []
    for n, group in enumerate(groups(section)):
        heading = section.heading if n == 0 else ""
        asked = heading_question(heading) if heading.rstrip().endswith("?") else ""
        phrases = key_phrases(group[0], treatment)
        question = asked or statement_question(group[0], treatment) or _topic_question(phrases)
        drafts.append(Draft(
            id=_slug(phrases[0] if phrases else question, taken), question=question,
            alternates=alternates(group, heading, treatment), answer=" ".join(group), sources=list(group),
        ))
    for draft in drafts:
        draft.follow_ups = [d.id for d in drafts if d is not draft][:3]
    return drafts


def handoff_drafts(treatment: str, taken: set[str]) -> list[Draft]:
    """The built-in hand-offs for what leaflets leave out, worded for this treatment."""
    data = yaml.safe_load((DATA / "handoffs.yaml").read_text(encoding="utf-8"))["handoffs"]
    drafts = []
    for item in data:
        fill = {"treatment": treatment}
        taken.add(item["id"])
        drafts.append(Draft(
            id=item["id"], type="handoff", question=item["question"].format(**fill),
            alternates=[a.format(**fill) for a in item["alternates"]],
            answer=item["answer"].replace("{treatment}", treatment), follow_ups=list(item["follow_ups"]),
        ))
    return drafts


def _unique(drafts: list[Draft]) -> None:
    """No phrasing in two entries (the loader refuses it): the first entry keeps it."""
    owner: dict[str, str] = {}
    for draft in drafts:
        key = normalize(draft.question)
        if owner.setdefault(key, draft.id) != draft.id:
            draft.question = draft.question.rstrip("?") + f" ({draft.id.replace('_', ' ')})?"
            owner.setdefault(normalize(draft.question), draft.id)
    for draft in drafts:
        kept = []
        for alternate in draft.alternates:
            key = normalize(alternate)
            if key and owner.setdefault(key, draft.id) == draft.id and key not in map(normalize, kept):
                kept.append(alternate)
        draft.alternates = [a for a in kept if normalize(a) != normalize(draft.question)]


def _enough(draft: Draft, treatment: str) -> None:
    """At least the loader's minimum of alternates, from the question's own key phrases."""
    extra = [f"{draft.question.rstrip('?')} please", f"question about {draft.id.replace('_', ' ')}",
             f"{draft.id.replace('_', ' ')} {treatment}", f"more about {draft.id.replace('_', ' ')}",
             f"explain {draft.id.replace('_', ' ')}", f"{draft.id.replace('_', ' ')} information",
             f"info on {draft.id.replace('_', ' ')}", f"tell me more about {draft.id.replace('_', ' ')}"]
    seen = {normalize(a) for a in draft.alternates} | {normalize(draft.question)}
    for text in extra:
        if len(draft.alternates) >= MIN_ALTERNATES:
            break
        if normalize(text) not in seen:
            draft.alternates.append(text)
            seen.add(normalize(text))


def draft_entries(document: str, treatment: str) -> list[Draft]:
    """Every sentence of the leaflet in some entry, then the built-in hand-offs."""
    taken: set[str] = set()
    handoffs = handoff_drafts(treatment, taken)
    drafts = [d for section in sections(document) for d in section_drafts(section, treatment, taken)]
    everything = drafts + handoffs
    _unique(everything)
    for draft in everything:
        _enough(draft, treatment)
    return everything
