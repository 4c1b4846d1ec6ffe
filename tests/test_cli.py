"""The command line through click's CliRunner."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main

DATA = Path(__file__).resolve().parent / "data"
PROJECT = Path(__file__).resolve().parent.parent


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_ask_prints_type_answer_and_sources():
    result = run("ask", "any downtime?")
    assert result.exit_code == 0
    assert "type:        answer" in result.output
    assert "match:       downtime" in result.output
    assert "source:      This procedure provides some immediate results" in result.output


def test_ask_json_matches_the_api_shape():
    result = run("ask", "how much is it", "--json")
    body = json.loads(result.output)
    assert body["type"] == "handoff" and body["match"]["id"] == "price"
    assert set(body) == {"session_id", "reply_id", "type", "answer", "confidence", "match", "sources", "suggestions"}


def test_ask_with_broken_knowledge_is_one_clear_line(knowledge_dir):
    (knowledge_dir / "clinic.yaml").write_text("name: [\n")
    result = run("ask", "hi", "--knowledge", str(knowledge_dir))
    assert result.exit_code != 0
    assert "clinic.yaml:" in result.output


def test_console_keeps_one_session_and_shows_candidates():
    result = run("console", input="does it work on the thighs\nand my tummy?\n:quit\n")
    assert result.exit_code == 0
    assert "match:       limbs" in result.output
    assert "match:       abdomen" in result.output
    assert "candidates:" in result.output


def test_console_reset_forgets_the_conversation():
    kept = run("console", input="is it safe\n1\n")
    assert "match:       side_effects (" in kept.output
    reset = run("console", input="is it safe\n:reset\n1\n")
    assert "(new conversation)" in reset.output
    assert "match:       side_effects (" not in reset.output


def test_eval_reads_csv_and_prints_categories_and_overall(tmp_path):
    sample = tmp_path / "set.csv"
    sample.write_text("question,expected\nis it safe,safe\nhow much is it,handoff\nhi,smalltalk\n"
                      "is laser tag fun,fallback\nwhat is it,men\n")
    result = run("eval", str(sample))
    assert result.exit_code == 0
    assert "out-of-scope" in result.output and "smalltalk" in result.output
    assert "MISS [answer] 'what is it': expected men" in result.output
    assert result.output.strip().endswith("overall 4/5 = 80.0%")


def test_eval_reads_the_dev_sample_format(tmp_path):
    sample = tmp_path / "set.yaml"
    sample.write_text(
        "facts:\n  safe: [[safe]]\ncases:\n  - {q: is it safe, expect: safe}\n  - {q: hey, expect: smalltalk}\n"
        "dialogues:\n  - turns:\n      - {q: what are the side effects, expect: oos}\n"
        "      - {q: my face is still swollen a week later, expect: safety}\n")
    result = run("eval", str(sample), "--quiet")
    assert "dialogue" in result.output
    assert "overall 3/4 = 75.0%" in result.output


def test_eval_scores_each_register_of_a_blind_set(tmp_path):
    """A blind set names its registers in comments; --by-register gives a line for each."""
    sample = tmp_path / "set.yaml"
    sample.write_text(
        "facts:\n  safe: [[safe]]\n  men: [[men]]\ncases:\n"
        "  # register: plain\n  - {q: is it safe, expect: safe}\n  - {q: can men have it, expect: men}\n"
        "  # register: oos\n  - {q: is laser tag fun, expect: oos}\n  - {q: who won the match, expect: oos}\n")
    result = run("eval", str(sample), "--quiet", "--by-register")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.output.splitlines() if line.strip()}
    assert rows["plain"] == ["2/2", "2/2"] and rows["oos"] == ["-", "2/2"]
    csv_set = tmp_path / "set.csv"
    csv_set.write_text("question,expected,register\nis it safe,safe,plain\nhi,smalltalk,greetings\n")
    result = run("eval", str(csv_set), "--quiet", "--by-register")
    assert "plain" in result.output and "greetings" in result.output
    assert "register" not in run("eval", str(csv_set), "--quiet").output


def test_eval_rejects_a_csv_without_the_columns(tmp_path):
    sample = tmp_path / "bad.csv"
    sample.write_text("q,a\nhi,there\n")
    result = run("eval", str(sample))
    assert result.exit_code != 0 and "question,expected" in result.output


def test_sms_command_shows_text_and_segments(tmp_path):
    result = run("sms", "what are the side effects", "--db", str(tmp_path / "db.sqlite3"))
    assert result.exit_code == 0
    assert "Reply 1" in result.output
    assert "GSM-7" in result.output and "segment" in result.output


def test_sms_command_keeps_each_numbers_conversation_between_calls(tmp_path):
    """A texter's "1" picks from the menu their previous text got, as on the real webhook."""
    db = str(tmp_path / "db.sqlite3")
    assert "Reply 1" in run("sms", "what are the side effects", "--from", "+15550001111", "--db", db).output
    picked = run("sms", "1", "--from", "+15550001111", "--db", db)
    stranger = run("sms", "1", "--from", "+15550002222", "--db", db)
    assert picked.exit_code == 0 and picked.output != stranger.output
    assert run("sms", "STOP", "--from", "+15550001111", "--db", db).output.startswith("(no reply is sent)")
    assert run("sms", "is it safe?", "--from", "+15550001111", "--db", db).output.startswith("(no reply")


def test_check_reports_counts():
    result = run("check", "--knowledge", str(PROJECT / "knowledge"))
    assert "entries" in result.output and result.exit_code == 0


def test_check_names_the_answers_a_text_message_cuts():
    # the cataract clinic wrote no 'sms:' for its long answers; the allergy clinic wrote one for each
    result = run("check", "--knowledge", str(PROJECT / "examples" / "cataract-surgery"))
    line = next(line for line in result.output.splitlines() if "longer than one text message" in line)
    assert "mild" in line.split(": ", 1)[1] and "sms:" in line
    result = run("check", "--knowledge", str(PROJECT / "examples" / "allergy-skin-prick-testing"))
    assert result.exit_code == 0 and "longer than one text message" not in result.output


def test_check_warns_of_wordings_that_never_reach_their_entry(knowledge_dir):
    faq = knowledge_dir / "faq.yaml"
    faq.write_text(faq.read_text().replace(
        "      - does it leave you red\n",
        "      - does it leave you red\n      - my face has been red and sore since yesterday\n"
        "      - my skin has been peeling for days\n      - when should I phone you about side effects\n"
        "      - can someone call me back about side effects\n", 1))
    result = run("check", "--knowledge", str(knowledge_dir))
    assert result.exit_code == 0  # warnings only: the bot serves the folder
    warned = [line for line in result.output.splitlines() if "entry 'side_effects'" in line]
    # every such wording is named, so that one run of check shows all there is to reword
    assert len(warned) == 2 and '"my face has been red and sore since yesterday"' in warned[0]
    assert '"my skin has been peeling for days"' in warned[0]
    assert "safety checks" in warned[0] and "general question" in warned[0]
    # and the words they were taken on, so that staff know what to reword
    assert '"my skin has been peeling for days" (on "peeling")' in warned[0]
    # asking when to phone is a question for the leaflet, not a request for a person; asking for a call is,
    # and staff are told why it never reaches the entry
    assert "when should I phone" not in result.output
    assert '"can someone call me back about side effects"' in warned[1] and "contact details" in warned[1]


def test_eval_accepts_either_of_two_entries(tmp_path):
    sample = tmp_path / "set.csv"
    sample.write_text("question,expected\nwhat is it,men|what\nis it safe,men|candidates\n")
    result = run("eval", str(sample))
    assert "overall 1/2 = 50.0%" in result.output


def test_eval_reads_a_csv_saved_with_a_byte_order_mark(tmp_path):
    sample = tmp_path / "set.csv"
    sample.write_bytes("\ufeffquestion,expected\nis it safe,safe\n".encode())
    result = run("eval", "-q", str(sample))
    assert result.exit_code == 0 and "overall 1/1" in result.output


def test_eval_refuses_an_expected_id_the_knowledge_lacks(tmp_path):
    """A typo in a labelled set is named, not silently counted as the bot's miss."""
    sample = tmp_path / "set.csv"
    sample.write_text("question,expected\nis it safe,safe\nwhat is it,whatt\n")
    result = run("eval", str(sample))
    assert result.exit_code != 0 and "whatt" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", [["check"], ["ask", "is it safe?"], ["stats"], ["purge"], ["export", "out.csv"],
                                     ["review"], ["eval", str(DATA / "holdout.csv")], ["sms", "hi"]])
@pytest.mark.parametrize(("name", "value"), [("FAQBOT_RETENTION_DAYS", "x"), ("FAQBOT_RATE_LIMIT", "banana"),
                                             ("FAQBOT_CLARIFY_MARGIN", "wide")])
def test_every_command_refuses_a_bad_setting_in_one_line(monkeypatch, tmp_path, command, name, value):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    result = run(*command)
    assert result.exit_code != 0, result.output
    assert result.output.startswith(f"Error: {name}=") and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(("name", "content", "says"), [
    ("list.yaml", "- 1\n", "expected 'cases:'"),
    ("broken.yaml", "a: [\n", "not valid YAML"),
    ("short.csv", "question,expected\nhow much\n", "a row needs a question"),
    ("empty.csv", "question,expected\n", "no questions"),
    ("comma.csv", "question,expected\nhi there, how are you,smalltalk\n", "a comma in it goes in double quotes"),
])
def test_eval_refuses_a_malformed_set_in_one_line(tmp_path, name, content, says):
    sample = tmp_path / name
    sample.write_text(content)
    result = run("eval", str(sample))
    assert result.exit_code != 0 and says in result.output and len(result.output.strip().splitlines()) == 1


def test_sms_command_reads_half_an_emoji_without_a_traceback(tmp_path):
    result = run("sms", "STOP", "--from", "+1555\ud800", "--db", str(tmp_path / "db.sqlite3"))
    assert result.exit_code == 0 and "(no reply is sent)" in result.output


def test_init_into_a_folder_that_cannot_be_made_is_refused_in_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    leaflet = PROJECT / "knowledge" / "laser-skin-tightening.txt"
    result = run("init", str(blocker / "clinic"), "--document", str(leaflet))
    assert result.exit_code != 0 and "cannot write" in result.output and "Traceback" not in result.output
