"""What the leaflet says that no entry covers is answered from the leaflet, and only that."""

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot import Bot
from bot.cli import main
from bot.editing import add_alternate
from bot.knowledge import load_knowledge
from bot.staff import parse_since, review
from bot.yamlfile import KnowledgeError

PROJECT = Path(__file__).resolve().parent.parent
SAYS = "The clinic's leaflet says: "


def _keep_only(folder: Path, ids: set[str]) -> None:
    """faq.yaml with only these entries, as a clinic that has written few of its own."""
    data = yaml.safe_load((folder / "faq.yaml").read_text(encoding="utf-8"))
    kept = [e for e in data["entries"] if e["id"] in ids]
    for entry in kept:
        entry["follow_ups"] = [f for f in entry.get("follow_ups", []) if f in ids]
    (folder / "faq.yaml").write_text(yaml.safe_dump({"entries": kept}, sort_keys=False), encoding="utf-8")


@pytest.fixture
def few_entries(knowledge_dir: Path) -> Path:
    """The shipped leaflet with one entry of its own, on what the treatment is."""
    _keep_only(knowledge_dir, {"what"})
    return knowledge_dir


@pytest.mark.parametrize("question, fact", [
    ("is it suitable for men", "both men and women"),
    ("is it safe", "safe for most people"),
    ("can it be done on the stomach", "abdominal"),
    ("how long before I see a difference", "right after treatment"),
])
def test_what_no_entry_covers_is_answered_from_the_leaflet(few_entries, question, fact):
    bot = Bot.load(few_entries)
    reply = bot.reply(question)
    assert reply.type == "answer" and reply.answer.startswith(SAYS) and fact in reply.answer
    assert reply.sources and set(reply.sources) <= set(load_knowledge(few_entries).sentences)


@pytest.mark.parametrize("question, kind", [
    ("is botox non-surgical too", {"fallback", "handoff"}),
    ("how do I get red wine out of a carpet", {"fallback"}),
    ("what are the side effects", {"fallback"}),  # two paragraphs fit about as well: neither is sure
    ("how much does it cost", {"fallback"}),
    ("how many sessions will I need", {"fallback"}),
    ("my face is swollen after treatment, is that normal?", {"handoff"}),
    ("I'm 3 months pregnant, can I have it?", {"handoff"}),
])
def test_the_leaflet_never_answers_off_topic_a_known_unknown_or_a_persons_situation(few_entries, question, kind):
    reply = Bot.load(few_entries).reply(question)
    assert reply.type in kind and not reply.answer.startswith(SAYS)


def test_a_folder_whose_entries_cite_every_sentence_gains_nothing(shipped_bot):
    assert shipped_bot.dialogue.leaflet is None


@pytest.mark.parametrize(("question", "entry"), [
    ("Is there anything I should avoid in the week before my appointment?", "preparation"),
    ("Could I go back to work the same day?", "downtime"),
])
def test_the_clinics_own_entries_answer_before_the_leaflet(knowledge_dir, question, entry):
    """A folder that leaves one sentence uncited answers as before: the leaflet is asked only on a fallback."""
    data = yaml.safe_load((knowledge_dir / "faq.yaml").read_text(encoding="utf-8"))
    _keep_only(knowledge_dir, {e["id"] for e in data["entries"]} - {"many_parts"})
    assert Bot.load(knowledge_dir).reply(question).match["id"] == entry


def test_the_folders_own_entry_still_answers_its_question(few_entries):
    reply = Bot.load(few_entries).reply("what is laser skin tightening?")
    assert reply.type == "answer" and reply.match["id"] == "what" and not reply.answer.startswith(SAYS)


def test_check_says_which_sentences_the_leaflet_answers_itself(few_entries):
    result = CliRunner().invoke(main, ["check", "-k", str(few_entries)])
    assert result.exit_code == 0
    assert "sentence(s) of the leaflet are in no entry's sources" in result.output
    # which ones, so that staff can word them: the first ten, then how many more
    listed = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert len(listed) == 10 and "(and " in result.output
    assert all(line[4:] in (few_entries / "laser-skin-tightening.txt").read_text(encoding="utf-8") for line in listed)
    shipped = CliRunner().invoke(main, ["check", "-k", str(PROJECT / "knowledge")])
    assert "no entry's sources" not in shipped.output


def test_a_leaflet_answer_cannot_be_given_an_alternate_but_says_what_to_do(few_entries):
    bot = Bot.load(few_entries)
    leaflet_id = bot.reply("is it suitable for men").match["id"]
    before = (few_entries / "faq.yaml").read_text(encoding="utf-8")
    with pytest.raises(KnowledgeError, match="answered from the leaflet"):
        add_alternate(few_entries, leaflet_id, "is it for blokes")
    assert (few_entries / "faq.yaml").read_text(encoding="utf-8") == before


def test_review_lists_what_the_leaflet_answered_as_a_new_entry_to_write(few_entries, make_store):
    bot = Bot.load(few_entries, make_store())
    assert bot.reply("is it suitable for men").answer.startswith(SAYS)
    bot.reply("what is laser skin tightening?")  # the clinic's own entry: nothing to review
    groups = review(bot, parse_since("1d"))
    assert [g.example for g in groups] == ["is it suitable for men"]
    assert groups[0].reasons["answered from the leaflet"] == 1 and groups[0].action.startswith("new entry")


def test_a_follow_up_after_a_leaflet_answer_is_never_answered_out_of_its_context(few_entries):
    """A leaflet answer is no entry to follow up: "why?" or "how long does that take" after it is
    refused rather than answered from an unrelated paragraph; a follow-up that names its topic is read."""
    bot = Bot.load(few_entries)
    first = bot.reply("is it suitable for men")
    assert first.answer.startswith(SAYS)
    for follow_up in ("why?", "how long does that take"):
        assert bot.reply(follow_up, first.session_id).type == "fallback"
    assert "both men and women" in bot.reply("and women?", first.session_id).answer


def test_a_leaflet_answer_too_long_for_a_text_says_there_is_more(few_entries):
    bot = Bot.load(few_entries)
    reply = bot.reply("is it suitable for men")
    assert len(reply.answer) > 300 and len(reply.sms) <= 300
    assert reply.sms.endswith(f"The leaflet says more: call {bot.knowledge.clinic.phone}.")
