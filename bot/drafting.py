"""faq.yaml drafted from a leaflet: its sentences grouped into entries, each with visitors' questions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from bot.leaflet import Section, sections
from bot.questions import (
    SUBJECT_WORDS,
    heading_question,
    key_phrases,
    lower,
    people_question,
    rules,
    speak_as_visitor,
    statement_question,
    words,
)
from bot.text import STOPWORDS, content_words, normalize, stem

DATA = Path(__file__).resolve().parent / "data"
MIN_ALTERNATES = 8
# An entry answers with about this many sentences at most: a visitor asked one thing.
GROUP_SENTENCES = 3
ID_WORDS = 3
FOLLOW_UPS = 8


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
    # The question came from the heading or the sentence, not from a key phrase ("What should I know
    # about ...?"): such a question reads well enough to be offered as a starter.
    well_asked: bool = True
    # The section heading this entry's question came from ("Risks and complications"), if any.
    heading: str = ""


def _links(sentence: str) -> bool:
    """Whether a sentence leans on the one before ("This makes ...", "For example, ...")."""
    text = sentence.lower()
    return any(re.match(rf"{re.escape(word)}\b", text) for word in rules()["linking"])


def groups(section: Section) -> list[list[str]]:
    """A section's sentences in entries: a paragraph's related sentences together.

    Whole short paragraphs measured better than single sentences: a visitor's
    words rarely all come from one sentence, and the paragraph holds them. A long
    paragraph breaks before a sentence that starts a new thought (one that does
    not lean on the one before it)."""
    result: list[list[str]] = []
    for paragraph in section.paragraphs:
        current: list[str] = []
        for sentence in paragraph:
            full = len(current) >= GROUP_SENTENCES and not (_links(sentence) and len(current) < GROUP_SENTENCES + 1)
            # A list's items stay with the line that leads into it ("For 24 hours after sedation, do not:"
            # then "drink alcohol."): an item alone says the opposite of what the leaflet means.
            listed = any(s.rstrip().endswith(":") for s in current)
            if current and full and not listed:
                result.append(current)
                current = []
            current.append(sentence)
        if current:
            result.append(current)
    return result


def cue_strength(text: str, cue: dict) -> int:
    """How many of a cue's words a text uses."""
    low = " " + " ".join(w.lower() for w in words(text)) + " "
    return sum(f" {word} " in low for word in cue["words"])


def _cue_forms(text: str, phrase: str, treatment: str) -> list[str]:
    """Questions of the kinds a sentence speaks of, about its key phrase (general ones: see _general_forms)."""
    forms = []
    for cue in rules()["cues"]:
        if cue_strength(text, cue):
            forms += [f.format(phrase=phrase, treatment=treatment) for f in cue["forms"] if "{phrase}" in f]
    return forms


def _general_forms(drafts: list[Draft], treatment: str) -> None:
    """A cue's general questions ("what are the side effects") go to the entry that speaks of it most."""
    for cue in rules()["cues"]:
        strengths = [cue_strength(d.answer, cue) for d in drafts]
        if not strengths or max(strengths) == 0:
            continue
        best = drafts[strengths.index(max(strengths))]
        best.alternates += [f.format(treatment=treatment) for f in cue["forms"] if "{phrase}" not in f]


@cache
def question_bank() -> list[dict]:
    """bot/data/questionbank.yaml: the everyday questions visitors ask about any treatment, by topic."""
    return yaml.safe_load((DATA / "questionbank.yaml").read_text(encoding="utf-8"))["topics"]


def _anchor_hits(text: str, anchors: list[str]) -> list[int]:
    """Where a text uses a topic's anchors, as whole words or phrases, each place once: the longest
    anchor first ("drive home" is one use, not "drive home" and "drive")."""
    low, hits = _spaced(text), []
    for anchor in sorted(anchors, key=len, reverse=True):
        needle = _spaced(anchor)
        at = low.find(needle)
        while at >= 0:
            hits.append(at)
            low = low[: at + 1] + "#" * (len(needle) - 2) + low[at + len(needle) - 1 :]
            at = low.find(needle, at + 1)
    return hits


def _anchored(text: str, anchors: list[str]) -> int:
    """How often a text uses a topic's anchors."""
    return len(_anchor_hits(text, anchors))


def _spaced(text: str) -> str:
    return " " + " ".join(w.lower() for w in words(text)) + " "


def _speaks_of(text: str, anchors: list[str]) -> tuple[int, float]:
    """How much a text is about a topic: how often it uses the anchors, then how early (a sentence that
    opens with "Sedation ..." is about sedation more than one that ends "... after sedation")."""
    hits = _anchor_hits(text, anchors)
    return len(hits), -min(hits, default=0) / max(len(text), 1)


LEAFLET_QUESTION = "What does this leaflet cover?"
# A sentence about the leaflet itself: "This leaflet explains...", "If you have any questions after reading it".
_ABOUT_LEAFLET = re.compile(r"^(?:this|the) (?:leaflet|booklet|information sheet|guide)\b|\bafter reading (?:it|this)\b"
                            r"|^please read (?:it|this)\b", re.I)
_AFTER = frozenset(["after", "afterwards", "following", "later"])
_BEFORE = frozenset(["before", "beforehand", "prior"])
# Words that send a reader for urgent help ("an emergency stop" is no such thing).
_URGENT = re.compile(r"\b(?:urgent(?:ly)?|emergency (?:department|services|care)|a ?& ?e|999|911|112)\b", re.I)


def _written(question: str) -> str:
    """A bank question as a visitor reads it: "do i need to fast" -> "Do I need to fast?"."""
    text = re.sub(r"\bi(?=$|\s|')", "I", question)
    return text[0].upper() + text[1:] + "?"


def _bank_forms(drafts: list[Draft], treatment: str) -> None:
    """A topic's everyday questions ("when can i drive again") go to the entry whose sentences (and
    the heading it was asked from) speak of it most (its anchors: "drive", "driving"), when one does;
    a topic the leaflet never speaks of asks nothing.
    A question about something in particular ("can i wear nail polish") only where those sentences
    name it (its `needs`): the entry answers it. An entry whose question was only made of a key phrase
    ("What should I know about ...?") is asked the topic's first question instead."""
    texts = [" ".join(d.sources) for d in drafts]
    for topic in question_bank():
        # (what only looks like an anchor is no use of it: "closed on BANK HOLIDAYS" is no holiday abroad)
        strengths = [_speaks_of(_unlike(f"{d.heading} {text}", topic), topic["anchors"])
                     if _may_answer(topic, text) else (0, 0.0) for d, text in zip(drafts, texts)]
        if not strengths or max(strengths)[0] == 0:
            continue
        ranked = sorted(strengths, reverse=True)
        if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
            continue  # two entries speak of it as much ("drive" after sedation, after gas and air): neither is asked
        at = strengths.index(max(strengths))
        best, told = drafts[at], texts[at]
        questions = topic["questions"]
        asked = [*questions, *(item["ask"] for item in topic.get("specific") or []
                               if _anchored(told, item["needs"]))]
        if _URGENT.search(told):  # a warning sign is never the answer to "is some oozing normal"
            asked = [q for q in asked if not re.search(r"\bnormal\b", q)]
        asked = [q.format(treatment=treatment) for q in asked]
        if not asked:
            continue
        if not best.well_asked:
            best.alternates.append(best.question)
            best.question, best.well_asked = _written(asked[0]), True
        best.alternates += asked


def _unlike(text: str, topic: dict) -> str:
    """Text without the phrases a topic's anchors are part of but do not mean (its `unlike`)."""
    for phrase in topic.get("unlike") or []:
        text = re.sub(rf"\b{re.escape(phrase)}\b", " ", text, flags=re.I)
    return text


def _may_answer(topic: dict, text: str) -> bool:
    """Whether sentences may answer a topic at all: what tells of urgent help ("call 999 if ...") answers
    only the urgent topics ("is swelling normal" is no question for a list of warning signs), and a
    topic about before or after the treatment ("when: after") only one that speaks of that time and not
    the other ("The day before the test, stop eating" does not say when to eat afterwards)."""
    if _URGENT.search(text) and not topic.get("urgent"):
        return False
    when = topic.get("when")
    if when:
        said = {w.lower() for w in words(text)}
        own, other = (_AFTER, _BEFORE) if when == "after" else (_BEFORE, _AFTER)
        return bool(said & own) and not said & other
    return True


def alternates(group: list[str], heading: str, treatment: str) -> list[str]:
    """Ways a visitor asks what these sentences answer, from their own wording."""
    found: list[str] = []
    if heading:
        found += [heading_question(heading), " ".join(speak_as_visitor(words(heading.lower())))]
    for sentence in group:
        if _ABOUT_LEAFLET.search(sentence):
            found.append("what is this leaflet about")
        found += [statement_question(sentence, treatment), people_question(sentence)]
        phrases = key_phrases(sentence, treatment, limit=6)
        for phrase in phrases:
            found += [phrase, f"what about {phrase}"]
            if len(phrase.split()) > 1:  # "what is severe" is no question; "what is mild soreness" is
                found += [f"what is {phrase}", f"tell me about {phrase}"]
                # A phrase's words alone, as short questions ask them ("does it tighten",
                # "what about soreness"): this measured better on both blind sets than
                # the whole phrase after "does it" (414 against 409 right of 673).
                found += [f"what about {phrase.split()[-1]}", f"does it {phrase.split()[0]}"]
        for part in re.split(r"[,;:()]|\s(?:which|but|and|so|as)\s", sentence):
            tokens = words(part)
            if 3 <= len(tokens) <= 12:
                found.append(" ".join(speak_as_visitor([lower(w) for w in tokens])))
        if phrases:
            found += _cue_forms(sentence, phrases[0], treatment)
    return [" ".join(a.split()).rstrip("?").strip() for a in found if a and a.strip()]


def _literal(text: str) -> str:
    """Text an answer shows as written: its braces are no {phone}-style placeholders."""
    return text.replace("{", "{{").replace("}", "}}")


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
        if all(_ABOUT_LEAFLET.search(sentence) for sentence in group):
            heading = LEAFLET_QUESTION  # under whatever title ("Patient information leaflet")
        phrases = key_phrases(group[0], treatment)
        # A heading names what its section answers ("Preparing for your appointment"),
        # better than any one sentence under it does.
        # Where the first sentence asks nothing, so does a line that leads into a list ("More common side effects:").
        intro = group[0].rstrip().endswith(":") and len(words(group[0])) <= SUBJECT_WORDS
        asked = heading_question(heading) or statement_question(group[0], treatment) \
            or (heading_question(group[0].rstrip()[:-1]) if intro else "")
        question = asked or _topic_question(phrases)
        named = [w for w in words(heading) if w.lower() not in STOPWORDS] or phrases[:1] or [question]
        drafts.append(Draft(
            id=_slug(" ".join(named), taken), question=question,
            alternates=alternates(group, heading, treatment), answer=_literal(" ".join(group)), sources=list(group),
            well_asked=bool(asked), heading=heading,
        ))
    # Every entry of a section points at the others: neighbouring answers are never
    # a "did you mean" between each other, and the first three are offered next.
    for n, draft in enumerate(drafts):
        draft.follow_ups = [d.id for d in drafts[n + 1:] + drafts[:n]][:FOLLOW_UPS]
    return drafts


def _leaflet_words(document: str, treatment: str) -> frozenset[str]:
    subject = {stem(w) for w in normalize(treatment).split()}
    return frozenset(stem(w) for w in content_words(normalize(document))) - subject


def _left_out(alternate: str, said: frozenset[str]) -> bool:
    """Whether a hand-off's wording asks about what the leaflet never mentions.

    "can children have it" is no hand-off when the leaflet speaks of children:
    the entry drafted from that sentence should answer it."""
    return not any(stem(w) in said for w in content_words(normalize(alternate)))


def handoff_drafts(treatment: str, taken: set[str], document: str = "") -> list[Draft]:
    """The built-in hand-offs for what leaflets leave out, worded for this treatment: not those whose
    topic the leaflet covers (`covered_by`), which would tell visitors it says nothing of it, nor (unless
    `always_asked`) their wordings in the leaflet's own words."""
    said = _leaflet_words(document, treatment)
    data = [item for item in yaml.safe_load((DATA / "handoffs.yaml").read_text(encoding="utf-8"))["handoffs"]
            if not any(re.search(p, document, re.I) for p in item.get("covered_by", []))]
    kept = {item["id"] for item in data}
    drafts = []
    for item in data:
        fill = {"treatment": treatment}
        taken.add(item["id"])
        drafts.append(Draft(
            id=item["id"], type="handoff", question=item["question"].format(**fill),
            alternates=[a.format(**fill) for a in item["alternates"]
                        if item.get("always_asked") or _left_out(a.format(**fill), said)],
            answer=item["answer"].replace("{treatment}", _literal(treatment)),
            follow_ups=[i for i in item["follow_ups"] if i in kept],
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
        kept: dict[str, str] = {normalize(draft.question): ""}  # the question is no alternate of itself
        for alternate in draft.alternates:
            key = normalize(alternate)
            if key and key not in kept and owner.setdefault(key, draft.id) == draft.id:
                kept[key] = alternate
        draft.alternates = [a for a in kept.values() if a]


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
    handoffs = handoff_drafts(treatment, taken, document)
    drafts = [d for section in sections(document) for d in section_drafts(section, treatment, taken)]
    # ("This leaflet explains ..." is no first question to offer a visitor: the starters are the first entries)
    drafts.sort(key=lambda d: d.question == LEAFLET_QUESTION)
    _general_forms(drafts, treatment)
    _bank_forms(drafts, treatment)
    everything = drafts + handoffs
    _unique(everything)
    for draft in everything:
        _enough(draft, treatment)
    return everything
