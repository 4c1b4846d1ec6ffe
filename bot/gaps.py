"""What the leaflet says that no entry covers, drafted as entries the bot answers from.

A clinic may write entries for part of its leaflet only. The rest is still the
clinic's information: its sentences are drafted as `faqbot init` drafts them
(a visitor's question and wordings from the sentence's own words), answered
as what the leaflet says, and decided on like any entry, so that a question
the leaflet answers is answered only when the match is as sure as any other.
They are built at load and never written to the folder.
"""

from __future__ import annotations

from dataclasses import replace

from bot.drafting import Draft, handoff_drafts, section_drafts
from bot.gsm import sms_form
from bot.knowledge import Entry, Knowledge, same_sentence
from bot.leaflet import Section, sections
from bot.text import normalize

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
    leaflets leave out (price, sessions ...: a leaflet's sentence must not answer them), with none
    of the folder's own wordings."""
    taken = {e.id for e in knowledge.entries}
    treatment = knowledge.clinic.treatment
    drafts = [d for section in uncovered_sections(knowledge) for d in section_drafts(section, treatment, taken)]
    if not drafts:
        return ()
    drafts += handoff_drafts(treatment, set(taken), knowledge.document)
    owned = {normalize(p) for e in knowledge.entries for p in e.phrasings}
    ids = {d.id: PREFIX + d.id for d in drafts}
    entries = []
    for draft in drafts:
        wordings = [w for w in dict.fromkeys([draft.question, *draft.alternates]) if normalize(w) not in owned]
        owned.update(normalize(w) for w in wordings)
        if wordings:
            entries.append(_entry(draft, wordings, ids, knowledge))
    kept = {e.id for e in entries}
    return tuple(replace(e, follow_ups=tuple(f for f in e.follow_ups if f in kept)) for e in entries)


def _entry(draft: Draft, wordings: list[str], ids: dict[str, str], knowledge: Knowledge) -> Entry:
    if draft.type == "answer":
        answer = SAYS + " ".join(draft.sources)
    else:  # the built-in hand-off's text, with this clinic's details
        answer = draft.answer.format(**knowledge.clinic.placeholders())
    return Entry(id=ids[draft.id], type=draft.type, question=wordings[0], alternates=tuple(wordings[1:]),
                 answer=answer, sms=sms_form(answer), sources=tuple(draft.sources),
                 follow_ups=tuple(ids[f] for f in draft.follow_ups if f in ids))


def with_leaflet(knowledge: Knowledge) -> Knowledge:
    """The knowledge with entries for what the leaflet says and no entry covers."""
    extra = leaflet_entries(knowledge)
    return replace(knowledge, entries=knowledge.entries + extra) if extra else knowledge
