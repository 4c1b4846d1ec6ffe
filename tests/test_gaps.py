"""What the leaflet says that no entry covers is answered from the leaflet, and only that."""

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bot import Bot
from bot.cli import main
from bot.editing import add_alternate
from bot.knowledge import load_knowledge
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
    ("can men have it", "both men and women"),
    ("what are the side effects", "redness and swelling"),
    ("can it be done on the stomach", "abdominal"),
])
def test_what_no_entry_covers_is_answered_from_the_leaflet(few_entries, question, fact):
    bot = Bot.load(few_entries)
    reply = bot.reply(question)
    assert reply.type == "answer" and reply.answer.startswith(SAYS) and fact in reply.answer
    assert reply.sources and set(reply.sources) <= set(load_knowledge(few_entries).sentences)


@pytest.mark.parametrize("question, kind", [
    ("is botox non-surgical too", {"fallback", "handoff"}),
    ("how do I get red wine out of a carpet", {"fallback"}),
    ("how much does it cost", {"handoff"}),
    ("how many sessions will I need", {"handoff"}),
    ("my face is swollen after treatment, is that normal?", {"handoff"}),
    ("I'm 3 months pregnant, can I have it?", {"handoff"}),
])
def test_the_leaflet_never_answers_off_topic_a_known_unknown_or_a_persons_situation(few_entries, question, kind):
    assert Bot.load(few_entries).reply(question).type in kind


def test_a_folder_whose_entries_cite_every_sentence_gains_nothing(shipped_bot):
    on_disk = load_knowledge(PROJECT / "knowledge")
    assert [e.id for e in shipped_bot.knowledge.entries] == [e.id for e in on_disk.entries]


def test_the_folders_own_entry_still_answers_its_question(few_entries):
    reply = Bot.load(few_entries).reply("what is laser skin tightening?")
    assert reply.type == "answer" and reply.match["id"] == "what" and not reply.answer.startswith(SAYS)


def test_check_says_which_sentences_the_leaflet_answers_itself(few_entries):
    result = CliRunner().invoke(main, ["check", "-k", str(few_entries)])
    assert result.exit_code == 0
    assert "sentence(s) of the leaflet are in no entry's sources" in result.output
    shipped = CliRunner().invoke(main, ["check", "-k", str(PROJECT / "knowledge")])
    assert "no entry's sources" not in shipped.output


def test_a_leaflet_answer_cannot_be_given_an_alternate_but_says_what_to_do(few_entries):
    bot = Bot.load(few_entries)
    leaflet_id = bot.reply("can men have it").match["id"]
    before = (few_entries / "faq.yaml").read_text(encoding="utf-8")
    with pytest.raises(KnowledgeError, match="answered from the leaflet"):
        add_alternate(few_entries, leaflet_id, "is it for blokes")
    assert (few_entries / "faq.yaml").read_text(encoding="utf-8") == before
