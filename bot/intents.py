"""Whole-message intents: small talk and asking for a person."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from rapidfuzz import fuzz, process

from bot.defaults import Intent
from bot.text import normalize

# A request for a person or a way to reach the clinic, anywhere in a longer message.
CONTACT = re.compile(
    r"\b(?:speak|talk|chat) (?:to|with) (?:a |an |the |your |some )?(?:human|person|someone|somebody|"
    r"real person|staff|nurse|doctor|receptionist|agent|operator|clinic|team|manager|one|a real one)\b"
    r"|\b(?:phone|contact|telephone) (?:number|details|info\w*)\b|\bemail address\b"
    r"|\bput me through\b|\breal human\b|\b(?:get|give|find|fetch) me (?:a |an |the |some )?"
    r"(?:human|person|real person|someone|somebody|manager|nurse|doctor|receptionist)\b"
    r"|\b(?:call|ring) me\b|\bcall ?back\b|\bhuman please\b|\bget in touch\b|\bget hold of\b"
    r"|\b(?:contact|reach|call|phone|ring|email|e mail|text|message) (?:you|the clinic|the team|your team|"
    r"someone|somebody|a person|reception|the office|a human)\b"
)
# Every CONTACT match has one of these words: a message without any is not searched.
CONTACT_WORDS = frozenset("speak talk chat phone contact telephone email put real get give find fetch call callback "
                          "ring human reach e text message".split())
GREETING_PREFIX = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|heya|howdy|yo|greetings|good (?:morning|afternoon|evening))"
    r"(?: there| bot| all| team)?|ok|okay|ok so|so|um|umm|thanks|thank you|cheers|great|and|also|but"
    r"|(?:i was |i am |just )?(?:wondering|curious)(?: if| whether)?|i wonder(?: if| whether)?"
    r"|quick (?:question|q)|(?:i would like|i want|i need) to know(?: if| whether)?"
    r"|(?:can|could) you (?:please )?tell me(?: if| whether)?|do you know(?: if| whether)?)\b\s*"
)
# Tag words at the end ("no cuts, right?") ask for agreement, not about a topic.
TRAILING_TAG = re.compile(r"\s+(?:right|ok|okay|yeah|yes|then|please|thanks|thank you|correct|yep)$")
MATCH_CUTOFF = 88
# Words that may come with any small talk ("thank you VERY much", "how are you
# TODAY", "are you a bot OR a person"): left out on both sides when matching.
FILLER = frozenset("a an the so very much really just then today now too or".split())


class IntentMatcher:
    """Match a whole message to a small-talk or contact intent."""

    def __init__(self, intents: tuple[Intent, ...]) -> None:
        self.intents = {i.id: i for i in intents}
        self.patterns: dict[str, str] = {}
        # Later intents win a pattern: a clinic's own come after the built-in ones.
        for intent in intents:
            for pattern in intent.patterns:
                self.patterns[_squeeze(normalize(pattern))] = intent.id
        # Patterns by length: fuzz.ratio >= MATCH_CUTOFF is only possible
        # between strings of similar length, so only those are compared.
        self._choices = sorted(self.patterns, key=len)
        self._lengths = [len(p) for p in self._choices]

    def match(self, text: str) -> Intent | None:
        """The intent a whole normalised message expresses, if any."""
        found = self._match(text)
        previous = text
        while found is None and previous:
            # "thanks, that's really helpful", "ok great": small talk after a greeting or thanks.
            stripped = GREETING_PREFIX.sub("", previous, count=1).strip()
            if stripped == previous:
                break
            found = self._match(stripped)
            previous = stripped
        if found is None:  # "perfect, thank you": a trailing thanks too
            stripped = strip_preamble(text)
            if stripped != previous:
                found = self._match(stripped)
        return found

    def _match(self, text: str) -> Intent | None:
        if not text:
            return None
        text = _squeeze(text) or text
        found = self.patterns.get(text)
        if found is None and len(text) >= 4:
            share = MATCH_CUTOFF / 100
            low = bisect_left(self._lengths, len(text) * share / (2 - share))
            high = bisect_right(self._lengths, len(text) * (2 - share) / share)
            best = process.extractOne(text, self._choices[low:high], scorer=fuzz.ratio, score_cutoff=MATCH_CUTOFF)
            found = self.patterns[best[0]] if best else None
        if found is None and not CONTACT_WORDS.isdisjoint(text.split()) and CONTACT.search(text):
            found = next((i.id for i in self.intents.values() if i.type == "handoff"), None)
        return self.intents.get(found) if found else None


def _squeeze(text: str) -> str:
    return " ".join(w for w in text.split() if w not in FILLER)


def strip_preamble(text: str) -> str:
    """Drop a leading greeting or 'ok so', and a trailing 'right?', from a normalised message."""
    previous = None
    while previous != text:
        previous = text
        text = GREETING_PREFIX.sub("", text, count=1).strip()
        text = TRAILING_TAG.sub("", text)
    return text
