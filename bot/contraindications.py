"""A treatment's own contraindications, drafted from the leaflet for safety.yaml.

A leaflet says who should not have its treatment ("We will not offer it if you
have ever had a deep vein thrombosis (DVT) or a pulmonary embolism"); a visitor
who says they have one of these ("I had a DVT in 2019, can I go ahead?") is
handed to the clinic. Only the conditions are drafted: pregnancy, medicines and
symptoms are the built-in triage's already, and what it already knows is left out.
"""

from __future__ import annotations

import re

from bot.leaflet import sections
from bot.text import fold
from bot.triage import CONDITION, MEDICINE, PREGNANCY, SYMPTOMS

# A sentence that keeps someone from the treatment, or asks them to check first.
_RESTRICTS = re.compile(
    r"\b(?:(?:will|would|can|could|do|does|may|should|must) ?not|won'?t|can'?t|cannot|shouldn'?t|mustn'?t|"
    r"wouldn'?t|not (?:suitable|advised|recommended|offered)|unsuitable|"
    r"(?:tell|inform) us (?:before|first|beforehand|in advance)|let us know (?:before|first|beforehand|in advance)|"
    r"check with (?:us|your \w+)|postpone|avoid)\b", re.I)
# A heading over such sentences: "Who should not have it?", "Who should check with us first".
_RESTRICTING_HEADING = re.compile(r"\b(?:should not|shouldn'?t|not suitable|can'?t have|cannot have|check with us|"
                                  r"before you book|who is it not for|contraindicat\w*)\b", re.I)
_IF_YOU = re.compile(r",?\s*(?:\b(?:or|and)\s+)?\bif you\b", re.I)
# What comes before the condition in "if you ...": the verb that says you have it.
_HAVING = re.compile(
    r"^(?:(?:are|have|had|currently have|have (?:or have )?(?:ever )?had|have recently had|ever had|suffer from|"
    r"were|live with|are living with)\s+(?:(?:or|and)\s+)?)+(?:(?:a|an|any|the|some) )?"
    r"(?:(?:history|past history) of )?(?:(?:a|an|any|the) )?", re.I)
# Where the condition ends: "ear surgery | in the last three months", "an ear infection | with pain".
_TAIL = re.compile(r"\s+(?:in the (?:last|past)|within|with|that|which|who|because|as|so|we|please|when|at)\b.*$",
                   re.I)
_ABBREVIATION = re.compile(r"\(([A-Z]{2,6})\)")
_ASIDE = re.compile(r"\s*\([^)]*\)")
MAX_WORDS = 4
# What follows "if you are" or "if you have" without being a condition: "if you are unsure, or if you
# have any questions", "if you are late for your appointment".
NOT_CONDITIONS = frozenset("""question questions query queries concern concerns worry worries doubt doubts
unsure sure uncertain worried nervous anxious late early happy ready interested able unable free time
appointment booking risk risks""".split())
# An item that starts so is a step, not a condition: "if you are invited while pregnant, LET US know and ...".
STEPS = frozenset("let i we us you it they".split())
# What names no condition on its own ("if you have a condition, ask us"), though "a skin condition" does.
UNNAMED = frozenset("condition conditions problem problems illness illnesses".split())
# "Even if you have had the HPV vaccine, you should still go": what does not change the advice.
_EVEN_IF = re.compile(r",?\s*\beven if you\b", re.I)
# A condition is named by a noun: an item that starts with one of these is what one does or where one is
# ("been drinking", "at frequent [risk]", "such as working with animals", "going abroad"); one of
# LEADING is left off ("on dialysis", "in heart failure", "very poor circulation").
NOT_NAMING = frozenset("""been being at to for from about such as like going travelling traveling planning leaving
visiting working staying taking having""".split())
LEADING = frozenset("on in with very".split())
_BUILT_IN = re.compile("|".join((CONDITION, MEDICINE, PREGNANCY, SYMPTOMS)))


def contraindications(document: str) -> list[str]:
    """The conditions a leaflet says keep a person from its treatment, as safety.yaml's words."""
    found: list[str] = []
    for section in sections(document):
        restricting = bool(_RESTRICTING_HEADING.search(section.heading))
        for sentence in (s for paragraph in section.paragraphs for s in paragraph):
            if restricting or _RESTRICTS.search(sentence):
                found += [c for c in _conditions(sentence) if c not in found and not _BUILT_IN.search(fold(c))]
    return found


def _conditions(sentence: str) -> list[str]:
    """The conditions named in a sentence's "if you have ..." clauses."""
    clauses = _IF_YOU.split(_EVEN_IF.sub("; ", sentence.rstrip(".!?")))[1:]
    result: list[str] = []
    for clause in clauses:
        clause = clause.split(";")[0].strip()
        having = _HAVING.match(clause)
        if having is None or not having.group(0).strip():
            continue  # "if you would like": not a condition
        result += _ABBREVIATION.findall(clause)
        rest = _TAIL.sub("", _ASIDE.sub("", clause[having.end():]))
        for item in re.split(r",\s*|\s+or\s+|\s+and\s+", rest):
            item = re.sub(r"^(?:(?:a|an|any|the|have|had|ever had|are)\s+)+", "", item.strip(), flags=re.I)
            words = item.split()
            if NOT_CONDITIONS & {w.lower() for w in words} or re.search(r"\d", item):
                continue  # "any questions", "under 18"
            if words and (words[0].lower() in STEPS or item.lower() in UNNAMED):
                continue  # "let us know", "a condition"
            while len(words) > 1 and words[0].lower() in LEADING:
                words = words[1:]
            item = " ".join(words)
            if words and words[0].lower() in NOT_NAMING:
                continue  # "if you have been drinking", "if you are at frequent or ongoing risk, such as ..."
            if 0 < len(words) <= MAX_WORDS and re.search(r"[A-Za-z]{3}", item):
                result.append(item if item.isupper() else item.lower())
    return result


def safety_yaml(conditions: list[str], leaflet: str) -> str:
    """safety.yaml's text for the drafted conditions, with a header for the reviewer."""
    items = ", ".join(_flow(c) for c in conditions)
    return (f"# Drafted by `faqbot init` from what {leaflet} says keeps a person from the treatment.\n"
            "# Someone who says they have one of these is handed to the clinic instead of answered\n"
            "# (pregnancy, common medicines and conditions and symptoms are built in). Check the list:\n"
            "# plain words, one per item, plurals are matched too; add the treatment's own medicines\n"
            "# under 'medicines:' if the leaflet names any.\n"
            f"conditions: [{items}]\n")


def _flow(item: str) -> str:
    return item if re.fullmatch(r"[A-Za-z][A-Za-z0-9 '-]*", item) else '"' + item.replace('"', "'") + '"'

