"""The shipped knowledge is valid and complete; broken edits are reported with file:line."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import Bot
from bot.cli import main
from bot.gsm import SMS_LIMIT, to_gsm
from bot.knowledge import load_knowledge, split_sentences
from bot.yamlfile import KnowledgeError

PROJECT = Path(__file__).resolve().parent.parent


def test_shipped_knowledge_loads():
    knowledge = load_knowledge(PROJECT / "knowledge")
    answers = [e for e in knowledge.entries if e.type == "answer"]
    assert 25 <= len(answers) <= 40
    assert all(len(e.alternates) >= 8 for e in knowledge.entries)


def test_every_document_sentence_backs_some_answer():
    knowledge = load_knowledge(PROJECT / "knowledge")
    used = {s for e in knowledge.entries for s in e.sources}
    statements = [s for s in split_sentences(knowledge.document) if not s.endswith("?")]
    assert [s for s in statements if s not in used] == []


def test_sms_forms_fit_and_are_gsm7():
    for entry in load_knowledge(PROJECT / "knowledge").entries:
        assert len(entry.sms) <= SMS_LIMIT, entry.id
        assert to_gsm(entry.sms) == entry.sms, entry.id


def test_handoff_answers_point_to_the_clinic():
    knowledge = load_knowledge(PROJECT / "knowledge")
    for entry in knowledge.entries:
        if entry.type == "handoff":
            assert knowledge.clinic.phone in entry.answer or knowledge.clinic.email in entry.answer, entry.id


def test_project_never_reads_the_shared_folder():
    for path in (PROJECT / "bot").rglob("*.py"):
        assert "../shared" not in path.read_text(), path


def _edit(folder: Path, old: str, new: str, name: str = "faq.yaml") -> None:
    path = folder / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _problems(folder: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    return caught.value.problems


def _line_of(folder: Path, needle: str, name: str = "faq.yaml") -> int:
    lines = (folder / name).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_unknown_key_is_reported_with_its_line(knowledge_dir):
    _edit(knowledge_dir, "  - id: men\n", "  - id: men\n    colour: blue\n")
    line = _line_of(knowledge_dir, "colour: blue")
    assert any(p.startswith(f"faq.yaml:{line}: unknown key 'colour'") for p in _problems(knowledge_dir))


def test_duplicate_id(knowledge_dir):
    _edit(knowledge_dir, "  - id: men\n", "  - id: what\n")
    assert any("duplicate id 'what'" in p for p in _problems(knowledge_dir))


def test_same_alternate_in_two_entries(knowledge_dir):
    line = "      - do men get this treatment\n"
    _edit(knowledge_dir, line, line + "      - is it safe\n")
    assert any("'is it safe' is also a phrasing of" in p for p in _problems(knowledge_dir))


def test_dangling_follow_up(knowledge_dir):
    _edit(knowledge_dir, "follow_ups: [candidates, skin_types, downtime, age]", "follow_ups: [candidates, nowhere]")
    assert any("follow_up 'nowhere' is not an entry id" in p for p in _problems(knowledge_dir))


def test_source_not_in_document(knowledge_dir):
    old = "      - It is appropriate for both men and women"
    _edit(knowledge_dir, old, "      - It is appropriate for everyone and women")
    line = _line_of(knowledge_dir, "It is appropriate for everyone")
    problem = next(p for p in _problems(knowledge_dir) if p.startswith(f"faq.yaml:{line}: "))
    assert "source is not a sentence of the document (copy it exactly)" in problem
    # the sentence it was meant to be, to copy
    assert 'nearest: "It is appropriate for both men and women' in problem


def test_a_source_with_or_without_its_closing_full_stop_is_the_same_sentence(knowledge_dir):
    sentence = "It is appropriate for both men and women and can be used on people of various skin types and tones."
    _edit(knowledge_dir, "      - " + sentence, "      - " + sentence.rstrip("."))
    entry = next(e for e in load_knowledge(knowledge_dir).entries if sentence in e.sources)
    assert entry.id == "candidates"


def test_a_list_item_of_the_leaflet_is_a_source_with_or_without_its_mark(knowledge_dir):
    leaflet = next(knowledge_dir.glob("*.txt"))
    sentence = "It is appropriate for both men and women and can be used on people of various skin types and tones."
    leaflet.write_text(leaflet.read_text().replace(sentence + " ", "\n- " + sentence + "\n", 1))
    _edit(knowledge_dir, "      - " + sentence, f'      - "- {sentence}"')  # copied with its "- "
    bot = Bot.load(knowledge_dir)  # and the entries citing it without the mark load too
    reply = bot.reply("can men have it too")
    assert reply.type == "answer" and sentence in reply.sources and not any(s.startswith("-") for s in reply.sources)


def test_sms_over_limit(knowledge_dir):
    _edit(knowledge_dir, "    sms: It can be used on people", "    sms: " + "x" * 301 + " It can be used on people")
    assert any("sms must be at most 300 GSM-7 characters" in p for p in _problems(knowledge_dir))


def test_missing_field_and_too_few_alternates(knowledge_dir):
    _edit(knowledge_dir, "    question: Can men have laser skin tightening?\n", "")
    problems = _problems(knowledge_dir)
    assert any("missing field 'question'" in p for p in problems)


def test_an_unquoted_number_among_the_alternates_says_to_quote_it(knowledge_dir):
    """YAML reads a bare 111 as a number: the problem names that item, not a count of 0."""
    _edit(knowledge_dir, "      - is it for guys as well\n", "      - 111\n      - is it for guys as well\n")
    problems = _problems(knowledge_dir)
    line = _line_of(knowledge_dir, "      - 111")
    assert f"faq.yaml:{line}: 'alternates' item 1 is read as 111, not text: put it in quotes" in problems
    assert not any("has 0" in p for p in problems)


def test_yaml_syntax_error_names_the_line(knowledge_dir):
    (knowledge_dir / "smalltalk.yaml").write_text("intents:\n  - id: [unclosed\n")
    assert _problems(knowledge_dir)[0].startswith(str(knowledge_dir / "smalltalk.yaml") + ":")


def test_check_command_lists_every_problem_and_fails(knowledge_dir):
    _edit(knowledge_dir, "  - id: men\n", "  - id: what\n")
    _edit(knowledge_dir, "follow_ups: [candidates, skin_types, downtime, age]", "follow_ups: [nowhere]")
    result = CliRunner().invoke(main, ["check", "--knowledge", str(knowledge_dir)])
    assert result.exit_code == 1
    assert "duplicate id 'what'" in result.output and "follow_up 'nowhere'" in result.output


def test_check_command_passes_on_shipped_knowledge():
    result = CliRunner().invoke(main, ["check", "--knowledge", str(PROJECT / "knowledge")])
    assert result.exit_code == 0 and result.output.startswith("ok:")


def test_a_privacy_page_must_be_a_web_address(knowledge_dir):
    clinic = knowledge_dir / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "privacy_url: javascript:alert(1)\n")
    line = _line_of(knowledge_dir, "privacy_url", "clinic.yaml")
    assert f"clinic.yaml:{line}: 'privacy_url' must be a web address (https://...)" in _problems(knowledge_dir)
    clinic.write_text(clinic.read_text().replace("javascript:alert(1)", "https://example-clinic.test/privacy"))
    assert load_knowledge(knowledge_dir).clinic.privacy_url == "https://example-clinic.test/privacy"


@pytest.mark.parametrize("field", ["privacy_url", "booking_url"])
def test_a_clinic_web_address_must_be_https(knowledge_dir, field):
    clinic = knowledge_dir / "clinic.yaml"
    text = clinic.read_text().replace("booking_url: https://", "booking_url: http://")
    clinic.write_text(text + "privacy_url: " + ("http" if field == "privacy_url" else "https") + "://example.test/p\n")
    line = _line_of(knowledge_dir, field, "clinic.yaml")
    assert [p for p in _problems(knowledge_dir) if field in p][0].startswith(f"clinic.yaml:{line}: '{field}' must")


@pytest.mark.parametrize("written", ['"911"', "999", '"+44 20 7946 0000"', '"112"'])
def test_an_emergency_number_is_read_as_written(knowledge_dir, written):
    clinic = knowledge_dir / "clinic.yaml"
    clinic.write_text(clinic.read_text() + f"emergency_phone: {written}\n")
    assert load_knowledge(knowledge_dir).clinic.emergency_phone == written.strip('"')


@pytest.mark.parametrize("written", ["call 911", "000", '"9-1-1!"', '"+"'])
def test_check_reports_a_bad_emergency_number_with_its_line(knowledge_dir, written):
    clinic = knowledge_dir / "clinic.yaml"
    clinic.write_text(clinic.read_text() + f"emergency_phone: {written}\n")
    line = len(clinic.read_text().splitlines())  # the line just added
    result = CliRunner().invoke(main, ["check", "--knowledge", str(knowledge_dir)])
    assert result.exit_code == 1
    assert f"clinic.yaml:{line}: 'emergency_phone' must be a phone number" in result.output


def test_the_shipped_clinic_names_no_emergency_number():
    assert load_knowledge(PROJECT / "knowledge").clinic.emergency_phone == ""
