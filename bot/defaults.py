"""Built-in, treatment-neutral small talk and synonyms, and a clinic's optional files that add to them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.text import normalize
from bot.yamlfile import Checker, KnowledgeError, LineDict, LineList, read_yaml

BUILT_IN = Path(__file__).resolve().parent / "data"
INTENT_TYPES = ("smalltalk", "handoff")


@dataclass(frozen=True)
class Intent:
    """Small talk or a request for a person, matched on the whole message."""

    id: str
    type: str
    patterns: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class SafetyWords:
    """A treatment's own contraindications (safety.yaml): a person who has one is handed to the clinic."""

    medicines: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    symptoms: tuple[str, ...] = ()
    # Symptoms this treatment's leaflet calls an emergency: urgent care comes first.
    urgent: tuple[str, ...] = ()
    # What the leaflet answers for anyone, told as one's own or not ("I'm breastfeeding, can I have
    # it?" where the leaflet says the implant can be used while breastfeeding): no sign of one's own situation.
    answered: tuple[str, ...] = ()


def read_synonyms(folder: Path, check: Checker) -> dict[str, str]:
    """The built-in formal and everyday English and synonyms, with the clinic's synonyms.yaml (if any) on top."""
    formal = _with_inflections(_synonym_table(BUILT_IN / "formal.yaml", check, "plain"))
    everyday = merge_synonyms(formal, _synonym_table(BUILT_IN / "everyday.yaml", check, "plain"))
    built_in = merge_synonyms(everyday, _synonym_table(BUILT_IN / "synonyms.yaml", check))
    path = folder / "synonyms.yaml"
    return merge_synonyms(built_in, _synonym_table(path, check) if path.exists() else {})


def _with_inflections(table: dict[str, str]) -> dict[str, str]:
    """A one-word formal variant in its other forms too ("employed", "employing" as "employ" is)."""
    terms = set(table.values())
    more = {}
    for variant, term in table.items():
        if " " in variant or len(variant) < 4:
            continue
        for form in _inflections(variant):
            if form not in table and form not in terms:
                more.setdefault(form, term)
    return {**more, **table}


def _inflections(word: str) -> set[str]:
    stem = word[:-1] if word.endswith("e") else word
    forms = {f"{stem}ing", f"{stem}ed" if not word.endswith("e") else f"{word}d", f"{word}s"}
    if word.endswith(("s", "x", "ch", "sh")):
        forms.add(f"{word}es")
    if word.endswith("y") and word[-2] not in "aeiou":
        forms |= {f"{word[:-1]}ies", f"{word[:-1]}ied"}
    return forms


def merge_synonyms(built_in: dict[str, str], own: dict[str, str]) -> dict[str, str]:
    """One variant -> term table; the clinic's own pairs win, and no term is itself a variant."""
    own_terms = set(own.values())
    table = {variant: term for variant, term in built_in.items() if variant not in own_terms}
    table.update(own)
    # A built-in term that the clinic reads as another word follows the clinic:
    # a question and a phrasing must end on the same word whichever they used.
    for variant, term in table.items():
        seen = {variant}
        while term in table and term not in seen:
            seen.add(term)
            term = table[term]
        table[variant] = term
    return {variant: term for variant, term in table.items() if variant != term}


def _synonym_table(path: Path, check: Checker, key: str = "") -> dict[str, str]:
    data = read_yaml(path)
    if key and isinstance(data, LineDict):
        data = data.get(key)
    if data is None:  # an empty file adds nothing
        return {}
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


def read_intents(folder: Path, check: Checker, values: dict[str, str]) -> tuple[Intent, ...]:
    """The built-in intents; the clinic's smalltalk.yaml adds intents, or patterns and an answer to one."""
    intents = {i.id: i for i in _intents(BUILT_IN / "smalltalk.yaml", check, values, {})}
    path = folder / "smalltalk.yaml"
    if path.exists():
        for own in _intents(path, check, values, intents):
            base = intents.get(own.id)
            patterns = base.patterns + own.patterns if base else own.patterns
            intents[own.id] = Intent(own.id, own.type, patterns, own.answer)
    return tuple(intents.values())


def _intents(path: Path, check: Checker, values: dict[str, str], known: dict[str, Intent]) -> list[Intent]:
    data = read_yaml(path)
    if data is None:
        return []
    items = data.get("intents") if isinstance(data, LineDict) else None
    if not isinstance(items, LineList):
        raise KnowledgeError([f"{path.name}:1: expected 'intents:' with a list of intents"])
    intents, seen = [], set()
    for item in items:
        if not isinstance(item, LineDict):
            check.add(path, items.line, "each intent must be a mapping")
            continue
        check.keys(path, item, {"id", "type", "patterns", "answer"}, "an intent")
        intent_id = check.text(path, item, "id")
        if intent_id in seen:  # the second would silently take over the first's patterns and answer
            check.add(path, item.line_of("id"), f"intent id '{intent_id}' is used twice in {path.name}")
        seen.add(intent_id)
        base = known.get(intent_id)
        kind = item.get("type", base.type if base else "smalltalk")
        if kind not in INTENT_TYPES:
            check.add(path, item.line_of("type"), f"type must be one of {', '.join(INTENT_TYPES)}")
        # A built-in intent keeps its answer when the clinic only adds patterns.
        answer = check.text(path, item, "answer", required=base is None)
        answer = check.fill(answer, values, path, item.line_of("answer")) if answer else base.answer if base else ""
        intents.append(Intent(intent_id, str(kind), check.texts(path, item, "patterns"), answer))
    return intents


def read_safety(folder: Path, check: Checker) -> SafetyWords:
    """safety.yaml, if the clinic has one: the words of its treatment's contraindications."""
    path = folder / "safety.yaml"
    if not path.exists():
        return SafetyWords()
    data = read_yaml(path)
    if data is None:
        return SafetyWords()
    if not isinstance(data, LineDict):
        raise KnowledgeError([f"{path.name}:1: expected 'medicines:', 'conditions:', 'symptoms:', 'urgent:' "
                              "or 'answered:' lists"])
    keys = ("medicines", "conditions", "symptoms", "urgent", "answered")
    check.keys(path, data, set(keys), "safety.yaml")
    return SafetyWords(*(check.texts(path, data, key) for key in keys))
