"""Deciding what to say: intents, triage, retrieval, follow-ups, thresholds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.calibration import load_calibration
from bot.defaults import Intent
from bot.gaps import Leaflet
from bot.intents import IntentMatcher, strip_preamble
from bot.knowledge import Entry, Knowledge
from bot.retrieval import LONG_WORDS, Candidate, Index, Query, written_names
from bot.sessions import Session
from bot.settings import Thresholds
from bot.text import CLAUSE_BREAK, STOPWORDS, clauses, normalize, stem
from bot.triage import Safety, Triage, sentences
from bot.yamlfile import fill_in

# Logistic calibration of the top candidate's features (see `features`) into
# P(the top entry is right): written by bench/calibrate.py, which fits it on
# labelled questions of two clinics (bot/calibration.py).
CALIBRATION = load_calibration()

# Follow-ups: how much an entry related to the previous answer is favoured,
# and how much the previous answer itself is held back (people rarely ask
# the same thing twice in a row).
FOLLOW_UP_BOOST = 0.08
# "how long does THAT last": a pointing word ties the message to the previous
# topic, so related entries gain and unrelated ones lose.
ANAPHORA_BOOST = 0.10
ANAPHORA = re.compile(r"\b(?:that|those|them|they|these)\b")
HOW = re.compile(r"\bhow (long|often|soon|much|many|far|quickly|early|late)\b")
# A bare "why?" asks for the reason behind the previous answer: one of its follow-ups.
WHY = re.compile(r"^(?:but |and |ok |so )?(?:why|why not|why so|why is that|how come|how so)$")
REPEAT_PENALTY = 0.10
# A long message is read part by part unless more than this share of its words are
# unknown: then it is about something else ("my car broke down... how long to fix?").
STORY_FOREIGN = 0.5
# A part that asks ("How long does it take before people feel the benefit?") is the question unless a
# statement of the story matches this much more surely.
ASKED_MARGIN = 0.1
_ASKS = re.compile(r"^(?:who|what|whats|why|when|where|how|which)\b", re.I)
# Where `clauses` breaks a message, kept: a question mark after a part says that it asks.
_PART_BREAK = re.compile(f"({CLAUSE_BREAK.pattern})", CLAUSE_BREAK.flags)
# A long message is read in at most this many parts, counted from its end.
MAX_PARTS = 8
# A follow-up this sure on its own names its own topic ("so no cuts?") and is not read in the previous one's light.
OWN_TOPIC = 0.8
POINTING = re.compile(r"\b(?:that|this|those|them|they|these|one)\b")
KINDS = frozenset("kind kinds sort sorts type types".split())
# "that" before a clause's subject joins the clause ("is it true that the ..."), after these it starts one
# about them ("something that can help"): neither points back.
CLAUSE_SUBJECTS = frozenset("the a an my your his her our their i you he she we it there some someone people".split())
ANYTHING = frozenset("something anything everything nothing someone anyone everyone people thing things".split())
COPULAS = frozenset("is are was were am be been".split())
# "this OPERATION" after a story of another operation points back to it ("keyhole surgery ... this operation").
PROCEDURES = frozenset("treatment treatments procedure procedures operation operations surgery surgeries op therapy"
                       .split())
# A story about someone or something else: "this treatment" is then theirs
# ("my neighbour had a peel ... this treatment").
SOMEONE_ELSE = re.compile(
    r"\b(?:he|she|his|her|him|they|their|my (?:\w+ )?(?:neighbour|neighbor|friend|sister|brother|mum|mom|mother|dad|"
    r"father|son|daughter|wife|husband|partner|grandson|granddaughter|grandma|grandmother|grandad|grandfather|gran|"
    r"granny|nan|aunt|auntie|uncle|cousin|colleague|boss|child|children|kids?|baby|toddler|niece|nephew|dog|cat|"
    r"horse|rabbit|pet|vet))\b")
# The leaflet's own sentences answer only this surely: a wrong answer is worse than none.
LEAFLET_AT = 0.8
EXPANDED_DISCOUNT = 0.05

REFERS_BACK = re.compile(
    r"^(?:and|also|but|so|then|what about|how about|and what about|same for|what if)\b"
    r"|\b(?:those|that|them|they|these|then|too|as well|either)\b"
)
PICKS = {
    "1": 0, "one": 0, "first": 0, "the first": 0, "the first one": 0, "1st": 0, "option 1": 0, "number 1": 0,
    "2": 1, "two": 1, "second": 1, "the second": 1, "the second one": 1, "2nd": 1, "option 2": 1, "number 2": 1,
    "3": 2, "three": 2, "third": 2, "the third": 2, "the third one": 2, "3rd": 2, "option 3": 2, "number 3": 2,
}

# How urgent advice begins. A hand-off that begins so is urgent: the widget marks it and leads with the
# emergency call (bot/static/widget.js holds the same words; a reply carries no other sign of it).
URGENT_OPENING = "If it feels severe or is getting worse quickly"


@dataclass
class Outcome:
    """What the dialogue decided, before it is rendered for a channel."""

    type: str
    answer: str
    confidence: float = 0.0
    entry: Entry | None = None
    suggestions: list[Entry] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    sms: str = ""


def _named_before(word: str, rest: str) -> bool:
    """The rest of the message names what "this" points to: the same thing ("my tattoo artist uses fine
    needles ... this needle"), another procedure ("keyhole surgery ... this operation"), or it is about
    someone else ("my sister ...")."""
    said = {stem(w) for w in rest.split()}
    if stem(word) in said:
        return True
    if word in PROCEDURES and said & {stem(w) for w in PROCEDURES}:
        return True
    return bool(SOMEONE_ELSE.search(rest))


class Dialogue:
    """One knowledge base's conversation policy."""

    def __init__(self, knowledge: Knowledge, thresholds: Thresholds, cache: Path | None = None) -> None:
        self.knowledge = knowledge
        self.calibration = CALIBRATION
        self.thresholds = thresholds
        self.index = Index(knowledge, cache)
        asked = frozenset(w for row in self.index.rows for w in row.split())
        self.intents = IntentMatcher(knowledge.intents, self.index.topical, asked, knowledge.clinic.clinician)
        self.safety = Safety(knowledge.safety, knowledge.clinic.treatment, knowledge.document)
        self.clinic = knowledge.clinic
        self._position = {e.id: i for i, e in enumerate(knowledge.entries)}
        self._plain_questions = {e.id: normalize(e.question) for e in knowledge.entries}
        self.leaflet = Leaflet.of(knowledge, cache)

    def plain(self, message: str) -> str:
        """A message normalised, with the clinic's abbreviations said letter by letter ("e c g") as one word."""
        return normalize(message, spelt=self.index.abbreviations)

    def respond(self, message: str, session: Session) -> Outcome:
        """Decide the reply to one message and update the session."""
        outcome = self._decide(message, session)
        if outcome.type in ("answer", "handoff") and outcome.entry is not None and outcome.entry.id in self._position:
            session.last_entry = outcome.entry.id  # (an answer from the leaflet is no entry to follow up)
        session.options = [e.id for e in outcome.suggestions]
        session.turns += 1
        return outcome

    def _decide(self, message: str, session: Session) -> Outcome:
        plain = self.plain(message)
        early = self.screen(message, plain, session)
        if early is not None:
            return early
        query, candidates = self.retrieve(message, plain, session)
        if not query.text:
            return self._fallback([])
        return self._choose(query, candidates)

    def screen(self, message: str, plain: str, session: Session) -> Outcome | None:
        """What is decided before retrieval: a pick from the options, small talk, safety."""
        picked = self._picked(plain, session)
        if picked is not None:
            return self._answer(picked, 1.0, [])
        intent = self._intent(message, plain)
        if intent is not None and intent.type == "handoff":
            # A request for the clinic that tells of symptoms, medicines or pregnancy gets triage's reply:
            # "I have chest pain since my injections, can you book me in" needs the urgent advice first.
            triage = self._triaged(message)
            if triage is not None:
                return self._triage(triage)
        if intent is not None:
            starters = [] if intent.type == "handoff" else self.starters()
            return Outcome(intent.type, intent.answer, 1.0, suggestions=starters, sms=intent.answer)
        triage = self._triaged(message)
        return self._triage(triage) if triage is not None else None

    def taken_by(self, message: str) -> str | None:
        """What takes a message before any entry is matched: "smalltalk", "handoff" (asking for a
        person), "safety" (the person's own situation), or None."""
        intent = self._intent(message, self.plain(message))
        if intent is not None:
            return intent.type
        return "safety" if self._triaged(message) is not None else None

    def _intent(self, message: str, plain: str) -> Intent | None:
        return self.intents.recognise(plain, clauses(message), self.index.corrected)

    def _triaged(self, message: str) -> Triage | None:
        # Triage reads the message as written and with its misspellings corrected, sentence by sentence.
        corrected = ". ".join(self.index.corrected(self.plain(part)) for part in sentences(message))
        return self.safety.assess(message) or self.safety.assess(corrected)

    def retrieve(self, message: str, plain: str, session: Session) -> tuple[Query, list[Candidate]]:
        """The question as matched (a long message's clearest part) and its best entries."""
        names = written_names(message)
        query = self.index.query(strip_preamble(plain), names)
        if not query.text:
            return query, []
        candidates = self._rank(query, plain, session)
        if len(plain.split()) >= LONG_WORDS and query.foreign_share <= STORY_FOREIGN:
            query, candidates = self._best_part(message, query, candidates, session, names)
        return query, candidates

    def _best_part(self, message: str, whole: Query, candidates: list[Candidate], session: Session,
                   names: frozenset[str]) -> tuple[Query, list[Candidate]]:
        """A long message's question is often one part of it: the part (or two
        neighbouring parts) matched most confidently, if better than the whole.
        The whole message's unknown words still count against every part, and a
        part that points elsewhere ("what is the recovery like for THAT") cannot
        stand alone when the rest of the message names something unknown."""
        parts = clauses(message)[-MAX_PARTS:]  # the question is near the end, and each part costs a ranking
        windows = parts + [f"{a} {b}" for a, b in zip(parts, parts[1:])] if len(parts) > 1 else []
        lasts = parts + parts[1:]  # each window's last part
        asking = _asking_parts(message)
        best = (self.confidence(whole, candidates), whole, candidates)
        asked: tuple[float, Query, list[Candidate]] | None = None
        said = self.plain(message)
        for window, last in zip(windows, lasts):
            plain = self.plain(window)
            query = self.index.part(strip_preamble(plain), whole, names)
            if not query.content or (whole.foreign and self._points_away(plain, said.replace(plain, " "))):
                continue
            ranked = self._rank(query, plain, session)
            confidence = self.confidence(query, ranked)
            # A part in words every entry uses ("would it help") needs to be sure.
            topical = bool(set(query.content) - self.index.generic) or confidence >= self.thresholds.sure
            if topical and confidence > best[0]:
                best = (confidence, query, ranked)
            if topical and last in asking and (asked is None or confidence > asked[0]):
                asked = (confidence, query, ranked)
        # The part that asks, when it is answered, unless a statement is clearly surer.
        if asked is not None and asked[0] >= max(best[0] - ASKED_MARGIN, self.thresholds.answer):
            return asked[1], asked[2]
        return best[1], best[2]

    def _points_away(self, plain: str, rest: str) -> bool:
        """A part that speaks of something said before it ("how long to fix THAT", "will THEY last",
        "are THESE machines safe"), not one that names what it asks about: "can THIS treatment help",
        "THIS KIND OF procedure" (this and a word the knowledge is about). After "is", "this" is what
        something is said of ("is THIS safe"), and points back. "one" before what it counts ("just ONE
        implant") and "that" joining a clause ("is it true THAT the bone ...") point at nothing."""
        for found in POINTING.finditer(plain):
            before, after = plain[:found.start()].split()[-1:], plain[found.end():].split()
            if found.group() == "one" and after and after[0] not in STOPWORDS:
                continue  # a number before what it counts ("just one implant"), not "which one is best"
            joins = after[:1] and after[0] in CLAUSE_SUBJECTS or before and before[0] in ANYTHING
            if found.group() == "that" and joins:
                continue  # "is it likely THAT the nerve ...", "something THAT can be done": nothing pointed at
            if after[1:2] == ["of"] and after[0] in KINDS:
                after = after[2:]
            if (found.group() == "this" and after and stem(after[0]) in self.index.topical and not set(before) & COPULAS
                    and not _named_before(after[0], rest)):
                continue
            return True
        return False

    def _picked(self, plain: str, session: Session) -> Entry | None:
        """A numbered or named pick from the options the bot just offered."""
        if not session.options:
            return None
        position = PICKS.get(plain)
        if position is not None and position < len(session.options):
            return self.knowledge.entry(session.options[position])
        for option in session.options:
            if plain == self._plain_questions.get(option):
                return self.knowledge.entry(option)
        return None

    def _rank(self, query: Query, plain: str, session: Session) -> list[Candidate]:
        candidates = self.index.rank(query, limit=6)
        if session.last_entry is None or not self._is_follow_up(query, plain):
            return candidates
        pointing = ANAPHORA.search(plain) is not None
        previous = self.knowledge.entry(session.last_entry)
        own_topic = not WHY.match(plain) and self.confidence(query, candidates) >= OWN_TOPIC  # (a bare why never is)
        if own_topic and self._names_topic(query, plain):
            # "so no cuts?" names its own topic clearly enough; "how long does THAT last" and "how long does it
            # take?" (after the colposcopy: its length, not the screening test's) name none
            return self._continuing(candidates, previous)
        expanded = self.index.expand(query, previous)
        merged: dict[str, Candidate] = {c.entry.id: c for c in candidates}
        for c in self.index.rank(expanded, limit=6):
            # The previous entry keeps its own score: the expanded query is
            # mostly its question, so it would always win there.
            if c.entry.id == previous.id:
                continue
            score = c.score - EXPANDED_DISCOUNT
            own = merged.get(c.entry.id)
            if own is None or score > own.score:
                merged[c.entry.id] = Candidate(c.entry, score, c.uncovered, c.phrasing)
        if WHY.match(plain):
            merged = {i: c for i, c in merged.items() if i in previous.follow_ups}
        adjusted = []
        boost = ANAPHORA_BOOST if pointing else FOLLOW_UP_BOOST
        uncovered = self.index.uncovered(query, [self._position[i] for i in merged], self._position[previous.id])
        for c, left in zip(merged.values(), uncovered):
            related = c.entry.id in previous.follow_ups
            bonus = boost if related else -ANAPHORA_BOOST if pointing and c.entry.id != previous.id else 0.0
            bonus -= REPEAT_PENALTY if c.entry.id == previous.id else 0.0
            adjusted.append(Candidate(c.entry, max(0.0, min(1.0, c.score + bonus)), left, c.phrasing))
        return self._continuing(sorted(adjusted, key=lambda c: -c.score), previous)

    @staticmethod
    def _continuing(candidates: list[Candidate], previous: Entry) -> list[Candidate]:
        """A clear question that one of the previous answer's follow-ups answers as well as the best entry:
        that follow-up ("how is it removed?" then "does it hurt?": the removal's pain, not the fitting's)."""
        if not candidates or candidates[0].entry.id in previous.follow_ups or candidates[0].entry.id == previous.id:
            return candidates
        top = candidates[0]
        for c in candidates[1:3]:
            close = top.score - c.score <= FOLLOW_UP_BOOST and c.uncovered <= top.uncovered
            if c.entry.id in previous.follow_ups and close:
                # (the two trade places, scores and all: one is the answer, not a choice between them)
                swapped = [Candidate(c.entry, top.score, c.uncovered, c.phrasing),
                           Candidate(top.entry, c.score, top.uncovered, top.phrasing)]
                return swapped + [x for x in candidates[1:] if x is not c]
        return candidates

    def _names_topic(self, query: Query, plain: str) -> bool:
        """Whether a message names something of its own, beyond the words every entry leans on and
        its question words ("how LONG does that last")."""
        asked = {stem(m.group(1)) for m in HOW.finditer(plain)}
        return bool(set(query.content) - self.index.generic - asked)

    @staticmethod
    def _is_follow_up(query: Query, plain: str) -> bool:
        """Short, or pointing back at what was just said."""
        return len(query.content) <= 2 or REFERS_BACK.search(plain) is not None

    @staticmethod
    def features(query: Query, candidates: list[Candidate]) -> list[float]:
        """What the confidence is computed from: fit, coverage, unknown words, margin."""
        if not candidates:
            return [0.0, 1.0, min(len(query.foreign), 3), 0.0]
        top = candidates[0]
        # The margin is to the best *unrelated* entry: two entries that point at
        # each other (sagging skin, good candidates) are not a real ambiguity.
        rival = next((c for c in candidates[1:] if not Dialogue._related(top.entry, c.entry)), None)
        margin = top.score - rival.score if rival else top.score
        return [top.score, top.uncovered, min(len(query.foreign), 3), margin]

    def confidence(self, query: Query, candidates: list[Candidate]) -> float:
        """P(the top candidate is right), from its features (see the coefficients)."""
        if not candidates:
            return 0.0
        return self.calibration.probability(self.features(query, candidates))

    def _choose(self, query: Query, candidates: list[Candidate]) -> Outcome:
        confidence = self.confidence(query, candidates)
        t = self.thresholds
        if confidence < t.answer:
            from_leaflet = self._from_leaflet(query)
            if from_leaflet is not None:
                return from_leaflet
            related = [c.entry for c in candidates if c.entry.type == "answer" and c.score >= t.suggest][:3]
            outcome = self._fallback(related)
            outcome.confidence = confidence
            outcome.candidates = candidates
            return outcome
        top = candidates[0]
        close = [c for c in candidates[1:3] if top.score - c.score <= t.clarify_margin
                 and c.entry.type == "answer" and not self._related(top.entry, c.entry)]
        if close and top.entry.type == "answer" and confidence < t.sure:
            options = [top.entry, *(c.entry for c in close)]
            lines = " or ".join(f'"{e.question}"' for e in options)
            text = f"I want to be sure I answer the right question. Did you mean {lines}?"
            return Outcome("clarify", text, confidence, None, options, candidates, self._numbered(text, options))
        outcome = self._answer(top.entry, confidence, candidates)
        return outcome

    def _from_leaflet(self, query: Query) -> Outcome | None:
        """When no entry answers: the leaflet's uncovered sentences, if they come first, surely."""
        if self.leaflet is None:
            return None
        ranked = self.leaflet.rank(query)
        confidence = self.confidence(query, ranked)
        if not self.leaflet.answers(ranked) or confidence < LEAFLET_AT:
            return None
        entry = ranked[0].entry
        return Outcome("answer", entry.answer, confidence, entry, [], ranked, entry.sms)

    @staticmethod
    def _related(a: Entry, b: Entry) -> bool:
        """Entries that point at each other answer neighbouring questions: either will do."""
        return a.id in b.follow_ups or b.id in a.follow_ups

    def _answer(self, entry: Entry, confidence: float, candidates: list[Candidate]) -> Outcome:
        suggestions = [self.knowledge.entry(i) for i in entry.follow_ups if i != entry.id][:3]
        return Outcome(entry.type, entry.answer, confidence, entry, suggestions, candidates, entry.sms)

    def _fallback(self, related: list[Entry]) -> Outcome:
        c = self.clinic.placeholders()
        text = fill_in("Sorry, I don't have an answer to that in the clinic's information about {treatment}, and I'd "
                       "rather not guess. Please contact {name} on {phone} ({hours}) or {email}.", c)
        sms = fill_in("Sorry, I can't answer that from the clinic's information. Please call {phone} ({hours}).", c)
        offers = related + [e for e in self.starters() if e not in related]
        return Outcome("fallback", text, 0.0, None, offers[:3], [], sms)

    def _triage(self, triage: Triage) -> Outcome:
        c = self.clinic
        about = {
            "pregnancy": "pregnancy or breastfeeding",
            "medicine": "the medicines you take",
            "condition": "your own medical conditions",
            "symptoms": "the symptoms you describe",
        }[triage.topic]
        # The country's emergency number, where clinic.yaml gives it, is what a person in danger needs first.
        emergency = f"call {c.emergency_phone}" if c.emergency_phone else "call emergency services"
        urgent = (
            f"{URGENT_OPENING} (for example trouble breathing, fever, heavy bleeding, spreading redness or "
            f"pus), seek urgent medical care or {emergency} now. "
            if triage.severe else ""
        )
        text = urgent + fill_in(f"I can't give advice about {about}. Please contact {{name}} on {{phone}} ({{hours}}) "
                                "or your {clinician}, who can advise you properly.", c.placeholders())
        sms_emergency = f"call {c.emergency_phone} or " if c.emergency_phone else ""
        sms_urgent = f"If severe or worsening, {sms_emergency}get urgent medical care now. " if triage.severe else ""
        sms = sms_urgent + fill_in(f"I can't advise on {about}. Please call {{name}} on {{phone}} ({{hours}}) or your "
                                   "{clinician}.", c.placeholders())
        return Outcome("handoff", text, 1.0, None, [], [], sms)

    def starters(self) -> list[Entry]:
        """Questions to offer someone who has not asked anything yet."""
        return [self.knowledge.entry(i) for i in self.knowledge.starters]

    @staticmethod
    def _numbered(text: str, options: list[Entry]) -> str:
        menu = " ".join(f"{n}) {e.question}" for n, e in enumerate(options, 1))
        return f"Did you mean: {menu} Reply with a number."


def _asking_parts(message: str) -> set[str]:
    """The parts of a message (as `clauses` gives them) that ask: followed by a question mark, or opening
    with a question word ("so how long will I be there?"; not "Was told I'd need someone to collect me.")."""
    pieces = _PART_BREAK.split(message)
    asking = set()
    for n in range(0, len(pieces), 2):
        part, after = pieces[n].strip(), pieces[n + 1] if n + 1 < len(pieces) else ""
        if part and ("?" in after or _ASKS.match(part)):
            asking.add(part)
    return asking
