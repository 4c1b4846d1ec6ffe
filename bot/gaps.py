"""What the leaflet says that no entry covers: answered from the leaflet when no entry answers.

A clinic may write entries for part of its leaflet only. The rest is still the
clinic's information: its uncited sentences are drafted as `faqbot init`
drafts them (a visitor's question and wordings from the sentence's own
words) and kept apart from the clinic's entries. Only when the clinic's
entries give no answer are they asked, ranked together with the clinic's own
entries and the built-in hand-offs (price, sessions, pain ...), and one
answers only when it comes first, by a clear margin, with a confidence
higher than an entry needs: a leaflet sentence never overrides what the clinic
wrote, and never answers what the leaflet does not say.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.drafting import Draft, handoff_drafts, section_drafts
from bot.gsm import SMS_LIMIT, shorten, to_gsm
from bot.knowledge import Entry, Knowledge, same_sentence
from bot.leaflet import Section, sections
from bot.retrieval import Candidate, Index, Query
from bot.text import normalize
from bot.yamlfile import fill_in

# The id every entry drafted from the leaflet at load starts with.
PREFIX = "leaflet-"
SAYS = "The clinic's leaflet says: "


def uncovered_sections(knowledge: Knowledge) -> list[Section]:
    """The leaflet's sections with only the sentences no entry gives as a source (headings aside)."""
    cited = {same_sentence(s) for e in knowledge.entries for s in e.sources}
    result = []
    for section in sections(knowledge.document):
        paragraphs = tuple(p for p in (tuple(s for s in paragraph if same_sentence(s) not in cited)
                                       for paragraph in section.paragraphs) if p)
        if paragraphs:
            result.append(Section(section.heading, paragraphs))
    return result


def leaflet_entries(knowledge: Knowledge) -> tuple[Entry, ...]:
    """An answer entry for each group of uncited sentences, and the built-in hand-offs for what
    leaflets leave out, with none of the folder's own wordings and no follow-ups: each is
    judged on its own, never as a neighbour of another."""
    taken = {e.id for e in knowledge.entries}
    treatment = knowledge.clinic.treatment
    drafts = [d for section in uncovered_sections(knowledge) for d in section_drafts(section, treatment, taken)]
    if not drafts:
        return ()
    drafts += handoff_drafts(treatment, set(taken), knowledge.document)
    owned = {normalize(p) for e in knowledge.entries for p in e.phrasings}
    entries = []
    for draft in drafts:
        wordings = [w for w in dict.fromkeys([draft.question, *draft.alternates]) if normalize(w) not in owned]
        owned.update(normalize(w) for w in wordings)
        if wordings:
            entries.append(_entry(draft, wordings, knowledge))
    return tuple(entries)


def _entry(draft: Draft, wordings: list[str], knowledge: Knowledge) -> Entry:
    if draft.type == "answer":
        answer = SAYS + " ".join(draft.sources)
    else:  # the built-in hand-off's text, with this clinic's details
        answer = fill_in(draft.answer, knowledge.clinic.placeholders())
    return Entry(id=PREFIX + draft.id, type=draft.type, question=wordings[0], alternates=tuple(wordings[1:]),
                 answer=answer, sms=_sms(answer, knowledge), sources=tuple(draft.sources), follow_ups=())


def _sms(answer: str, knowledge: Knowledge) -> str:
    """The answer as a text; when it is too long for one, what fits and where to hear the rest
    (a leaflet's paragraph may end with what matters most, and no one has written a short form)."""
    text = to_gsm(answer)
    if len(text) <= SMS_LIMIT:
        return text
    rest = to_gsm(f" The leaflet says more: call {knowledge.clinic.phone}.")
    return shorten(text, SMS_LIMIT - len(rest)) + rest


class Leaflet:
    """The clinic's entries with the leaflet's uncovered sentences and the built-in hand-offs."""

    def __init__(self, knowledge: Knowledge, extra: tuple[Entry, ...], cache: Path | None = None) -> None:
        self.index = Index(replace(knowledge, entries=knowledge.entries + extra), cache)

    @classmethod
    def of(cls, knowledge: Knowledge, cache: Path | None = None) -> Leaflet | None:
        """None when every sentence of the leaflet is some entry's source."""
        extra = leaflet_entries(knowledge)
        return cls(knowledge, extra, cache) if extra else None

    def rank(self, query: Query) -> list[Candidate]:
        return self.index.rank(query, limit=6)

    @staticmethod
    def answers(candidates: list[Candidate]) -> bool:
        """Whether the best match is one of the leaflet's sentences (not an entry or a hand-off)."""
        return bool(candidates) and candidates[0].entry.id.startswith(PREFIX) and candidates[0].entry.type == "answer"
