"""Text normalisation shared by the index and the questions it answers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml

# Contractions and SMS shorthand, applied word by word after lower-casing.
# Only unambiguous forms: "4" becomes "for" but "2" stays a number.
SHORTHAND: dict[str, str] = {
    "u": "you", "ya": "you", "yu": "you", "r": "are", "ur": "your", "urs": "yours",
    "4": "for", "w/": "with", "w": "with", "w/o": "without", "wo": "without",
    "pls": "please", "plz": "please", "plez": "please", "thx": "thanks", "thnx": "thanks",
    "thanx": "thanks", "ty": "thank you", "tq": "thank you",
    "abt": "about", "b4": "before", "wat": "what", "wut": "what", "wht": "what",
    "hw": "how", "y": "why", "cn": "can", "cud": "could", "shud": "should",
    "wud": "would", "ppl": "people", "bc": "because", "bcoz": "because", "cuz": "because",
    "coz": "because", "cos": "because", "n": "and", "nd": "and", "im": "i am",
    "ive": "i have", "youre": "you are", "theyre": "they are", "dont": "do not",
    "doesnt": "does not", "shouldnt": "should not", "wouldnt": "would not", "couldnt": "could not",
    "arent": "are not", "havent": "have not", "hasnt": "has not", "wasnt": "was not", "werent": "were not",
    "didnt": "did not", "isnt": "is not", "wont": "will not",
    "cant": "can not", "cannot": "can not", "aint": "is not", "whats": "what is",
    "hows": "how is", "whos": "who is", "wheres": "where is", "thats": "that is",
    "theres": "there is", "gonna": "going to", "wanna": "want to",
    "gotta": "got to", "tmrw": "tomorrow", "tmr": "tomorrow", "2day": "today",
    "l8r": "later", "gr8": "great", "msg": "message", "txt": "text", "pic": "picture",
    "info": "information", "appt": "appointment", "approx": "approximately",
    "yrs": "years", "yr": "year", "mths": "months", "mnths": "months", "wks": "weeks",
    "wk": "week", "hrs": "hours", "hr": "hour", "mins": "minutes",
    "sth": "something", "smth": "something", "sumthing": "something", "somethin": "something",
    "dus": "does", "duz": "does", "dosent": "does not", "summat": "something",
    "sb": "somebody", "some1": "someone",
    "any1": "anyone", "every1": "everyone", "no1": "no one", "k": "ok", "kk": "ok",
    "okay": "ok", "okey": "ok", "yeah": "yes", "yep": "yes", "yup": "yes", "ya'll": "you all",
    "tho": "though", "thru": "through", "probs": "probably",
    "def": "definitely", "rly": "really", "srsly": "seriously", "v": "very",
    "gud": "good", "gd": "good", "luv": "love", "da": "the", "teh": "the",
    "dat": "that", "dis": "this", "dem": "them", "evry": "every",
    "xmas": "christmas", "hav": "have", "hv": "have", "wif": "with",
    "idk": "i do not know", "tbh": "to be honest", "imo": "in my opinion",
    "asap": "as soon as possible", "fyi": "for your information", "btw": "by the way",
    "pregnent": "pregnant", "til": "until", "till": "until", "effx": "effects",
    "tx": "treatment", "trtmnt": "treatment", "treatmnt": "treatment",
    "nite": "night", "tonite": "tonight", "2morrow": "tomorrow", "bday": "birthday", "gf": "girlfriend",
    "bf": "boyfriend", "hubby": "husband", "mo": "month", "mos": "months", "diff": "difference",
    "ngl": "not going to lie", "obvs": "obviously", "ofc": "of course",
    "pple": "people", "ppls": "people", "lng": "long",
    "wer": "where", "whr": "where", "bcz": "because", "shld": "should", "wld": "would",
    "wot": "what", "wats": "what is", "wots": "what is", "str8": "straight", "2nite": "tonight",
    "wil": "will", "wrk": "work", "wrks": "works", "thy": "they", "dnt": "do not", "cnt": "can not",
    "preggo": "pregnant", "preggers": "pregnant",
    "2gether": "together", "2moro": "tomorrow", "2mrw": "tomorrow", "2morow": "tomorrow",
    "2moz": "tomorrow", "tomoz": "tomorrow", "wn": "when", "whn": "when", "wiv": "with", "wid": "with",
    "afta": "after", "nt": "not", "juz": "just", "jst": "just", "sumthin": "something", "ull": "you will",
    "dunno": "do not know", "gimme": "give me", "lemme": "let me", "kinda": "kind of", "sorta": "sort of",
    "outta": "out of", "wkend": "weekend", "wknd": "weekend", "yday": "yesterday", "ystrday": "yesterday",
    "op": "operation", "ops": "operations", "neva": "never", "sumone": "someone",
    "sum1": "someone", "tk": "take", "tkn": "taken", "takin": "taking", "bcos": "because", "becoz": "because",
    "bcuz": "because", "enuf": "enough", "gona": "going to", "gna": "going to", "shudnt": "should not",
    "cudnt": "could not", "wudnt": "would not", "isit": "is it", "tym": "time", "tyme": "time", "lyk": "like",
    "luk": "look", "luks": "looks", "alot": "a lot", "rlly": "really", "defo": "definitely", "l8": "late",
    "m8": "mate", "iz": "is", "woz": "was", "pics": "pictures",
}

# Misspellings that are also English words are read as the word meant only
# where the real word cannot stand: "dose it work" but "what dose of anaesthetic",
# "id like to know" but "do I need my ID" (and single letters: "hepatitis b").
# Each rule runs only when its word is in the message.
_REAL_WORD_SLIPS = (
    ("dose", re.compile(r"\bdose (?=(?:it|i|you|he|she|we|they|this|that|these|those|my|your|anyone|everyone|someone|"
                r"there)\b)"), "does "),
    # "how long dose the test take", but "what dose the nurse gives", "the dose the doctor gave"
    ("dose", re.compile(r"\b(how long|how much|how often|why|when|where|how) dose (?=(?:the|a|an)\b)"), r"\1 does "),
    ("dose", re.compile(r"^dose (?!of\b)"), "does "),
    ("id", re.compile(r"\bid (?=(?:like|love|prefer|rather|want|be|need|have|hate|think|say|guess)\b)"), "i would "),
    # "when will i c results", "c you soon", but "vitamin c", "hepatitis c".
    ("c", re.compile(r"\b(i|you|we|they|to|will|can|would|should|could|might|not) c\b"), r"\1 see"),
    ("c", re.compile(r"^c (?=you\b)"), "see "),
    # "wen can i swim" but a "wen" (a cyst) elsewhere; "will it b sore" but "hepatitis b".
    ("wen", re.compile(r"\bwen (?=(?:i|you|we|they|he|she|it|can|do|does|did|will|would|should|is|are|was|"
                r"were|could|might|shall|am|my|your|the|to)\b)"), "when "),
    ("b", re.compile(r"\b(to|2|will|can|would|should|could|might|must|may|not|shall|it|i|you|they|we|eyes?|ears?) b\b"),
     r"\1 be"),
    ("b", re.compile(r"\bb (?=(?:done|able|ok|fine|safe|allowed|needed|put|seen|treated|awake|asleep|sore|painful|"
                r"possible|better|worse|there|here|ready|back)\b)"), "be "),
    # Speech recognition's homophones, read as the word meant only where the written one cannot stand:
    # "weather it works" but "in hot weather", "does it effect" but "a side effect", "stay a wake".
    ("weather",
     re.compile(r"(?<!the )(?<!this )(?<!that )(?<!hot )(?<!cold )(?<!warm )(?<!wet )(?<!bad )(?<!good )(?<!nice )"
                r"\bweather (?=(?:or|it|its|i|you|he|she|we|they|my|your|an|there|this|that|to)\b)"), "whether "),
    ("effect", re.compile(r"\b(does|do|did|will|would|can|could|might|may|it|this|that|not) effect\b"), r"\1 affect"),
    ("effect", re.compile(r"(?<!what )(?<!an )(?<!the )(?<!any )(?<!no )(?<!side )(?<!little )"
                r"\beffect (?=(?:whether|how|my|your|me|him|her|them|us)\b)"), "affect "),
    ("sea", re.compile(r"\b(i|you|we|they|will|can|could|would|should|not|and|come) sea\b"), r"\1 see"),
    ("weak",
     re.compile(r"\b(first|one|per|each|next|last|this|second|third|every|a few|couple of) weak\b"), r"\1 week"),
    ("threw",
     re.compile(r"\b(get|got|getting|go|going|went|gone|come|came|put|been|all|half|way|pass|passed|sleep|slept) "
                r"threw\b"), r"\1 through"),
    ("wake",
     re.compile(r"\b(be|am|is|are|was|were|being|stay|stayed|staying|keep|kept|wide|fully|remain|remained) a wake\b"),
     r"\1 awake"),
    ("words", re.compile(r"\bafter words\b"), "afterwards"),
    ("hand", re.compile(r"\bbefore hand\b"), "beforehand"),
    ("i",
     re.compile(r"\b(my|your|his|her|their|other|each|the) i\b(?! (?:am|was|have|had|will|would|can|could|do|did|think|"
                r"feel|know|need|want|get|got)\b)"), r"\1 eye"),
    ("knead", re.compile(r"\b(i|we|they) knead\b"), r"\1 need"),
    # "is it right four me" (a number is never followed by a pronoun or "the"), but "four weeks", "four a day".
    ("four", re.compile(r"\bfour (?=(?:me|you|him|her|us|them|it|my|your|his|their|our|the|this|that|someone|"
                r"anyone|everyone|people like me)\b)"), "for "),
    ("four", re.compile(r"\b(right|suitable|suited|good|safe|ok|okay|bad|available|possible|designed|meant|used|work|"
                r"works|worth it|able) four\b(?! (?:times|hours|days|weeks|months|years|minutes|sessions|of)\b)"),
     r"\1 for"),
    ("dew", re.compile(r"\bdew (?=(?:the|it|i|you|this|that|my|your)\b)"), "do "),
    ("half", re.compile(r"\b(i|you|we|they|do|does|did|will|would|not) half to\b"), r"\1 have to"),
    ("knight", re.compile(r"\b(at|last|every|each|over|per) knight\b"), r"\1 night"),
    ("weight",
     re.compile(r"\b(to|should|must|will|i|you|we|they) weight (?=(?:for|until|till|long|longer)\b)"), r"\1 wait "),
    # "bk" is "book" where someone does it ("can i bk", "how do i bk in"), else "back" ("bk pain", "go bk").
    ("bk", re.compile(r"\b(i|to|wanna|gonna|please|pls|plz) bk\b"), r"\1 book"),
    ("bk", re.compile(r"\bbk\b"), "back"),
    # "go back 2 work", "how long 2 wait", but "2 weeks".
    ("2", re.compile(r"\b2 (?=(?:be|the|my|your|go|get|see|do|wait|work|have|take|come|drive|eat|drink|wear|use|stop|"
                r"start|swim|fly|shower|wash|sleep|bed|school|know|ask|book|pay|make|put|keep|avoid|help)\b)"), "to "),
)

# Suffix contractions ("doesn't", "it'll") expanded before punctuation goes.
_CONTRACTIONS = [
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bain't\b"), "is not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"\b(it|what|that|there|who|how|where|here|he|she)'s\b"), r"\1 is"),
    (re.compile(r"'s\b"), ""),
]

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
                         "`": "'", "\u201c": '"', "\u201d": '"'})
_NON_WORD = re.compile(r"[^a-z0-9/' ]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")

# Formal words that never name a topic ("kindly outline ..."), kept with the built-in formal English.
_FORMAL_FILLER: list[str] = yaml.load((Path(__file__).parent / "data" / "formal.yaml").read_text(),
                                      Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["filler"]

# Forms of verbs every kind of question uses ("after it is TAKEN out", "do I need to keep USING it"):
# filler in a question, though a leaflet's statement may be made with one ("It TAKES about 45 minutes").
FILLER_VERBS = frozenset("takes taking took taken gives giving gave given knows knew needed needing uses using lets "
                         "thinks gotten".split())

# Words that carry no topic: function words plus the verbs and fillers that
# every kind of question uses. A question's other words are its content.
STOPWORDS = frozenset("""
a about above after afterwards afterward its again against all also am an and any anyone anything are
around as at away back be because been before being below between both but by
can come could did do does doing done down during each either else even ever
every few for from further get gets getting give go goes going gone got had
has have having he her here hers herself him himself his how i if in into is
it itself just kind know let like likely lot lots make makes may me might mine
more most much must my myself need needs no nor not now of off ok on once one
only or other ought our ours ourselves out over own please pretty quite rather
really same say see seem she should so some someone something soon sort still
such sure take tell than thank thanks that the their theirs them themselves
then there these they thing things think this those though through to too
under until up upon us use used very want wanted wants was way we well were
what whats when where whether which while who whom whose why will wish with
would yes yet you your yours yourself yourselves hi hello hey also actually
basically generally usually typically normally possible possibly able will
become becomes became becoming actual
wondering wonder curious question questions asking ask answer guess bit
someone somebody anybody people person persons folks
saw seen heard hear read reading told telling looking look looked thinking considering
considered planning plan nervous worried worry scared afraid excited keen interested
quick quickly silly stupid exactly honestly maybe perhaps probably definitely certainly
ad advert advertisement online internet website instagram facebook tiktok google friend
friends sister brother mother father mum mom dad daughter son wife husband partner
colleague neighbour neighbor family day days week weeks month months year years
today tonight tomorrow yesterday morning evening night next last first second
again already ever never always sometimes often soon later lately recently currently
hope hoping heard mentioned recommend recommended okay alright fine good great nice
lovely amazing awesome best better worse worst new old big small little huge tiny
lot lots whole part kind type sort way ways stuff thing things etc exact real really
true truly totally completely fully almost nearly enough mean means meant try trying tried
go goes going went come comes coming came put puts keep keeps kept feel feels felt
find found show shows showed shown happen happens happened normal normally usual
quite fairly somewhat pretty heritage background currently getting around
lol lmao haha hahaha hehe xx xxx tbh imo ngl omg
overall properly proper simple simply terms basically option options choice idea general
everyone everybody everything nobody nothing anywhere somewhere anything
affect affects affected final end ends ended ending
chatting chatted talking speaking texting messaging concern concerns concerned
since problem problems issue issues honest similar special couple average single mixed lost losing
turning turn turns shift love loved loves wise confused confusing said says told
understand understanding nah nope associated patient patients individual individuals
expect expected appearance reported report known commonly late
monday tuesday wednesday thursday friday mondays tuesdays wednesdays thursdays fridays
without within besides apart except instead via per tend tends tended tending
""".split()) | FILLER_VERBS | frozenset(_FORMAL_FILLER)


# A person's age ("a 16 year old", "i am 45", "if your 80") is a topic: young
# ages ask about a minimum age, the others about age.
_AGE = re.compile(
    r"\b(?:(i am|aged|age|you are|your|at) ([1-9]\d)(?! (?:days?|weeks?|months?|hours?|minutes?|sessions?|"
    r"treatments?|times?|percent))|(\d{1,2}) ?(?:years? old|yrs? old|yo|year olds))\b"
)


_DIGIT = re.compile(r"\d")

# "how much?" on its own, or at the end of a message, asks for the price.
_HOW_MUCH = re.compile(r"\bhow much(?: then| is it| is that| please)?$")


def _age(match: re.Match[str]) -> str:
    age = int(match.group(2) or match.group(3))
    said = f"{match.group(1)} " if match.group(1) else ""
    return said + ("child" if age < 13 else "teenager" if age < 20 else f"{age} years old")


_SURROGATE = re.compile("[\ud800-\udfff]")


def readable(text: str) -> str:
    """Text that can be stored and shown: a lone surrogate (half of a broken emoji) becomes U+FFFD."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def fold(text: str) -> str:
    """Unicode NFKC, lower case, straight quotes, accents dropped."""
    if text.isascii():  # nothing to compose, decompose or strip
        return text.translate(_QUOTES).lower()
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _spelt_out(words: list[str], spelt: frozenset[str]) -> list[str]:
    """Letters said one by one, as speech recognition writes an abbreviation ("e c g", "m r i", "g p"), as the
    word they spell where the clinic's knowledge has it (`spelt`); text-speak's letters ("y r u", "c u r open")
    and an article or "I" before letters ("a g p", "can i c d ...", but "an i c d") stay words."""
    if not spelt:
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        n = 0
        while i + n < len(words) and len(words[i + n]) == 1 and words[i + n].isalpha():
            n += 1
        if n and (words[i] == "a" or words[i] == "i" and (not i or words[i - 1] not in _NAMING)):
            out.append(words[i])
            i += 1
            continue
        size = next((k for k in range(min(n, SPELT_LETTERS), 1, -1) if "".join(words[i : i + k]) in spelt), 0)
        if size:
            out.append("".join(words[i : i + size]))
            i += size
        else:
            out.append(words[i])
            i += 1
    return out


# An abbreviation said letter by letter has at most this many ("c p a p").
SPELT_LETTERS = 6
_NAMING = frozenset("an the my your his her their our".split())


def normalize(text: str, synonyms: Mapping[str, str] | None = None, spelt: frozenset[str] = frozenset()) -> str:
    """The canonical form of a message: folded, expanded, no punctuation; letters said one by one that spell
    one of `spelt` (a clinic's abbreviations) joined."""
    text = fold(text)
    if "'" in text:
        for pattern, repl in _CONTRACTIONS:
            text = pattern.sub(repl, text)
    if "-" in text:
        text = _PREFIXES.sub(lambda m: _PREFIX_WORDS[m.group(1)], text)
    text = text.replace("-", " ").replace("&", " and ").replace("+", " and ").replace("%", " percent ")
    text = _NON_WORD.sub(" ", text)
    text = _REPEATS.sub(r"\1\1", text)
    text = " ".join([SHORTHAND.get(word, word) for word in _spelt_out(text.replace("'", " ").split(), spelt)])
    said = set(text.split())
    for word, pattern, repl in _REAL_WORD_SLIPS:
        if word in said:
            text = pattern.sub(repl, text)
    if _DIGIT.search(text):
        text = _AGE.sub(_age, text)
    if "how much" in text:
        text = _HOW_MUCH.sub("how much does it cost", text)
    text = " ".join(text.replace("/", " ").split())
    return apply_synonyms(text, synonyms) if synonyms else text


def apply_synonyms(text: str, synonyms: Mapping[str, str]) -> str:
    """Replace every synonym phrase (longest first, left to right) by its canonical term."""
    longest = _phrase_lengths(synonyms)
    words = text.split()
    out = []
    i = 0
    while i < len(words):
        for n in range(min(longest.get(words[i], 1), len(words) - i), 0, -1):
            canonical = synonyms.get(" ".join(words[i : i + n]))
            if canonical is not None:
                out.append(canonical)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


_LENGTHS_CACHE: dict[int, tuple[Mapping[str, str], dict[str, int]]] = {}


def _phrase_lengths(synonyms: Mapping[str, str]) -> dict[str, int]:
    """For each first word of a phrase, the most words a phrase starting with it has."""
    cached = _LENGTHS_CACHE.get(id(synonyms))
    if cached is not None and cached[0] is synonyms:
        return cached[1]
    longest: dict[str, int] = {}
    for phrase in synonyms:
        words = phrase.split()
        if words:
            longest[words[0]] = max(longest.get(words[0], 1), len(words))
    _LENGTHS_CACHE[id(synonyms)] = (synonyms, longest)
    return longest


# Question words: not topics, but they tell a "who" question from a "what" one.
QUESTION_WORDS = frozenset("who what why when where how which".split())


def content_words(text: str, keep: frozenset[str] = frozenset()) -> list[str]:
    """The words of a normalised text that say what it is about.

    `keep` holds stems that are never filler here: a clinic's own subject
    ("hearing" at a hearing centre) is a topic even where it is usually chatter."""
    return [w for w in text.split()
            if (w not in STOPWORDS and stem(w) not in _STOP_STEMS or stem(w) in keep) and not w.isdigit()]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, consistent stem, enough to match 'bruises' with 'bruising'."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif re.search(r"(ss|x|ch|sh)es$", word):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ness") and len(word) >= 7:  # "soreness" is "sore", "dizziness" "dizzy"
        word = word[:-5] + "y" if word[-5] == "i" else word[:-4]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "aeioulsfz":
                word = word[:-1]  # "stopped" is "stop", "putting" is "put" ("falling" is "fall")
            break
        if word.endswith(suffix) and _SHORT_E.fullmatch(word[: -len(suffix)]):
            word = word[: -len(suffix)] + "e"  # "making" is "make", "based" is "base"
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


# A three-letter root that lost its e before -ing or -ed: consonant, vowel, consonant.
_SHORT_E = re.compile(r"[^aeiou][aeiou][^aeiouwxy]")
# A hyphenated prefix says what a word would: "post-procedure" is after it, "non-smokers" are not.
_PREFIXES = re.compile(r"\b(post|pre|non)-(?=[a-z])")
_PREFIX_WORDS = {"post": "after ", "pre": "before ", "non": "not "}
# Inflected filler ("needed", "wanting") is filler too.
# ("scared" is filler, but its stem is a word people ask about.)
_STOP_STEMS = frozenset(stem(w) for w in STOPWORDS) - {"scar"}


# Where a long message breaks into parts: sentence ends, commas, and the
# words that join a reason or a contrast to the question.
CLAUSE_BREAK = re.compile(r"[.?!;,:()]+\s*|\s+(?:but|because|cos|coz|although|though|however)\s+", re.I)


def clauses(message: str) -> list[str]:
    """The parts of a message, in order ("I'm 68, is it too late?" -> two)."""
    return [part.strip() for part in CLAUSE_BREAK.split(message) if part.strip()]
