"""Visitors' questions drafted from a leaflet's sentences: general English rules, no treatment's words."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from bot.spelling import is_word, usage
from bot.text import FILLER_VERBS, STOPWORDS

DATA = Path(__file__).resolve().parent / "data"
AUXILIARIES = frozenset("is are was were can may might could will would should must does do has have".split())
# A subject longer than this is a clause, not a thing a visitor names.
SUBJECT_WORDS = 6
# A drafted question stops at this many words: visitors ask short questions.
QUESTION_WORDS = 14
PHRASE_WORDS = 4
# A run-in label ("Driving:", "Facial flushing:") is at most this many words; a longer start is a clause.
LABEL_WORDS = 4
# The clause ends where a second thought begins.
_CLAUSE_END = re.compile(r"[,;:(]|\s(?:which|who|because|as|so that|although|though|but|whether|such as)\s"
                         r"|\s(?:and|or)\s(?=(?:can|may|is|are|will|should|does|do|it|they)\b)")
# A present-tense verb is followed by what it acts on ("stimulates the body", "helps you").
_OBJECT_STARTS = frozenset("the a an you your it its their them this that these those his her my our to some new "
                           "more less most many any all people about around approximately roughly only over "
                           "between several".split())
_FREQUENCY = frozenset("usually often normally generally typically also only sometimes itself".split())
# "The appointment takes about 45 minutes" asks how long.
_DURATION = re.compile(r"\b(?:\d+|an?|a few|several|one|two|three|four|five|six|ten|twenty|thirty|forty|sixty)\b"
                       r"(?:\s*(?:-|to|or)\s*\d+)?\s+(?:minutes?|hours?|days?|weeks?|months?)\b", re.I)
_LEADING = re.compile(r"^(?:(?:for example|for instance|in fact|however|also|in addition|as a result|then|so),?"
                      r"|[a-z]+ly,)\s+", re.I)  # ("Normally, wax works its own way out": not "Early treatment")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'’-]*")
_PERSON = {"your": "my", "yours": "mine", "yourself": "myself", "you're": "i'm", "you've": "i've",
           "she": "I", "he": "I", "her": "my", "his": "my"}
# After these, "you" is who acts ("if you have pain" -> "if i have pain"); elsewhere it is "me".
# Words that open a sentence with a scene-setting phrase before its comma ("In most cases, ...").
_INTRODUCERS = frozenset("in at on during after before for with within over by from once even although though while "
                         "whilst unless since".split())
_PEOPLE_STARTS = frozenset("those people anyone anybody men women adults children patients most many some".split())
_NUMBERS = frozenset("two three four five six seven eight nine ten eleven twelve twenty hundred".split())
_YOU_ACTS = frozenset("if when as that so unless until before after because while and or whether once".split())


@cache
def rules() -> dict:
    """The language tables of bot/data/drafting.yaml."""
    return yaml.safe_load((DATA / "drafting.yaml").read_text(encoding="utf-8"))


def words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD.findall(text)]


def lower(word: str) -> str:
    """Lower case, but acronyms ("TMJ", "A&E") stay as written."""
    return word if len(word) > 1 and word.upper() == word and any(c.isalpha() for c in word) else word.lower()


def speak_as_visitor(tokens: list[str], subject_at: int = -1) -> list[str]:
    """The leaflet's "you" and "your" as a visitor says them: "I", "me", "my"."""
    out = []
    for i, token in enumerate(tokens):
        low = token.lower()
        if low == "you":
            after = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
            before = tokens[i - 1].lower() if i > 0 else ""
            acts = i == subject_at or before in _YOU_ACTS | AUXILIARIES or after in AUXILIARIES \
                or (after in rules()["imperatives"] and verb_base(before) not in _MAKES)  # "the medicines you take"
            out.append("I" if acts else "me")
        elif out and out[-1] == "I" and low in _I_FORMS:
            out.append(_I_FORMS[low])  # "if you are sensitised" -> "if I am sensitised"
        else:
            out.append(_PERSON.get(low, token))
    return out


_I_FORMS = {"are": "am", "were": "was"}
# Before "you" and a verb, these make "you" the one acted on: "to help you sleep", "we will let you go".
_MAKES = frozenset("help let make have get allow ask tell want need watch see hear".split())


def first_clause(sentence: str) -> str:
    """The sentence up to its first comma or second thought, without a leading link word."""
    text = _LEADING.sub("", sentence.strip())
    return _CLAUSE_END.split(" " + text, maxsplit=1)[0].strip().rstrip(".!?")


def verb_base(word: str) -> str:
    """The base of a present-tense verb ("helps" -> "help", "carries" -> "carry")."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if re.search(r"(ch|sh|ss|x|z|o)es$", word):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _finite_verb(tokens: list[str]) -> int:
    """Where the verb of a plain statement is ("The treatment also stimulates ..."), or -1."""
    for i, token in enumerate(tokens[: SUBJECT_WORDS + 1]):
        low = token.lower()
        if low in AUXILIARIES:
            return i
        if i and low.endswith("s") and not low.endswith(("ss", "us", "is", "'s")) \
                and (low not in STOPWORDS or low in FILLER_VERBS) \
                and tokens[i - 1].lower() not in {"the", "a", "an", "of", "and", "or", "with", "for", "in", "on"} \
                and i + 1 < len(tokens) and tokens[i + 1].lower() in _OBJECT_STARTS:
            return i
    return -1


def _as_question(aux: str, subject: list[str], rest: list[str]) -> str:
    subject = speak_as_visitor(subject, subject_at=0)
    rest = speak_as_visitor(rest)
    text = " ".join([aux.capitalize(), *[lower(w) if w != "I" else w for w in subject], *rest][:QUESTION_WORDS])
    return text + "?"


def statement_question(sentence: str, treatment: str) -> str:
    """A yes/no or 'what is' question a visitor would ask of a statement, or '': never one that stops
    where a list was to follow ("Can you test for common allergens such as?")."""
    question = _CLINIC.sub(lambda m: _CLINIC_TO_VISITOR[m.group().lower()], _statement_question(sentence, treatment))
    cut = _DANGLING.sub("?", question)
    return cut if len(cut.split()) >= 3 else ""


# What leads into a list or a clause the question was cut before.
_DANGLING = re.compile(r"(?:\s+(?:such as|including|like|for example|e\.g\.?|eg|as follows|the following|and|or|of|to|"
                       r"with|the|a|an|are|is|there are|there is|these|following|if|when|whether|unless|because))+\?$",
                       re.I)


# A run-in label before what it says: "Driving: please do not drive ...", "Flushing: your face may go red".
_LABEL = re.compile(r"^\s*([A-Z][\w'’ -]{1,40}?):\s+(\S.*)$", re.S)


def _statement_question(sentence: str, treatment: str) -> str:
    if sentence.rstrip().endswith("?") and words(sentence)[:2] and words(sentence)[1].lower() == "you":
        return ""  # the leaflet asks its reader ("Have you had a reaction to a vaccine before?")
    labelled = _LABEL.match(sentence)
    if labelled and len(labelled.group(1).split()) <= LABEL_WORDS and labelled.group(1).split()[0].lower() != "if":
        # (not "If you have diabetes: ...", whose question is its condition)
        return _statement_question(labelled.group(2), treatment) or f"What about {labelled.group(1).lower()}?"
    tokens = words(first_clause(sentence))
    if 0 < len(tokens) < 3 and tokens[0].lower() in rules()["imperatives"]:
        tokens = _listed_words(sentence, tokens)
    opener = sentence.split(",", 1)
    if tokens and tokens[0].lower() in _INTRODUCERS and len(opener) == 2:
        # "At your first visit, your physiotherapist will ask ...": the question is in the main clause.
        tokens = words(first_clause(opener[1]))
    if len(tokens) < 3:
        return ""
    # "It" is the treatment ("It is performed using a laser"), unless it stands for
    # what follows ("It is normal to feel ...", "It may help to write ..."); "this"
    # is what the sentence before said, so it stays.
    if tokens[0].lower() == "it" and treatment and "to" not in [w.lower() for w in tokens[2:5]]:
        tokens = [*treatment.split(), *tokens[1:]]
    if tokens[0].lower() == "please" and len(tokens) > 3:
        tokens = tokens[1:]
    if tokens[0].lower() in _WH:
        # "Which vaccines are free on the NHS ..." asks already; "How often you are invited depends on your
        # age" and "When you get home, rest" name what they answer in a clause, which asks nothing alone.
        told = [w.lower() for w in tokens[1:3]]
        if len(tokens) < 3 or set(told) & _CLAUSE_SUBJECTS or told[0] in ("long", "often", "much", "many", "soon"):
            return ""
        if {w.lower() for w in tokens[2:]} & _SAID_OF_A_CLAUSE:
            return ""  # "What happens next depends on your results", "Why some get it is not known"
        asked = " ".join(_to_visitor(tokens))
        return asked[0].upper() + asked[1:] + "?"
    negated = [w.lower() for w in tokens[:2]] == ["do", "not"]
    if negated or tokens[0].lower() in ("don't", "never"):
        # "Do not put cotton buds in your ears" -> "Can I put cotton buds in my ears?"
        rest = tokens[2:] if negated else tokens[1:]
        return "Can I " + " ".join(speak_as_visitor([lower(w) for w in rest])[:QUESTION_WORDS]) + "?"
    if tokens[0].lower() == "if":
        # ("if" kept while the visitor's words are found: "if you feel unwell" is "if I feel unwell")
        return "What if " + " ".join(speak_as_visitor([lower(w) for w in tokens])[1:QUESTION_WORDS]) + "?"
    adverb = (tokens[0].lower().endswith("ly") and tokens[0].lower() not in _LY_ADJECTIVES
              and tokens[1].lower() in rules()["imperatives"])
    if tokens[0].lower() in rules()["imperatives"] or adverb:  # (and "Ideally have ...", "Only drive when ...")
        return "Should I " + " ".join(speak_as_visitor([lower(w) for w in tokens])[:QUESTION_WORDS]) + "?"
    listed = next((i for i, w in enumerate(tokens[: SUBJECT_WORDS + 1]) if w.lower() in ("include", "includes")), 0)
    if listed:  # "Good candidates for X include those who ...": who (or what) they are
        asks = "Who" if tokens[listed + 1:listed + 2] and tokens[listed + 1].lower() in _PEOPLE_STARTS else "What"
        verb = "is" if tokens[listed].lower() == "includes" else "are"
        return f"{asks} {verb} " + " ".join(speak_as_visitor([lower(w) for w in tokens[:listed]], 0)) + "?"
    return _inverted(tokens)


def _acted(rest: list[str]) -> bool:
    """A past participle after "has" ("has ASKED for", "has moved to"), not an adjective before its noun ("has
    LIMITED side effects", "has EXPERIENCED nurses")."""
    word = rest[0].lower()
    after = rest[1].lower() if len(rest) > 1 else ""
    return len(word) >= 5 and word.endswith("ed") and (not after or after in _OBJECT_STARTS | _AFTER_ACTED)


_AFTER_ACTED = frozenset("for to with about that if by from into on in me us".split())


def _listed_words(sentence: str, tokens: list[str]) -> list[str]:
    """An instruction whose first comma lists words, not clauses ("Wear loose, comfortable, two-piece clothing",
    "Remove jewellery, make-up and nail varnish"): its words up to the thing named, if that is short; else
    none. A list of things ("Avoid sport, the gym, ...") is no list of words."""
    segments = sentence.split(",")
    joined, single = segments[0], True
    for segment in segments[1:]:
        said = words(segment)
        if not said or said[0].lower() in _OBJECT_STARTS or not (single or len(words(joined)) < 3):
            break
        joined, single = f"{joined} {segment}", len(said) == 1
    tokens = words(first_clause(joined))
    return tokens if 3 <= len(tokens) <= SUBJECT_WORDS else []


def _inverted(tokens: list[str]) -> str:
    """The statement turned round: "X can help" -> "Can X help?", "X helps you" -> "Does X help me?"."""
    at = _finite_verb(tokens)
    if at <= 0:
        return ""
    later = [j for j in range(at + 1, min(at + 8, len(tokens))) if tokens[j].lower() in ("is", "are")]
    if tokens[at].lower() in ("can", "may", "might", "could", "will") and later:
        at = later[0]  # the modal was in a clause inside the subject ("the results a person can expect ... are")
    verb, subject, rest = tokens[at].lower(), tokens[:at], tokens[at + 1:]
    if verb in ("takes", "lasts") and _DURATION.search(" ".join(rest)) and len(subject) <= SUBJECT_WORDS:
        while len(subject) > 1 and subject[-1].lower() in _FREQUENCY:  # "the suction itself often takes"
            subject = subject[:-1]
        return "How long does " + " ".join(lower(w) for w in speak_as_visitor(subject, 0)) + f" {verb[:-1]}?"
    defines = subject[0].lower() not in ("this", "that", "these", "those", "it", "they", "there")
    if verb in ("is", "are") and rest and rest[0].lower() in ("a", "an", "the", "one") and len(subject) <= 4 \
            and defines:
        return f"What {verb} " + " ".join(lower(w) for w in speak_as_visitor(subject, 0)) + "?"
    negated = bool(rest) and rest[0].lower() == "not"
    rest = rest[1:] if negated else rest
    if verb in ("may", "might", "could") and rest and rest[0].lower() in ("need", "be", "get", "feel"):
        # "You may need a blood test" asks "Will I need a blood test?", not "Can I need ..." (but "you may have a
        # shower" gives leave: "Can I have a shower?")
        verb = "will"
    elif verb in ("may", "might", "could") or (negated and verb in ("must", "should", "need", "shall")):
        verb = "can"  # "You must not drive for 24 hours" is asked "Can I drive ...?", not "Must I drive ...?"
    # (after "we", "you" or "they", "have" and a word in -ed is what was done: "we have offered evening appointments")
    done_by = subject[-1].lower() in ("we", "you", "they", "i", "he", "she")
    perfect = verb in ("has", "have") and bool(rest) and (rest[0].lower() in _PARTICIPLES or _acted(rest)
                                                          or done_by and rest[0].lower().endswith("ed"))
    if verb in AUXILIARIES - {"has", "have"} or perfect:  # ("Your doctor has asked ...": has my doctor asked)
        return _as_question(verb, subject, rest)
    plural = subject[-1].lower().endswith("s") or subject[-1].lower() in ("you", "people", "they", "we")
    helper = "do" if verb == "have" or (verb not in ("has",) and not verb.endswith("s") and plural) else "does"
    return _as_question(helper, subject, [verb_base(verb) if verb != "has" else "have", *rest])


_WH = frozenset("when how what where why who which".split())
_PARTICIPLES = frozenset("been had given taken seen made done told shown written known gone sent put got gotten "
                         "found kept left brought chosen begun become felt heard paid".split())
# After a question word, these start a clause of its own: "How often YOU are invited depends on ...".
# Words in -ly that name a kind or a time, not how to act ("DAILY exercise helps", "NIGHTLY use of the mask").
_LY_ADJECTIVES = frozenset("daily nightly weekly monthly yearly hourly early elderly friendly likely lovely "
                           "costly lonely".split())
# What is said of a clause that names something ("What happens next DEPENDS on ..."): it asks nothing.
_SAID_OF_A_CLAUSE = frozenset("depends depend varies vary differs differ matters decided known unknown".split())
_CLAUSE_SUBJECTS = frozenset("you we i they it he she the a an your our this that these those there".split())
# The clinic writes "we" and "us"; a visitor asks the clinic, "you".
_CLINIC_TO_VISITOR = {"we": "you", "us": "you", "our": "your", "ours": "yours"}
_CLINIC = re.compile(r"\b(?:we|us|our|ours)\b")
# A heading that says when: "Before your appointment", "On the day", "Afterwards".
_WHEN_HEADINGS = {"before": "What should I do", "after": "What happens", "afterwards": "What happens",
                  "following": "What happens", "during": "What happens", "on": "What happens", "at": "What happens"}
# The noun a heading is about comes before these: "Signs of a blockage", "Risks for older people".
_HEAD_ENDS = frozenset("of for after with in on".split())


def _to_visitor(tokens: list[str], subject_at: int = -1) -> list[str]:
    """The leaflet's "you" as the visitor's "I", and its "we" as the visitor's "you"."""
    return [_CLINIC_TO_VISITOR.get(w.lower(), w) for w in speak_as_visitor([lower(w) for w in tokens], subject_at)]


def heading_question(heading: str) -> str:
    """A heading as a visitor's question: kept when it asks one, else turned into one."""
    tokens = words(heading)
    if not tokens:
        return ""
    if heading.rstrip().endswith("?"):
        return " ".join(heading.split())
    label, colon, rest = heading.partition(":")
    if colon and rest.strip() and len(words(label)) <= LABEL_WORDS and "," not in rest and _asks(words(rest)):
        # "Malaria: avoiding mosquito bites" asks what its part after the colon asks ("Side effects: swelling and
        # bruising" names them, and asks nothing)
        asked = heading_question(rest.strip())
        if not asked.startswith("What about "):
            return asked
    first = tokens[0].lower()
    if first == "about" and len(tokens) > 1:
        return "What about " + " ".join(_to_visitor(tokens[1:])) + "?"  # "About this leaflet"
    if first in _WH and len(tokens) > 2:
        # "What happens on the day" asks its question without the question mark
        asked = _wh_heading(first, [w.lower() for w in tokens[1:]]) or " ".join(_to_visitor(tokens)) + "?"
        return asked[0].upper() + asked[1:]
    when = first in _WHEN_HEADINGS and (len(tokens) > 1 or first == "afterwards") and tokens[1:2] != ["and"]
    if when and len(tokens) <= SUBJECT_WORDS:  # (not "Before and after photos")
        return f"{_WHEN_HEADINGS[first]} " + " ".join(_to_visitor(tokens)) + "?"
    if first.endswith("ing") and len(first) > 5:
        # ("Travelling and flying", "Showering, bathing and swimming": how do I travel and fly)
        doing = ("and", "or", first)
        rest = [_ing_base(w.lower()) if w.lower().endswith("ing") and before.lower() in doing else lower(w)
                for before, w in zip(tokens, tokens[1:])]
        return "How do I " + " ".join(speak_as_visitor([_ing_base(first), *rest])) + "?"
    lowered = [w.lower() for w in tokens]
    head = next((lowered[i - 1] for i in range(1, len(lowered)) if lowered[i] in _HEAD_ENDS), lowered[-1])
    plural = len(head) > 3 and head.endswith("s") and not head.endswith(("ss", "us", "is"))
    if plural and len(tokens) == 1:  # "Risks" are many, "Rabies" is one thing: its singular is no word
        plural = is_word(_singular(head))
    if plural and first not in ("your", "our", "the", "my", "a", "an") and len(tokens) <= SUBJECT_WORDS:
        return "What are the " + " ".join(_to_visitor(tokens)) + "?"  # "Possible side effects"
    return "What about " + " ".join(_to_visitor(tokens)) + "?"


def _asks(tokens: list[str]) -> bool:
    """Whether a heading's words ask something of their own: a question word, or a doing with what it is done to
    ("avoiding mosquito bites", "looking after your teeth"), not things named ("swelling and bruising", "feeling
    sick", "bleeding")."""
    low = [w.lower() for w in tokens]
    if not low:
        return False
    if low[0] in _WH:
        return True
    return (len(low) > 1 and low[0].endswith("ing") and low[1] not in ("and", "or") and not low[1].endswith("ing")
            and low[1] not in _STATES)


# What a "feeling" or "being" is, not what is done: "feeling sick", "being unwell".
_STATES = frozenset("sick unwell dizzy tired faint better worse low ill nauseous anxious sore".split())


def _wh_heading(wh: str, rest: list[str]) -> str:
    """'How to prepare', 'Why we prefer it to syringing', 'Who should check with us first',
    'How it works' as the questions they stand for, or ''."""
    if rest[0] == "to":
        return f"{wh.capitalize()} should I " + " ".join(_to_visitor(rest[1:])) + "?"
    if rest[0] in AUXILIARIES:  # "Who should check with us first"
        return f"{wh.capitalize()} " + " ".join(_to_visitor(rest)) + "?"
    if rest[0] in ("it", "this", "we", "they", "you") and len(rest) > 1:
        subject, verb, more = rest[0], rest[1], rest[2:]
        if verb in AUXILIARIES:  # "Who it is for" -> "Who is it for?"
            return f"{wh.capitalize()} {verb} " + " ".join(_to_visitor([subject, *more], 0)) + "?"
        helper = "does" if subject in ("it", "this") else "do"
        return f"{wh.capitalize()} {helper} " + " ".join(_to_visitor([subject, verb_base(verb), *more], 0)) + "?"
    return ""


def _singular(word: str) -> str:
    """'risks' -> 'risk', 'stitches' -> 'stitch', 'allergies' -> 'allergy' (and 'rabies' -> 'raby')."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-2] if word.endswith(("sses", "xes", "ches", "shes", "zes")) else word[:-1]


def _ing_base(word: str) -> str:
    """'preparing' -> 'prepare', 'looking' -> 'look', 'getting' -> 'get'."""
    base = word[:-3]
    doubled = len(base) > 2 and base[-1] == base[-2] and base[-1] not in "aeiou"  # (not "seeing", "agreeing")
    if doubled and (base[-1] not in "lsz" or not is_word(base) and is_word(base[:-1])):
        return base[:-1]  # ("travelling" -> "travel", but "filling" -> "fill")
    if re.search(r"[^aeiou][aeiou][rvcz]$", base) or base.endswith(("at", "ur", "iz", "us", "bl", "dl")):
        # ("caring" -> "care", but "showering" -> "shower" and "eating" -> "eat": no English word ends in e)
        return base if is_word(base) and not is_word(base + "e") else base + "e"
    return max((base, base + "e"), key=usage)  # ("making", "leaving", "coming": not "com")


def key_phrases(sentence: str, treatment: str = "", limit: int = 4) -> list[str]:
    """Runs of content words ("infrared source of light" -> "infrared source", "light"), longest first.

    The treatment's own name is no key phrase: every sentence is about it."""
    runs: list[list[str]] = [[]]
    for token in words(sentence):
        low = lower(re.sub(r"'s$", "", token))
        if low.lower() in STOPWORDS | _NUMBERS or low.isdigit() or len(low) < 3:
            runs.append([])
        else:
            runs[-1].append(low)
    subject = set(treatment.lower().split())
    # The treatment's own words split a run: "laser skin tightening include" says "include".
    pieces = [[]]
    for run in runs:
        for word in run:
            if word.lower() in subject:
                pieces.append([])
            else:
                pieces[-1].append(word)
        pieces.append([])
    phrases = [" ".join(piece[:PHRASE_WORDS]) for piece in pieces if piece]
    ordered = sorted(dict.fromkeys(phrases), key=lambda p: (-len(p.split()), phrases.index(p)))
    return ordered[:limit]


def people_question(sentence: str) -> str:
    """'Some people may experience redness' -> 'will i experience redness'."""
    text = first_clause(sentence).lower()
    for person in sorted(rules()["people"], key=len, reverse=True):
        match = re.match(rf"{re.escape(person)}\s+(?:(?:may|might|can|could|will|usually|often|also|are able to)\s+)*"
                         rf"([a-z].*)$", text)
        if match:
            rest = match.group(1).split()
            rest[0] = verb_base(rest[0]) if rest[0] not in AUXILIARIES else rest[0]
            if rest[0] in AUXILIARIES:
                return ""
            return "will i " + " ".join(speak_as_visitor(rest)[:QUESTION_WORDS])
    return ""
