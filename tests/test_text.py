import pytest

from bot.gsm import segments, to_gsm
from bot.text import normalize, stem


@pytest.mark.parametrize(("raw", "expected"), [
    ("What's the down-time?", "what is the down time"),
    ("IS IT SAFE??", "is it safe"),
    ("r u open 2day", "are you open today"),
    ("thx, pls tell me abt it b4 i book", "thanks please tell me about it before i book"),
    ("doesn\u2019t it hurt", "does not it hurt"),
    ("ｆｕｌｌｗｉｄｔｈ text", "fullwidth text"),
    ("caf\u00e9 na\u00efve", "cafe naive"),
    ("sooooo saggy", "soo saggy"),
    ("w/ my skin", "with my skin"),
    ("redness post-treatment", "redness after treatment"),
    ("pre-op checks for non-smokers", "before operation checks for not smokers"),
    ("a well-known post office", "a well known post office"),
])
def test_normalize_folds_case_punctuation_and_text_speak(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("can i have an m r i with the e c g on", "can i have an mri with the ecg on"),
    ("how do i clean my c p a p mask", "how do i clean my cpap mask"),
    ("do i need a g p letter", "do i need a gp letter"),
    # only the clinic's own abbreviations: text-speak, another clinic's words and lists stay letters
    ("y r u late", "why are you late"),
    ("c u r open late", "see you are open late"),
    ("i take h r t", "i take h are t"),
    ("hep a b and c", "hep a b and c"),
])
def test_letters_said_one_by_one_spell_the_clinics_abbreviations(raw, expected):
    assert normalize(raw, spelt=frozenset({"mri", "ecg", "cpap", "gp"})) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("hw long til i can go bk 2 wrk 2moro", "how long until i can go back to work tomorrow"),
    ("can i bk online", "can i book online"),  # "bk" is "book" where someone does it
    ("can both eyes b done 2gether", "can both eyes be done together"),
    ("do u hav 2 wait 4 it 2 b ripe", "do you have to wait for it to be ripe"),
    ("wen can i swim afta my op", "when can i swim after my operation"),
    ("dunno if its gona b sore 2moro", "do not know if its going to be sore tomorrow"),
])
def test_sms_spellings_are_read_as_the_words_meant(raw, expected):
    assert normalize(raw) == expected


# A real word stays itself wherever it can stand: these are not text-speak.
@pytest.mark.parametrize("plain", ["a wen on my neck", "hepatitis b and c", "plan b", "2 weeks after",
                                   "take 2 a day", "vitamin b to help"])
def test_real_words_that_look_like_sms_stay_as_written(plain):
    assert normalize(plain) == plain


# Speech recognition writes a homophone; it is read as the word meant only where the written one cannot stand.
@pytest.mark.parametrize(("raw", "expected"), [
    ("weather or not it works", "whether or not it works"),
    ("does smoking effect weather an implant works", "does smoking affect whether an implant works"),
    ("when do i sea you again", "when do i see you again"),
    ("what to eat the first weak after", "what to eat the first week after"),
    ("i can not get threw to the clinic and my i is worse", "i can not get through to the clinic and my eye is worse"),
    ("will i be a wake", "will i be awake"),
    ("do i half to wear it at knight", "do i have to wear it at night"),
    ("how long do i have to weight for it", "how long do i have to wait for it"),
    ("is it safe four pregnant women", "is it safe for pregnant women"),
    ("would it work four me", "would it work for me"),
])
def test_voice_homophones_are_read_as_the_words_meant(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("plain", ["in the hot weather i sweat", "what effect my diet has", "a side effect",
                                   "can i swim in the sea", "my legs feel weak", "how long to weight bear",
                                   "lose weight for my wedding", "half the time", "the i think",
                                   "four weeks after", "is it ok four times a day", "i take four a day"])
def test_homophones_stay_as_written_where_they_can_stand(plain):
    assert normalize(plain) == plain


def test_synonyms_map_variants_to_one_term():
    table = {"tummy": "abdomen", "time off": "downtime"}
    assert normalize("Tummy and time off?", table) == "abdomen and downtime"


@pytest.mark.parametrize("words", [("bruises", "bruising", "bruised"), ("thighs", "thigh"), ("types", "type"),
                                   ("make", "makes", "making"), ("base", "based", "basing"), ("dose", "dosing"),
                                   ("stop", "stopped", "stopping"), ("fall", "falling"), ("fit", "fitting"),
                                   ("sore", "soreness"), ("dizzy", "dizziness"), ("numb", "numbness")])
def test_stem_matches_word_forms(words):
    assert len({stem(w) for w in words}) == 1


def test_gsm_replaces_curly_quotes_and_dashes():
    text = to_gsm("It\u2019s \u201cfine\u201d \u2014 really\u2026")
    assert text == "It's \"fine\" - really..."
    assert segments(text) == (1, "GSM-7")


def test_segments_count_long_and_unicode_texts():
    assert segments("a" * 160) == (1, "GSM-7")
    assert segments("a" * 161) == (2, "GSM-7")
    assert segments("\u2603" * 71)[1] == "UCS-2"


@pytest.mark.parametrize(("a", "b"), [("string", "stre"), ("sing", "se")])
def test_a_short_root_gains_its_e_only_when_it_lost_one(a, b):
    assert stem(a) != b
