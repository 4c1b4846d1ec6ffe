"""The hybrid index: TF-IDF short list, rapidfuzz rescoring, one score per entry."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.fitter import fit_apart
from bot.knowledge import Entry, Knowledge
from bot.leaflet import sections
from bot.spelling import english_correction, is_word, usage, warm
from bot.text import STOPWORDS, apply_synonyms, content_words, fold, normalize, stem
from bot.vectors import FusedSpace, TfidfSpace, char_features, word_features

SHORTLIST = 12

# How the three similarities are fused into one score. Word TF-IDF knows the
# topic, character n-grams survive typos and odd spellings, rapidfuzz's
# token-sort ratio rewards the same wording in the same order. The weights
# were chosen by measuring accuracy on the labelled questions in tests/data
# (bench/calibrate.py); see there for the figures.
W_WORD, W_CHAR, W_FUZZ = 0.30, 0.40, 0.30
# An entry that leaves much of the question's content unmentioned is a worse
# fit than its raw similarity says: ranking subtracts this share of it.
W_UNCOVERED = 0.25
# The other direction: a phrasing whose own key words the question never
# says ("wrinkly STOMACH skin" for "does it help wrinkles") fits less well.
W_MISSING = 0.25
# A phrasing that names the treatment ("is THE PROCEDURE suitable for dark skin") matched by a
# question that names something else instead ("is HIFU suitable for dark skin") is about that
# other thing: the phrasing's frame fits, its subject does not (see Index._substituted).
W_SUBSTITUTE = 2.0
POINTERS = frozenset("it this these they them".split())
# "how long does it take to heal after A CAESAREAN": what a preposition brings in is what the
# question is about or conditioned on; one that neither the leaflet nor any entry uses is a
# question about something else, however well the rest of the phrasing fits.
W_SPECIFIER = 3.0
_PREPOSITIONS = frozenset("after following before during from of with over since post on".split())
_DETERMINERS = frozenset("a an the my your his her their our some any".split())
# How many words of the noun phrase after a preposition are read ("of a DENTAL BRIDGE").
PHRASE = 3
# From this many content words a message is long; when no more than this share
# of them is unknown, the unknown ones are left out of the match.
LONG = 6
LONG_FOREIGN_SHARE = 0.34
LONG_WORDS = 12
# How many of a story's unknown words count against its question part.
STORY_FOREIGN = 1
# How alike a misspelling and the word it was meant to be are (OSA similarity).
SPELLING, SPELLING_SHORT = 0.77, 0.74
# The shortest word a split one is joined into: "a wake" is "awake", but "a bout" stays.
REJOINED = 5
_ABBREVIATION = re.compile(r"\b[A-Z]{2,6}\b")
# The same for a word that is no English word at all: (up to four letters, longer).
NOT_A_WORD = (0.74, 0.70)
# Endings that make another form of the same word: a real word is corrected only into such a form.
INFLECTIONS = frozenset(["s", "es", "d", "ed", "ing", "ly"])
# The endings of medical words ("colon-oscopy", "colp-oscopy"): two such words differ in what comes
# before, which names the part of the body, so only one edit there is a misspelling (see _other_part).
_MEDICAL_ENDING = re.compile(r"(?:o|i)?(?:scop(?:y|ies|e|es|ic)|tom(?:y|ies)|stom(?:y|ies)|ectom(?:y|ies)"
                             r"|plast(?:y|ies)|graph(?:y|ies)|grams?|log(?:y|ist|ists)|itis|algia|path(?:y|ies)|osis|a?emia"
                             r"|cente(?:sis|ses)|lysis|pexy|rrhaphy)$")
# An ending spelt as it sounds: "infecshun", "sucshun".
_SOUNDED = re.compile(r"(?:shun|shon|shen)(?=s?$)")
# Adjectives whose comparatives ("longer", "darker", "safer") are read as the plain word.
GRADABLE = frozenset("""long short big small large little high low old young new fast slow quick soon late early
hard soft strong weak thick thin tight loose smooth rough deep firm bright dark light pale fair red cheap easy
safe wide narrow close near far few great good bad full quiet loud clear""".split())
# Words that ask for an amount ("how MANY years"): an answer that gives a number covers them; and
# for a rate ("what PERCENT"), an answer that gives one ("95%", "1 in 100").
QUANTITY = frozenset(stem(w) for w in "many number often".split())
RATE = frozenset(stem(w) for w in "percent percentage".split())
# And for a length of time ("how LONG", "what PERIOD"), an answer that gives one ("2 weeks", "a few days").
DURATION = frozenset(stem(w) for w in "long period duration".split())
_DURATION = re.compile(r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
                       r"thirty|forty|fifty|few|several|couple of|some|many)(?: to \w+| or \w+)?[ -]"
                       r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?)\b")
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
                     r"forty|fifty|hundred|thousand|half|once|twice)\b")
_RATE = re.compile(r"%|\bper ?cent|\b(?:in|out of) (?:every )?(?:\d|one|two|three|five|ten|a hundred|a thousand)")
# A known word that is neither a synonym term nor in any entry's question
# ("appearance", "patient") says little about the topic: it counts this much.
W_NOT_TOPICAL = 0.5
# Words every entry is about, so none of them counts as left uncovered: the
# words any clinic's questions lean on ("does it WORK", "will it HELP"), the
# words of the treatment's name, and words found in this share of the answer
# entries' phrasings.
# (the device, machine, procedure or operation is the treatment itself, whatever a clinic's treatment is;
# not "surgery", which a clinic that does none compares itself with)
GENERAL_WORDS = frozenset(stem(w) for w in ["treatment", "work", "help", "improve", "done", "suitable", "procedure",
                                            "operation", "op", "device", "machine", "equipment", "instrument",
                                            "appliance"])
EVERYWHERE = 0.4
# A word the knowledge never uses is read as one of its own words of the same family
# ("post-procedural" as "procedure", "the indications" as "indicated"): the Porter2 stemmer
# finds the family. Not a person for a thing ("consultant" is no "consultation", "manager"
# no "management"), nor an adverb, which says how, not what.
_FAMILY = snowballstemmer.stemmer("english")
PERSON_ENDINGS = ("ant", "ist", "or", "er", "ian")
# Neither is done for a word shorter than this.
MIN_LETTERS = 5
# A rare word that begins one of the knowledge's words is its clipped form ("physio" for
# "physiotherapy", "sclero" for "sclerotherapy"): this rare in English, this many letters
# short of the whole word.
CLIPPED_USAGE = 1e-6
CLIPPED_SHORT = 4


@dataclass(frozen=True)
class Query:
    """A message made ready for matching."""

    text: str
    content: tuple[str, ...]
    foreign: tuple[str, ...]
    # Share of the message's content words the knowledge base has never seen.
    foreign_share: float = 0.0
    # The content words a preposition brings in ("after A CAESAREAN", "of BOTOX").
    specified: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """One entry's fit to a question."""

    entry: Entry
    score: float
    uncovered: float
    phrasing: str


# Text-speak drops vowels ("shd", "wrk"); these few are words without any. (Two letters
# are left alone: "dr", "st", "bp" and "ct" are titles and abbreviations.)
_VOWELLESS = re.compile(r"[b-df-hj-np-tv-xz]{3,5}")
UNVOICED = frozenset("hmm hmmm mm mmm shh sh tsk brr pfft grr nth zzz".split())


def written_names(message: str) -> frozenset[str]:
    """Words written as names inside a sentence that no English dictionary knows ("is Profhilo safe",
    "what about HIFU"): another product's or treatment's name, never to be corrected into one of our
    words ("Thermage" is not "thermal"). A message all in capitals is shouting, and one with most of
    its words capitalised is in title case: neither says which words are names."""
    inside = [w for sentence in _SENTENCE_END.split(message) for w in _WRITTEN_WORD.findall(sentence)[1:]]
    capitalised = [w for w in inside if w[0].isupper() and w != "I"]
    if message.upper() == message or 2 * len(capitalised) > len(inside):
        return frozenset()
    return frozenset(fold(w) for w in capitalised if not is_word(fold(w)))


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")
_WRITTEN_WORD = re.compile(r"[^\W\d_][^\W_]*")


def _keeps_in_order(short: str, word: str) -> bool:
    letters = iter(word)
    return all(ch in letters for ch in short)


# The grammar of a treatment's name ("THE <device>", "<therapy> FOR <complaint>", "<removal> BY <method>"):
# filler there as anywhere.
_NAME_GRAMMAR = frozenset("a an the of for by with to in on at and or from your our my its".split())


def subject_words(knowledge: Knowledge) -> frozenset[str]:
    """The stems of the treatment's name: this clinic's subject, never filler."""
    return frozenset(stem(w) for w in normalize(knowledge.clinic.treatment, knowledge.synonyms).split()
                     if w not in _NAME_GRAMMAR)


def generic_words(knowledge: Knowledge, keep: frozenset[str]) -> frozenset[str]:
    """The words every entry of this knowledge is about (see GENERAL_WORDS); `keep` is its subject."""

    def stems(text: str) -> set[str]:
        return {stem(w) for w in content_words(normalize(text, knowledge.synonyms), keep)}

    answers = [e for e in knowledge.entries if e.type == "answer"]
    counts: Counter[str] = Counter()
    for entry in answers:
        counts.update(set().union(*(stems(p) for p in entry.phrasings)))
    common = {w for w, n in counts.items() if n >= EVERYWHERE * len(answers)}
    return GENERAL_WORDS | keep | common


def phrasing_rows(knowledge: Knowledge) -> tuple[list[str], list[int]]:
    """Every phrasing of every entry, normalised, and the entry (its position) each belongs to."""
    rows: list[str] = []
    owners: list[int] = []
    for i, entry in enumerate(knowledge.entries):
        for phrasing in entry.phrasings:
            rows.append(normalize(phrasing, knowledge.synonyms))
            owners.append(i)
    return rows, owners


def _comparative_base(word: str) -> str:
    """The adjective of a comparative or superlative ("longer" -> "long", "bigger" -> "big"), or ''.
    Only common gradable adjectives: "number" is no "numb"-er, nor "shower" a "show"-er."""
    for suffix in ("est", "er"):
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            # "bigger" -> "big", "safer" -> "safe", "earlier" -> "early"
            for candidate in (base, base[:-1], base + "e", base[:-1] + "y" if base.endswith("i") else base):
                if candidate in GRADABLE:
                    return candidate
    return ""


def _other_part(word: str, known: str) -> bool:
    """Whether a medical word names another part of the body than the known one it would be corrected into:
    "colonoscopy" (or "colposcpy") is no misspelt "colposcopy" at an endoscopy clinic, though "colonscopy"
    is a misspelt "colonoscopy". What comes before the known word's ending ("colon|oscopy") is compared with as
    much of the word, as it sounds."""
    ending = _MEDICAL_ENDING.search(known)
    if ending is None:
        return False
    cut = len(known) - ending.start()
    return OSA.distance(_as_said(word[:-cut]), _as_said(known[:-cut])) > 1


def _as_said(part: str) -> str:
    """A word's part as it sounds, for telling a misspelling from another word: "encefal" is "encephal", and
    "optham" is "ophthalm" but for one letter."""
    for spelt, said in (("pth", "fth"), ("ph", "f"), ("ae", "e"), ("oe", "e"), ("y", "i"), ("k", "c")):
        part = part.replace(spelt, said)
    return re.sub(r"(.)\1", r"\1", part)


def _inflected(word: str, known: str) -> bool:
    """The word an inflected form of the known one ("dangers" of "danger", "toned" of "tone",
    "replies" of "reply"); never the other way ("minor" is not "minors", "scare" not "scared")."""
    if word.startswith(known) and word[len(known):] in INFLECTIONS:
        return True
    stem_of = known[:-1] if known.endswith(("e", "y")) else known
    return word.startswith(stem_of) and word[len(stem_of):] in ("ing", "ies", "ied", "ed")


@lru_cache(maxsize=65536)
def _family(word: str) -> str:
    return _FAMILY.stemWord(word)


class Index:
    """Every phrasing of every entry, ready to rank entries for a question."""

    def __init__(self, knowledge: Knowledge, cache: Path | None = None) -> None:
        self.knowledge = knowledge
        self.synonyms = knowledge.synonyms
        self.entries = knowledge.entries
        rows, owners = phrasing_rows(knowledge)
        self.rows = rows
        self.keep = subject_words(knowledge)
        self.generic = generic_words(knowledge, self.keep)
        self._questions = {e.id: self._question(e) for e in self.entries}
        if cache is not None:  # fitted apart, so this process never imports scikit-learn
            fit_apart(rows, (word_features, char_features), cache)
        self.words = TfidfSpace(rows, word_features, cache)
        self.chars = TfidfSpace(rows, char_features, cache)
        self.space = FusedSpace(self.words, self.chars, W_WORD, W_CHAR)
        self._sections = [(section.heading, " ".join(" ".join(p) for p in section.paragraphs))
                          for section in sections(knowledge.document) if section.heading]
        self.entry_vocab = [self._vocab(e) for e in self.entries]
        row_terms = [self._terms(row) for row in rows]
        # Per phrasing: its entry, its words sorted, its key words with their idf, and their sum.
        self._row_facts = [(owner, " ".join(sorted(row.split())), terms, sum(weight for _, weight in terms))
                           for owner, row, terms in zip(owners, rows, row_terms)]
        self._subject_refs = self.keep | {stem(w) for w in GENERAL_WORDS} | POINTERS
        self._row_refs = [self._refs(row) for row in rows]
        self.known = frozenset().union(*self.entry_vocab, self._document_vocab())
        self.topical = self._topical_vocab()
        self.spelling = sorted(self._spelling_vocab())
        self._spelling_set = frozenset(self.spelling)
        # The abbreviations the clinic writes ("ECG", "MRI", "GP"): said letter by letter, they are one word.
        texts = [self.knowledge.document, *(t for e in self.entries for t in (e.question, e.answer))]
        self.abbreviations = frozenset(w.lower() for text in texts for w in _ABBREVIATION.findall(text)) - STOPWORDS
        self._families = self._family_words()
        self._topic_words: dict[str, list[str]] = {}
        self._filler_words: dict[str, list[str]] = {}
        for word in self.spelling:
            group = self._filler_words if word in STOPWORDS and stem(word) not in self.keep else self._topic_words
            group.setdefault(word[0], []).append(word)
        self._correct = lru_cache(maxsize=4096)(self._correct_word)
        warm()

    def normalize(self, text: str) -> str:
        return normalize(text, self.synonyms)

    def _vocab(self, entry: Entry) -> frozenset[str]:
        texts = [*entry.phrasings, entry.answer if entry.type == "answer" else ""]
        # A sentence speaks in the context of its section: the paper stitches under "How is the
        # implant removed?" are the removal's.
        texts += [heading for heading, text in self._sections for source in entry.sources if source in text]
        words = frozenset(stem(w) for t in texts for w in content_words(self.normalize(t), self.keep))
        if entry.type != "answer":
            return words
        answer = fold(entry.answer)
        if _NUMBER.search(answer):
            words |= QUANTITY
        if _DURATION.search(answer):
            words |= DURATION
        return words | RATE if _RATE.search(answer) else words

    def _question(self, entry: Entry) -> tuple[str, tuple[str, ...]]:
        text = self.normalize(entry.question)
        return text, tuple(stem(w) for w in content_words(text, self.keep))

    def _terms(self, text: str) -> tuple[tuple[str, float], ...]:
        words = {stem(w) for w in content_words(text, self.keep)} - self.generic
        return tuple((w, self._idf(w)) for w in sorted(words))

    def _document_vocab(self) -> set[str]:
        return {stem(w) for w in content_words(self.normalize(self.knowledge.document), self.keep)}

    def _spelling_vocab(self) -> set[str]:
        """The words a misspelling may be corrected into: the knowledge's own, the common ones, and the
        variants the synonyms read ("convalesence" is "convalescence"). A built-in plain word this
        knowledge never uses is none of them: "brusing" is "bruising" here, not "brushing"."""
        texts = [self.knowledge.document, *(t for e in self.entries for t in (*e.phrasings, e.answer))]
        own = {w for text in texts for w in normalize(text).split()}
        words = set(STOPWORDS) | own
        words.update(w for variant in self.synonyms for w in normalize(variant).split())
        words.update(w for term in set(self.synonyms.values()) for w in normalize(term).split() if w in own)
        return {w for w in words if w.isalpha()}

    def _family_words(self) -> dict[str, str]:
        """Each family (Porter2 stem) of the knowledge's own words, and its word most used there."""
        texts = [self.knowledge.document, *(t for e in self.entries for t in (*e.phrasings, e.answer))]
        counts = Counter(w for text in texts for w in normalize(text).split()
                         if w.isalpha() and len(w) >= MIN_LETTERS and w not in STOPWORDS)
        families: dict[str, str] = {}
        for word, _ in counts.most_common():
            families.setdefault(_family(word), word)
        return families

    def _correct_word(self, word: str) -> str:
        """The known word an unknown one was meant as: misspelt, of the same family, or clipped."""
        spelled = self._spelled(word)
        if spelled in self._spelling_set or not word.isalpha() or stem(word) in self.known:
            return spelled  # ("befor" is "before", not "beforehand")
        return self._kin(word) or self._unclipped(word) or spelled

    def _kin(self, word: str) -> str:
        """The knowledge's word of the same family ("procedural" -> "procedure"), or ''."""
        if len(word) < MIN_LETTERS or word.endswith("ly"):
            return ""
        found = self._families.get(_family(word), "")
        return found if found and found.endswith(PERSON_ENDINGS) == word.endswith(PERSON_ENDINGS) else ""

    def _unclipped(self, word: str) -> str:
        """The knowledge's most used word that a rare one is the start of ("physio"), or ''."""
        if len(word) < MIN_LETTERS or usage(word) >= CLIPPED_USAGE:
            return ""
        return next((w for w in self._families.values()
                     if w.startswith(word) and len(w) >= len(word) + CLIPPED_SHORT), "")

    def _spelled(self, word: str) -> str:
        """The known word a misspelt one was meant to be, or the word itself.

        Typos keep their first letter. An unknown word becomes a filler word
        only when it is a near-certain misspelling of it ("realy" is "really"),
        never loosely ("weather" is not "whether", "cats" is not "chats"): it
        stays unknown, which is what tells an off-topic question apart.
        """
        if word in self._spelling_set or not word.isalpha():
            return word
        if _VOWELLESS.fullmatch(word) and word not in UNVOICED:
            return self._unabbreviated(word)
        if len(word) < 3:
            return word
        # One edit from five letters (a swapped pair counts as one), two from
        # nine; a three-letter word only gains a letter ("saf" is "safe").
        # A word that is no English word is a typo for sure, so one edit
        # from four letters ("wrok") and two from seven ("childern").
        real = is_word(word)
        if not real:
            sounded = _SOUNDED.sub("tion", word)  # "infecshun" is "infection", as it sounds
            if sounded != word and sounded in self._spelling_set:
                return sounded
        base = _comparative_base(word)
        if real and base:
            return base  # "longer" recovery is a long one; "darker" skin is dark
        cutoff = (SPELLING if len(word) > 3 else SPELLING_SHORT) if real else NOT_A_WORD[len(word) > 4]
        topic = self._topic_words.get(word[0], [])
        filler = self._filler_words.get(word[0], []) if len(word) > 4 or not real else []
        if not real:
            # Any known word will do; of the closest, the most used ("waht" is "what", not "wait").
            near = process.extract(word, topic + filler, scorer=OSA.normalized_similarity, score_cutoff=cutoff,
                                   limit=None)
            best = max((score for _, score, _ in near), default=0.0)
            tied = [w for w, score, _ in near if score == best]
            found = (max(tied, key=usage), best) if tied else None
            english = english_correction(word)
            if english and OSA.normalized_similarity(word, english) > best:
                return english  # "repiared" is "repaired", though the knowledge only says "replaced"
        else:
            found = process.extractOne(word, topic, scorer=OSA.normalized_similarity, score_cutoff=cutoff)
            closer = process.extractOne(word, filler, scorer=OSA.normalized_similarity,
                                        score_cutoff=max(cutoff, found[1] if found else 0.0)) if filler else None
            if closer is not None and (found is None or closer[1] > found[1]):
                found = closer
        if found and word.endswith("ly") and word.startswith(found[0][:-1]):
            return word  # "massively" is an adverb, not a misspelt "massive"
        if found and _other_part(word, found[0]):
            # another procedure ("colonoscopy" at a colposcopy clinic): a word of its own, or a misspelt English one
            return word if real else english_correction(word) or word
        if found and real and not _inflected(word, found[0]):
            return word  # "thinks" is no misspelt "thanks", though "dangers" is our "danger"
        if found is None and not real:  # "aftr" is "after", though the knowledge never says it
            return english_correction(word) or word
        return found[0] if found else word

    def _unabbreviated(self, word: str) -> str:
        """A word written without its vowels ("shd", "wrk"): the known word whose letters it keeps
        in order, with its first letter; of several, the most used ("cld" is "could", not "cold")."""
        found = [w for w in self._topic_words.get(word[0], []) + self._filler_words.get(word[0], [])
                 if len(word) < len(w) <= len(word) + 4 and _keeps_in_order(word, w)]
        return min(found, key=lambda w: (-usage(w), w)) if found else word

    def corrected(self, plain: str, names: frozenset[str] = frozenset()) -> str:
        """A normalised message with its misspellings corrected ("swolen" -> "swollen"), but not `names`."""
        words, out, i = plain.split(), [], 0
        if all(w in self._spelling_set for w in words):
            return plain  # every word is one of the knowledge's own, or a common word
        while i < len(words):
            joined, taken = self._rejoined(words, i, names)
            out.append(joined or (words[i] if words[i] in names else self._correct(words[i])))
            i += taken
        return " ".join(out)

    def _rejoined(self, words: list[str], i: int, names: frozenset[str]) -> tuple[str, int]:
        """Speech recognition writes a long word it does not know as short ones it does ("cat a rack",
        "micro suction"): pieces not all of which the knowledge uses, that together spell, or nearly, one of
        its words. The word and how many pieces it takes, or ("", 1). Pieces that spell it exactly come
        first: "anti depressants i take" is "antidepressants i take", not "antidepressants take"."""
        near: list[tuple[str, int]] = []
        for n in (3, 2):
            pieces = words[i : i + n]
            if len(pieces) < n or any(p in names or not p.isalpha() for p in pieces):
                continue
            if all(p in self._spelling_set or stem(p) in self.known for p in pieces):
                continue
            joined = "".join(pieces)
            word = joined if joined in self._spelling_set else self._correct(joined)
            if word in STOPWORDS or stem(word) not in self.known or len(word) < REJOINED:
                continue
            if word == joined:
                return word, n
            # "catarack" is "cataract"; but two pieces, one of them a short word, must spell it exactly:
            # "a wart" is not "aware".
            if OSA.distance(word, joined) <= 1 and (n == 3 or min(map(len, pieces)) >= 3):
                near.append((word, n))
        return near[0] if near else ("", 1)

    def query(self, plain: str, names: frozenset[str] = frozenset()) -> Query:
        """From a normalised message: correct spelling (never `names`, see written_names), map synonyms,
        find unknown words."""
        text = apply_synonyms(self.corrected(plain, names), self.synonyms)
        # An unknown adverb ("massively", "seriously") says how, not what: not a topic.
        content = tuple(stem(w) for w in content_words(text, self.keep)
                        if not (len(w) >= 6 and w.endswith("ly") and stem(w) not in self.known))
        if not content and any(w.isdigit() for w in text.split()):
            content = ("<number>",)  # "what's 2+2": a bare number is a topic, and not one of ours
        foreign = tuple(w for w in content if w not in self.known)
        share = len(foreign) / len(content) if content else 0.0
        specified = self._specified(text)
        # A word no English dictionary knows, left after spelling correction, is a name: "is BOTOX safe".
        unheard = tuple(stem(w) for w in text.split() if stem(w) in foreign and w.isalpha() and not is_word(w))
        specified = specified + tuple(n for n in unheard if n not in specified)
        if len(content) >= LONG and len(foreign) <= LONG_FOREIGN_SHARE * len(content):
            # A long message mostly in our words: its few unknown ones are
            # chit-chat ("I've got a holiday in three months"), so the match is
            # made on the rest; they still count against the confidence.
            # (Not what a preposition brings in: "... wound care after A CAESAREAN" is the question.)
            dropped = set(foreign) - set(specified)
            text = " ".join(w for w in text.split() if stem(w) not in dropped)
            content = tuple(w for w in content if w not in dropped)
        return Query(text, content, foreign, share, specified)

    def _specified(self, text: str) -> tuple[str, ...]:
        """Stems of the words a preposition brings in (its noun phrase: "of a dental BRIDGE", "after a toe
        AMPUTATION"), where the knowledge never uses them ("to" is one before a determiner or such a
        word: "amenable to COOLSCULPTING", not "to heal")."""
        words, found = text.split(), []
        short = len(words) < LONG_WORDS  # a story's "to" is its context: "turning up to a wedding"
        for i, word in enumerate(words[:-1]):
            after = words[i + 1]
            to_a_thing = word == "to" and short and (after in _DETERMINERS or stem(after) not in self.known)
            if word not in _PREPOSITIONS and not to_a_thing:
                continue
            start = i + 1 + (after in _DETERMINERS)
            for head in words[start : start + PHRASE]:
                if head in STOPWORDS or head.isdigit():
                    break
                if stem(head) not in self.known:
                    found.append(stem(head))
        return tuple(found)

    def part(self, plain: str, whole: Query, names: frozenset[str] = frozenset()) -> Query:
        """A part of a long message: its own unknown words count, and the rest of the message's as one
        (a story's holiday or grandson is context, but a question after it is still less sure)."""
        query = self.query(plain, names)
        elsewhere = [w for w in whole.foreign if w not in query.foreign][:STORY_FOREIGN]
        # (What a preposition brings in is no more than context in a story: "after my holiday".)
        return Query(query.text, query.content, query.foreign + tuple(elsewhere), whole.foreign_share)

    def expand(self, query: Query, entry: Entry) -> Query:
        """The query with an entry's question added: context for a follow-up."""
        text, content = self._questions[entry.id]
        return Query(f"{query.text} {text}", query.content + content, query.foreign, query.foreign_share,
                     query.specified)

    def rank(self, query: Query, limit: int = 5) -> list[Candidate]:
        """The best entries for a query, best first, one candidate per entry."""
        if not query.text:
            return []
        combined = self.space.scores(query.text)
        shortlist = min(SHORTLIST, len(combined))
        # (Selecting the smallest of the negated scores: selecting the largest
        # is many times slower when most scores are equal, as zeros are.)
        top = np.argpartition(-combined, shortlist - 1)[:shortlist]
        best: dict[int, tuple[float, int]] = {}
        weights = self._query_weights(query)
        # A long message contains a phrasing rather than resembling it as a whole.
        # (token_sort_ratio is ratio on sorted words: the rows are sorted once.)
        long = len(query.text.split()) >= LONG_WORDS
        text = query.text if long else " ".join(sorted(query.text.split()))
        uncovered: dict[int, float] = {}
        said = frozenset(query.content)
        refs = self._refs(query.text)
        for row, fused in zip(top.tolist(), combined[top].tolist()):
            owner, phrasing, terms, total = self._row_facts[row]
            left = uncovered.get(owner)
            if left is None:
                left = uncovered[owner] = self._uncovered(weights, owner)
            fuzzy = fuzz.token_set_ratio(text, self.rows[row]) if long else fuzz.ratio(text, phrasing)
            # The share of the phrasing's own key words (idf-weighted) that the question lacks.
            missing = sum([weight for word, weight in terms if word not in said]) / total if total else 0.0
            score = fused + W_FUZZ * fuzzy / 100.0 - W_UNCOVERED * left - W_MISSING * missing
            if owner not in best or score > best[owner][0]:
                best[owner] = (score, row)
        ordered = sorted(best.items(), key=lambda item: -item[1][0])[:limit]
        return [
            Candidate(self.entries[i], max(0.0, min(1.0, s)),
                      self._substituted(uncovered[i], refs, row, bool(query.foreign)), self.rows[row])
            for i, (s, row) in ordered
        ]

    def _substituted(self, left: float, refs: frozenset[str], row: int, unknown: bool) -> float:
        """The uncovered share, counted W_SUBSTITUTE times over when the phrasing names the treatment
        ("is THE PROCEDURE suitable for all skin types") and the question names something else in
        its place ("is HIFU suitable for all skin types"): no word of its own for the treatment, and
        words this entry never uses. A word of the treatment's own name, with no unknown word beside it
        (`unknown`), is the treatment itself ("the cost of AN IMPLANT" where the treatment's name ends in
        that word); beside an unknown name it is not ("is HIFU suitable for all SKIN types" where "skin" is
        a word of the treatment's name)."""
        row_refs = self._row_refs[row]
        if left and row_refs - refs and not refs - row_refs and (unknown or not refs & self.keep):
            return min(1.0, W_SUBSTITUTE * left)
        return left

    def _refs(self, text: str) -> frozenset[str]:
        """How normalised text speaks of the treatment: words of its name, "the procedure", "it"."""
        return frozenset(w if w in POINTERS else stem(w) for w in text.split()
                         if w in POINTERS or stem(w) in self._subject_refs)

    def uncovered(self, query: Query, entries: list[int], context: int) -> list[float]:
        """Share of the question's content (idf-weighted) each entry never mentions, in a follow-up.

        Words the previous entry (`context`) covers are what the conversation
        is already about: "what about older guys?" after the entry on men asks
        the age entry about men. The previous entry itself is judged on all."""
        weights = self._query_weights(query)
        rest = [(w, weight) for w, weight in weights if w not in self.entry_vocab[context]]
        return [self._uncovered(weights if i == context else rest, i) for i in entries]

    def _query_weights(self, query: Query) -> list[tuple[str, float]]:
        return [(w, self._idf(w) * (1.0 if w in self.topical or w not in self.known else W_NOT_TOPICAL)
                 * (W_SPECIFIER if w in query.specified else 1.0))
                for w in query.content if w not in self.generic]

    def _topical_vocab(self) -> frozenset[str]:
        """The words the knowledge is about: its synonym terms and the words of its questions."""
        texts = [*self.synonyms.values(), *(self.normalize(e.question) for e in self.entries)]
        return frozenset(stem(w) for t in texts for w in content_words(t, self.keep))

    def _uncovered(self, weights: list[tuple[str, float]], entry_index: int) -> float:
        total = sum(weight for _, weight in weights)
        if not total:
            return 0.0
        vocab = self.entry_vocab[entry_index]
        return sum(weight for word, weight in weights if word not in vocab) / total

    def _idf(self, word: str) -> float:
        index = self.words.vocabulary.get(word)
        if index is None:
            return math.log(self.words.n_documents + 1) + 1.0
        return float(self.words.idf[index])
