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
    ("pre-op checks for non-smokers", "before op checks for not smokers"),
    ("a well-known post office", "a well known post office"),
])
def test_normalize_folds_case_punctuation_and_text_speak(raw, expected):
    assert normalize(raw) == expected


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
