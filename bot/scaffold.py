"""`faqbot init`: a new knowledge folder from a leaflet, ready to check, try and review."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from bot.clinic import treatment_from_title
from bot.contraindications import contraindications, safety_yaml
from bot.drafting import MIN_ALTERNATES, Draft, draft_entries
from bot.leaflet import read_leaflet
from bot.questions import rules
from bot.yamlfile import KnowledgeError

CLINIC_TEMPLATE = """\
# {name}'s details, used in hand-off replies, the widget and SMS.
# EXAMPLE VALUES: replace phone, email, hours and booking_url with your clinic's
# real details, then delete the line 'example: true' (faqbot check warns until then).
example: true
name: {name_q}
phone: "+1 555 0100"
email: hello@example-clinic.test
hours: Mon-Fri 9am-5pm
booking_url: https://example-clinic.test/book
treatment: {treatment_q}
# Who a patient should ask when the bot cannot advise: doctor, dentist, physiotherapist, audiologist...
clinician: {clinician}
disclaimer: This assistant gives general information from {name_plain}'s leaflet, not medical advice.
# Your country's emergency number, named first in urgent advice ("call 999"): uncomment and set it.
# emergency_phone: "999"
"""

FAQ_HEADER = """\
# Drafted by `faqbot init` from {leaflet}. Every entry is marked `draft: true`
# until a member of staff has read it: check that the question is one a visitor
# would ask, that the answer reads well and says only what the leaflet says, and
# add the ways your visitors ask it to `alternates` (plain, then formal, a
# learner's English, a statement, a negation: see "Wordings that work" in the
# README); then delete its `draft: true` line. `faqbot check` lists the
# entries still in draft.
# Each entry: id, type (answer or handoff), question, alternates (8 or more),
# answer ({{name}} {{phone}} {{email}} {{hours}} {{booking_url}} come from clinic.yaml),
# sources (sentences copied exactly from the leaflet), follow_ups (entry ids).
"""


class FolderExists(Exception):
    """The target folder already holds files and --force was not given."""


def _quoted(text: str) -> str:
    return yaml.safe_dump(text, default_style=None, width=10_000).strip().removesuffix("...").strip()


def _entry_yaml(draft: Draft) -> str:
    item: dict[str, object] = {"id": draft.id}
    if draft.type != "answer":
        item["type"] = draft.type
    item.update({"draft": True, "question": draft.question, "alternates": draft.alternates, "answer": draft.answer})
    if draft.sources:
        item["sources"] = draft.sources
    item["follow_ups"] = draft.follow_ups
    text = yaml.safe_dump([item], sort_keys=False, allow_unicode=True, width=10_000, indent=2)
    return re.sub(r"^", "  ", text, flags=re.M).rstrip(" ") + "\n"


def faq_yaml(drafts: list[Draft], leaflet: str) -> str:
    """faq.yaml's text: a header for the reviewer, then one block per entry."""
    # The widget offers the starters as the first questions: the first ones that read well.
    answers = [d.id for d in drafts if d.type == "answer" and d.well_asked][:3]
    body = "".join(_entry_yaml(d) for d in drafts)
    return FAQ_HEADER.format(leaflet=leaflet) + f"starters: [{', '.join(answers)}]\nentries:\n" + body


def clinic_yaml(name: str, treatment: str, clinician: str = "doctor") -> str:
    return CLINIC_TEMPLATE.format(name=name, name_q=_quoted(name), treatment_q=_quoted(treatment), name_plain=name,
                                  clinician=_quoted(clinician))


def clinician_of(document: str) -> str:
    """The clinician the leaflet names most ("your physiotherapist will ..."), else a doctor."""
    counts = Counter(w.lower() for w in re.findall(r"[A-Za-z]+", document))
    named = [(counts[c.lower()], c) for c in rules()["clinicians"] if counts[c.lower()]]
    return max(named, key=lambda pair: pair[0])[1] if named else "doctor"


def init_folder(folder: Path, document: Path, clinic_name: str | None, treatment: str | None,
                force: bool = False) -> list[Draft]:
    """Write leaflet, clinic.yaml, a drafted faq.yaml (and safety.yaml) into `folder`; return the drafts."""
    text = read_leaflet(document)  # refuses a bad leaflet before anything is written
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())) and not force:
        raise FolderExists(f"{folder} already exists and is not empty; use --force to replace it")
    subject = (treatment or "").strip() or treatment_from_title(text)
    drafts = draft_entries(text, subject)
    if folder.exists() and not folder.is_dir():
        raise FolderExists(f"{folder} is a file, not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    # A folder holds one leaflet: --force replaces the old one (and its two files), nothing else.
    for old in folder.glob("*.txt"):
        old.unlink()
    leaflet_name = re.sub(r"[^A-Za-z0-9._-]+", "-", document.stem).strip("-.") or "leaflet"
    (folder / f"{leaflet_name}.txt").write_text(text, encoding="utf-8")
    name = (clinic_name or "").strip() or "Example Clinic"
    (folder / "clinic.yaml").write_text(clinic_yaml(name, subject, clinician_of(text)), encoding="utf-8")
    (folder / "faq.yaml").write_text(faq_yaml(drafts, f"{leaflet_name}.txt"), encoding="utf-8")
    # Who the leaflet says should not have it: a visitor who says they are one is handed to the clinic.
    conditions = contraindications(text)
    if conditions:
        (folder / "safety.yaml").write_text(safety_yaml(conditions, f"{leaflet_name}.txt"), encoding="utf-8")
    else:
        (folder / "safety.yaml").unlink(missing_ok=True)  # --force: not the old leaflet's
    if _reachable(folder, drafts):
        (folder / "faq.yaml").write_text(faq_yaml(drafts, f"{leaflet_name}.txt"), encoding="utf-8")
    return drafts


def _reachable(folder: Path, drafts: list[Draft]) -> bool:
    """Take out the drafted wordings that would never reach their entry (the safety checks, small talk or
    a request for a person answer them first: see `faqbot check`); whether any were."""
    from bot.engine import Bot  # (a bot is only built once the folder is written)
    from bot.knowledge import load_knowledge
    from bot.staff import intercepted

    try:
        taken = {found.entry: {w for w, _ in found.wordings} for found in intercepted(Bot(load_knowledge(folder)))}
    except KnowledgeError:
        return False  # `init` says what does not load
    for draft in drafts:
        lost = taken.get(draft.id, set())
        kept = [a for a in draft.alternates if a not in lost]
        if not lost or len(kept) < MIN_ALTERNATES + (draft.question in lost):
            continue  # (an entry keeps its minimum of wordings; `faqbot check` warns of the rest)
        if draft.question in lost:
            first = kept.pop(0)
            draft.question = first[:1].upper() + first[1:] + "?"
        draft.alternates = kept
    return bool(taken)
