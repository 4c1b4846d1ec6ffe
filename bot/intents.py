"""Whole-message intents: small talk and asking for a person."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from rapidfuzz import fuzz, process

from bot.defaults import Intent
from bot.text import STOPWORDS, content_words, normalize, stem

# A request for a person or a way to reach the clinic, anywhere in a longer message,
# composed of word classes: who can be asked for, and the ways of asking.
PEOPLE = (r"human|human being|person|people|someone|somebody|staff|member of (?:the |your )?(?:staff|team)|nurse|"
          r"doctor|receptionist|agent|operator|clinic|team|manager|practitioner|therapist|clinician|specialist|"
          r"consultant|surgeon|adviser|advisor|expert|professional|secretary|one|a real one")
# Whom the clinic can be reached at (not "a doctor": "when should I call a doctor" asks when).
CLINIC = (r"you|the clinic|the team|your team|someone|somebody|a person|reception|the office|a human|"
          r"(?:the |a |one of the |one of your |your )(?:staff|receptionist|practitioner|therapist|clinician|team)")
DETERMINER = r"(?:a |an |the |your |my |some |one of (?:the |your )?)?(?:real |actual |proper |live |qualified )?"
# Asking for an appointment, or to change one: the clinic's staff book, not the bot.
APPOINTMENT = (r"(?:(?:set ?up|follow ?up|check ?up|review|first|next) )?"
               r"(?:appointments?|appt|consultations?|consult|assessments?|slots?|sessions?|availability|reviews?|"
               r"check ?ups?|follow ?ups?)")
BOOKING_VERB = r"(?:book|make|arrange|schedule|reschedule|rearrange|move|change|cancel|postpone|get)"
# ("do I need to make an appointment with the optician" asks what the leaflet may say, and "how much
# time off I would need to book" is no request)
ASKING = r"(?<!do i )(?<!did i )(?<!will i )(?<!would i )(?<!should i )(?<!do we )(?<!will we )\b"
CONTACT_FORMS = [
    # ("the surgeon's secretary", "the doctor's nurse")
    r"\b(?:speak|talk|chat) (?:to|with) {det}(?:(?:{people})s? )?(?:{people})s?\b",
    # the person first: "is there a real person I can talk to", "someone I could speak with"
    r"\b{det}(?:{people})s? (?:that |who )?(?:i|we) (?:can|could|might|may) (?:speak|talk|chat) (?:to|with)\b",
    # "is there someone I can ring", not "do I need someone I can ring after the op"
    r"\b(?:is there|are there|give me|(?<!do )(?<!should )(?<!will )(?<!would )i (?:want|need|would like)) "
    r"{det}(?:{people})s? (?:that |who )?(?:i|we) (?:can|could|might|may) (?:ring|call|phone)\b",
    r"\b(?:phone|contact|telephone) (?:number|details|info\w*)\b|\bemail address\b",
    # ("put me through", not "put me to sleep")
    r"\bput me (?:through|on to|onto)\b|\b(?:transfer|connect|forward) me (?:on |over |through )?(?:to|through|with)\b",
    r"\breal human\b",
    r"\b(?:get|give|find|fetch) me {det}(?:{people})\b",
    r"\b(?:call|ring|phone|text|email|contact) me\b|\bgive me (?:a )?(?:ring|call|bell|buzz)\b",
    r"\bcall ?back\b|\bhuman please\b",
    # ("... means I should get in touch" asks when to, not how to)
    r"(?<!should )\bget in touch\b|\bget hold of\b",
    r"\bmember of (?:the |your )?(?:staff|team) (?:to )?(?:call|contact|ring|phone|email|get back)\b",
    r"\b(?:want|need|prefer|rather have|get|give me) (?:a |an |to |some )?(?:proper|actual|real|live) "
    r"(?:person|human|people)\b|\bnot want to (?:talk|speak|chat) (?:to|with) (?:bot|robot|chatbot|machine)\b",
    r"\b(?:contact|reach|call|phone|ring|email|e mail|text|message) (?:{clinic})s?\b",
    # "could you pass my details on to someone", "send my number to the team"
    r"\b(?:pass|give|send|forward) (?:on )?(?:my|our) (?:contact )?(?:details|number|info\w*) (?:on |over )?to\b",
    # "what number do I call", "which number should I ring", "a number to text"
    r"\bnumber (?:do |should |can |could |would )?(?:i |we )?(?:to )?(?:call|ring|phone|text|use|dial)\b",
    r"\bhow (?:can|do|should|could|would) (?:i|we) (?:contact|reach|get hold of|get in touch with)\b",
    # "I'd rather discuss my legs with the practitioner directly"
    r"\bdiscuss (?:\w+ ){{0,4}}with {det}(?:{people})s?\b",
]
# Every CONTACT match has one of these words: a message without any is not searched.
# "when should I call the clinic after surgery" asks when, and the leaflet may say: not a request for a person.
WHEN_TO_CONTACT = re.compile(r"^(?:so |and |but )?(?:when|why|at what point|how soon|how quickly|in what cases?|"
                             r"under what circumstances)\b(?: \w+){0,3} (?:should|do|would|must|need to|have to)\b")
CONTACT_WORDS = frozenset("speak talk chat phone contact telephone email put transfer connect forward real get give "
                          "find fetch call callback ring human reach e text message proper actual live member pass "
                          "send number how book make arrange schedule reschedule rearrange move change cancel "
                          "postpone fit squeeze have got discuss want like need wanna".split())


def contact_pattern(clinician: str = "") -> re.Pattern[str]:
    """The requests for a person, the clinic's own clinicians among the people ("the physiotherapist")."""
    # ("eye surgeon": "my surgeon" asks for one too)
    named = {clinician.lower().strip(), *clinician.lower().split()[-1:]} - {""}
    people = PEOPLE + "".join(f"|{re.escape(n)}" for n in sorted(named))
    # ("your physiotherapist", not "a doctor": "when should I call a doctor" asks when)
    clinic = CLINIC + (f"|(?:one of the |one of your |your ){re.escape(clinician.lower())}"
                       if clinician.strip() else "")
    return re.compile("|".join(f.format(det=DETERMINER, people=people, clinic=clinic) for f in CONTACT_FORMS))


CONTACT = contact_pattern()
# Asking to book, move or cancel an appointment: the clinic's staff do that, not the bot.
BOOKING_FORMS = [
    # "can you book me in", "I'd like to arrange a consultation", "can I move my appointment", "want 2 book"
    r"\b(?:can|could|would|will) you (?:please )?(?:book|fit|squeeze) (?:me|us) in\b|\bbook (?:me|us) in\b",
    ASKING + r"(?:want|like|(?<!would )need|wanna|wish|hoping) (?:to )?(?:" + BOOKING_VERB
    + r" (?:(?:a|an|my|the|our|in|me|one|another|new|follow up|first) )*" + APPOINTMENT
    + r"|book(?= in\b| please\b| next\b| tomorrow\b| today\b|$))\b",
    ASKING + r"(?:want|like|need) (?:a|an|another) (?:new |first |follow up )?" + APPOINTMENT + r"\b",
    r"\b(?:can|could|may) (?:i|we) (?:please )?(?:just )?" + BOOKING_VERB + r" (?:(?:a|an|my|the|our|in|for|one|"
    r"another|new) )*" + APPOINTMENT + r"\b",
    r"\b(?:have|got) (?:you )?(?:any )?(?:free )?(?:appointments|availability|slots|space) (?:on|next|this|for|in)\b",
]
BOOKING = re.compile("|".join(BOOKING_FORMS))
# A message that asks about appointments ("do patients need an assessment", "I'd like to know if I need
# an appointment") rather than for one; an appointment elsewhere ("with my optician"); a question after it.
ASKS_ABOUT = re.compile(r"^(?:do|does|did|is|are|will|would|when|how|what|why|where|should|which)\b"
                        r"|\b(?:know|wondering|ask|asking) (?:if|whether)\b")
ELSEWHERE = re.compile(r"^ (?:with|at) (?:my|an?|the|your) (?:own )?(?:optician|gp|pharmacist|family doctor|hospital)")
LATER_QUESTION = re.compile(r"\b(?:how|when|what|why|where|which)\b")


def books(text: str, whole: str = "") -> bool:
    """A request to book, move or cancel an appointment (a normalised message, part of `whole`), not a
    question about one."""
    asks = ASKS_ABOUT.search(whole or text)
    for found in BOOKING.finditer(text):
        rest = text[found.end():]
        if asks and found.group().split()[0] in ("want", "like", "need", "wanna", "wish", "hoping"):
            continue
        if ELSEWHERE.search(rest) or LATER_QUESTION.search(rest):
            continue
        return True
    return False
# Asking what the bot is, in any words: "you're not a real person, are you", "is this automated".
WHAT_ARE_YOU = re.compile(
    r"\b(?:are you|is this|this is|you are|(?:am i|i am) (?:talking|chatting|speaking|corresponding|texting|messaging) "
    r"(?:to|with))(?: not| just| really| actually| only)? (?:a |an |the |some )?(?:real |actual |live |automated )?"
    r"(?:bot|robot|chatbot|chat bot|human|human being|person|ai|computer|machine|program|service|assistant)\b"
)
# Longer than this, a message that mentions a bot or a person is about something else.
WHAT_ARE_YOU_WORDS = 20
# Small talk run together ("thanks bye") is split into patterns up to this many words long;
# GLUE may join them ("thank you AND goodbye").
ONE_BREATH_WORDS = 14
GLUE = frozenset(["and", "but", "no", "nope", "ok", "oh", "well", "again"])
# A part of a message that starts so asks something: it is no small talk unless it is a pattern.
QUESTION_STARTS = frozenset("how what when where why which who whose can could does do did is are will would should "
                            "may might shall".split())
ASKING_WORDS = frozenset("how what when where why which".split())
# Which intent a message of small-talk words gets, first to last.
SOCIAL_ORDER = ("goodbye", "thanks", "how_are_you", "greeting")
# Words of every kind of message: never what makes one small talk.
FUNCTION_WORDS = frozenset(
    "i you it is are am a an the to for of and or me my your this that can do does did be was were have has had "
    "will would could should there here with in on at so not no yes ok what how who why when where which we they "
    "he she them us our".split())
# Pleasantries by their shape, not as whole sentences: a wish ("have a lovely
# weekend"), a closing ("that's all I needed"), praise ("great chatbot, well done"),
# a nicety ("nice to meet you", "how's your day going"). With nothing but small
# talk around them, they are that small talk.
GOOD = (r"(?:good|nice|great|lovely|wonderful|fab|fabulous|fantastic|brilliant|excellent|amazing|super|cool|"
        r"clever|smart)")
PLEASANTRIES = (
    ("goodbye", re.compile(rf"\b(?:have an? (?:really |very )?{GOOD}|enjoy (?:your|the|the rest of your)) "
                           r"(?:day|weekend|evening|night|week|one|afternoon|morning|holiday|christmas|time)\b")),
    ("goodbye", re.compile(r"\b(?:thats|that is|that was|its) (?:all|everything|it)(?: (?:i|we) (?:needed|wanted|"
                           r"had|was after|were after|needed to know|wanted to know|wanted to ask))?"
                           r"(?: for now| for today)?\b")),
    ("thanks", re.compile(rf"\b{GOOD} (?:bot|chatbot|chat bot|job|work|assistant|stuff|answers?|chat|service)\b"
                          r"|\bwell done\b|\byou(?:re| are| have been| were) (?:really |very |so |such )?(?:an? )?"
                          rf"(?:{GOOD}|helpful|useful|star|gem|legend)\b")),
    ("greeting", re.compile(rf"\b(?:{GOOD}|pleased|glad|happy) to (?:meet|chat with|talk to|talk with) you\b"
                            r"|\bpleasure to (?:meet|chat|talk)(?: (?:to|with))? you\b")),
    ("how_are_you", re.compile(r"\bhow(?:s| is| has| was) (?:your|the) (?:day|morning|afternoon|evening|week|weekend)"
                               r"(?: (?:going|been|treating you))?\b|\bhow are you (?:doing|getting on|keeping)\b")),
)
# Words that may come with the question about what the bot is ("or a computer", "real human").
BEING_WORDS = frozenset("bot robot chatbot human person computer machine ai program automated real actual live being"
                        .split())
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

    def __init__(self, intents: tuple[Intent, ...], topics: frozenset[str] = frozenset(),
                 asked_words: frozenset[str] = frozenset(), clinician: str = "") -> None:
        """`topics` are the stems the knowledge is about, `asked_words` every word of its phrasings,
        `clinician` what the clinic calls its clinicians (people a visitor may ask for)."""
        self.intents = {i.id: i for i in intents}
        self.contact = contact_pattern(clinician)
        self.topics = topics
        # Words of small talk, and those of them no question to the knowledge uses ("thanks", "bye").
        self.social: dict[str, list[str]] = {}
        for intent in intents:
            if intent.id in SOCIAL_ORDER:
                for word in {w for p in intent.patterns for w in normalize(p).split()}:
                    self.social.setdefault(word, []).append(intent.id)
        self.anchors = frozenset(w for w in self.social if w not in asked_words and w not in FUNCTION_WORDS)
        self.patterns: dict[str, str] = {}
        # Later intents win a pattern: a clinic's own come after the built-in ones.
        for intent in intents:
            for pattern in intent.patterns:
                self.patterns[_squeeze(normalize(pattern))] = intent.id
        # Patterns by length: fuzz.ratio >= MATCH_CUTOFF is only possible
        # between strings of similar length, so only those are compared.
        self._choices = sorted(self.patterns, key=len)
        self._lengths = [len(p) for p in self._choices]

    def recognise(self, plain: str, clauses: list[str], correct: Callable[[str], str]) -> Intent | None:
        """The intent of a message: as typed, spelling corrected, or every part of it small talk.

        `clauses` are the message's parts as written: "thank you for your help,
        goodbye" is two intents, and the bot answers the last ("goodbye")."""
        if _asks_what_i_am(plain):
            return self.intents.get("who_are_you")
        corrected = correct(plain)
        found = self.match(plain) or (self.match(corrected) if corrected != plain else None)
        found = found or self._in_one_breath(corrected)
        found = found or self._pleasantry(plain) or self._pleasantry(corrected)
        if found is not None or not plain or len(plain.split()) > ONE_BREATH_WORDS * max(1, len(clauses)):
            return found  # (a long message is never small talk: its parts need not be read)
        parts = [p for p in (normalize(c) for c in clauses) if p] or [plain]
        if not any(part.split()[0] in QUESTION_STARTS for part in parts):
            found = self._social(corrected)
        if found is None and len(parts) > 1:
            each = [self.match(part) or self.match(correct(part)) for part in parts]
            if all(each):
                handoff = [i for i in each if i is not None and i.type == "handoff"]
                found = handoff[0] if handoff else each[-1]
        return found

    def _social(self, plain: str) -> Intent | None:
        """A message made only of small-talk words ("Sorry for bothering you, thank you so much"), at least
        one of them never used in a question to the knowledge, and none of the knowledge's topics."""
        words = plain.split()
        # (A topic's word said in small talk's own words is small talk: "thanks for your HELP".)
        if len(words) > ONE_BREATH_WORDS or any(stem(w) in self.topics and w not in self.social for w in words):
            return None
        if any(w not in self.social and w not in STOPWORDS and w not in GLUE for w in words):
            return None
        # "talk me through WHAT HAPPENS on the day": a question asked inside, not small talk ("how are you" is)
        if any(w in ASKING_WORDS and i + 1 < len(words) and words[i + 1] not in self.social
               for i, w in enumerate(words)):
            return None
        said = [w for w in words if w in self.anchors]
        if not said:
            return None
        # A goodbye ends the conversation whatever came before it; thanks come before a greeting.
        return next(self.intents[i] for i in SOCIAL_ORDER if any(i in self.social[w] for w in said))

    def _pleasantry(self, plain: str) -> Intent | None:
        """A message of pleasantries (PLEASANTRIES) and small-talk words only: the first of SOCIAL_ORDER said."""
        if len(plain.split()) > ONE_BREATH_WORDS:
            return None
        said, rest = set(), plain
        for intent, pattern in PLEASANTRIES:
            if pattern.search(rest):
                said.add(intent)
                rest = pattern.sub(" ", rest)
        if not said:
            return None
        words = rest.split()
        if any(w not in self.social and w not in STOPWORDS and w not in GLUE and w not in FILLER for w in words):
            return None  # "have a good day, and is it safe?" asks something
        # (a word of several intents, like the "thank" of "no thank you", tells nothing more)
        said |= {self.social[w][0] for w in words if w in self.anchors and len(set(self.social[w])) == 1}
        return next((self.intents[i] for i in SOCIAL_ORDER if i in said and i in self.intents), None)

    def _in_one_breath(self, plain: str) -> Intent | None:
        """Small talk run together without punctuation ("ok thats everything thank you goodbye"):
        the message split into known patterns end to end; the last one is answered."""
        words = _squeeze(plain).split()
        if not 2 <= len(words) <= ONE_BREATH_WORDS:
            return None
        # covers[i]: the intents of one way to split words[:i] into patterns, if there is one.
        covers: list[list[str] | None] = [[]] + [None] * len(words)
        for end in range(1, len(words) + 1):
            for start in range(max(0, end - ONE_BREATH_WORDS), end):
                before = covers[start]
                segment = " ".join(words[start:end])
                if before is None:
                    continue
                if segment in GLUE:
                    covers[end] = before
                    break
                if segment in self.patterns:
                    covers[end] = [*before, self.patterns[segment]]
                    break
        found = covers[-1]
        if not found:
            return None
        handoff = [i for i in found if self.intents[i].type == "handoff"]
        return self.intents[handoff[0] if handoff else found[-1]]

    def match(self, text: str) -> Intent | None:
        """The intent a whole normalised message expresses, if any."""
        found = self._match(text)
        previous = text
        while found is None and previous:
            # "thanks, that's really helpful", "ok great": small talk after a greeting or thanks.
            stripped = GREETING_PREFIX.sub("", previous, count=1).strip()
            if stripped == previous:
                break
            found = self._match(stripped, text)
            previous = stripped
        if found is None:  # "perfect, thank you": a trailing thanks too
            stripped = strip_preamble(text)
            if stripped != previous:
                found = self._match(stripped, text)
        return found

    def _match(self, text: str, whole: str = "") -> Intent | None:
        """The intent of `text`, all or part of the message `whole`."""
        if not text:
            return None
        squeezed = _squeeze(text) or text
        # (as typed and squeezed: "contact THE clinic", "talk to A robot")
        asks_us = not CONTACT_WORDS.isdisjoint(text.split())
        booking = asks_us and books(text, whole)
        contact = asks_us and (booking or any(self.contact.search(t) for t in (text, squeezed)))
        contact = contact and not WHEN_TO_CONTACT.search(text)
        text = squeezed
        found = self.patterns.get(text)
        if found is None and len(text) >= 4:
            share = MATCH_CUTOFF / 100
            low = bisect_left(self._lengths, len(text) * share / (2 - share))
            high = bisect_right(self._lengths, len(text) * (2 - share) / share)
            best = process.extractOne(text, self._choices[low:high], scorer=fuzz.ratio, score_cutoff=MATCH_CUTOFF)
            found = self.patterns[best[0]] if best else None
        if found is None and contact:
            found = "booking" if booking and "booking" in self.intents else next(
                (i.id for i in self.intents.values() if i.type == "handoff"), None)
        return self.intents.get(found) if found else None


def _asks_what_i_am(plain: str) -> bool:
    """'are you a real person?', 'is this automated': asked alone, not 'are you a bot that can do my homework'."""
    if len(plain.split()) > WHAT_ARE_YOU_WORDS:
        return False
    plain = strip_preamble(plain)  # "... right?"
    found = WHAT_ARE_YOU.search(plain)
    if found is None:
        return False
    rest = plain[: found.start()] + " " + plain[found.end() :]
    return not [w for w in content_words(rest) if w not in BEING_WORDS]


def _squeeze(text: str) -> str:
    """Without filler words, but "how much" and "how many" ask (a price, a number), not intensify."""
    words = text.split()
    return " ".join(w for i, w in enumerate(words) if w not in FILLER or (i and words[i - 1] == "how"))


def strip_preamble(text: str) -> str:
    """Drop a leading greeting or 'ok so', and a trailing 'right?', from a normalised message."""
    previous = None
    while previous != text:
        previous = text
        text = GREETING_PREFIX.sub("", text, count=1).strip()
        text = TRAILING_TAG.sub("", text)
    return text
