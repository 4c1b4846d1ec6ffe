"""Staff tools: review of misses, accept, stats, export, retention (on both databases), reload while serving."""

import csv
import json
import sqlite3
import threading
import time

import pytest
from click.testing import CliRunner

from bot import Bot
from bot.cli import main
from bot.sessions import Session, Turn
from bot.sqlite import MIGRATIONS, SCHEMA_VERSION, SQLiteStore
from bot.staff import parse_since, purge, review
from bot.web import create_app

NEAR_DUPLICATES = ["can you fix my phone", "can u fix my phone?", "Can you fix my phone screen please"]


@pytest.fixture
def logged(make_store, knowledge_dir):
    """A bot whose log holds misses, answers and feedback."""
    bot = Bot.load(knowledge_dir, make_store())
    for question in [*NEAR_DUPLICATES, "what is the meaning of life", "tell me a joke", "is it safe?"]:
        bot.reply(question)
    answered = bot.reply("any downtime?")
    bot.store.feedback(answered.reply_id, False, "not what I asked")
    return bot


def test_review_groups_near_duplicates_and_keeps_distinct_questions_apart(logged):
    groups = review(logged, parse_since("7d"))
    examples = {g.example: g for g in groups}
    phone = next(g for g in groups if "phone" in g.example.lower())
    assert phone.count == 3
    assert "what is the meaning of life" in examples and "tell me a joke" in examples
    assert examples["what is the meaning of life"].count == 1
    assert any(g.example == "any downtime?" and g.reasons["thumbs down"] == 1 for g in groups)
    assert all(g.example != "is it safe?" for g in groups)


def test_review_suggests_an_action(logged):
    groups = review(logged, parse_since("7d"))
    downtime = next(g for g in groups if g.example == "any downtime?")
    assert downtime.action == "add as an alternate of downtime"
    joke = next(g for g in groups if g.example == "tell me a joke")
    assert joke.action.startswith("new entry")


def test_review_never_suggests_an_off_topic_question_as_an_alternate(make_store, knowledge_dir):
    """A laser word in an off-topic question is no reason to file it under a laser entry, and the
    score shown is the confidence the visitor's reply had."""
    bot = Bot.load(knowledge_dir, make_store())
    reply = bot.reply("can a laser remove my tattoo")
    tattoo = next(g for g in review(bot, parse_since("7d")) if g.example == "can a laser remove my tattoo")
    assert "alternate" not in tattoo.action and "tattoo" in tattoo.action
    assert tattoo.score == pytest.approx(reply.confidence, abs=0.001)


def test_review_command_and_csv(logged, knowledge_dir, tmp_path):
    out = tmp_path / "review.csv"
    result = CliRunner().invoke(main, ["review", "--knowledge", str(knowledge_dir), "--db", logged.store.location,
                                       "--csv", str(out)])
    assert result.exit_code == 0
    assert "[3x]" in result.output and "suggestion:" in result.output
    rows = list(csv.DictReader(out.open()))
    assert rows[0]["count"] == "3" and "phone" in rows[0]["example"].lower()


def test_accept_adds_an_alternate_keeping_comments_and_it_then_answers(make_store, knowledge_dir):
    store = make_store()
    bot = Bot.load(knowledge_dir, store)
    assert bot.reply("is the zapping thing harmless for my complexion").match is None
    before = (knowledge_dir / "faq.yaml").read_text()
    result = CliRunner().invoke(main, ["review", "--knowledge", str(knowledge_dir), "--db", store.location,
                                       "--accept", "1", "safe"])
    assert result.exit_code == 0, result.output
    after = (knowledge_dir / "faq.yaml").read_text()
    assert after.startswith(before.split("\n", 1)[0])  # the header comment survives
    assert after.count("#") == before.count("#")
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    reloaded = Bot.load(knowledge_dir)
    reply = reloaded.reply("is the zapping thing harmless for my complexion")
    assert reply.type == "answer" and reply.match["id"] == "safe"


def test_accept_writes_nothing_when_the_result_would_not_load(make_store, knowledge_dir):
    store = make_store()
    Bot.load(knowledge_dir, store).reply("tell me a joke")
    before = (knowledge_dir / "faq.yaml").read_text()
    result = CliRunner().invoke(main, ["review", "--knowledge", str(knowledge_dir), "--db", store.location,
                                       "--accept", "1", "no_such_entry"])
    assert result.exit_code != 0 and "nothing written" in result.output
    assert (knowledge_dir / "faq.yaml").read_text() == before


def test_stats_command(logged):
    result = CliRunner().invoke(main, ["stats", "--db", logged.store.location])
    assert result.exit_code == 0
    assert "turns: 7" in result.output
    assert "fallback" in result.output and "top entries:" in result.output
    assert "helpful: 0% of 1" in result.output


def test_export_command_writes_csv(logged, tmp_path):
    out = tmp_path / "log.csv"
    result = CliRunner().invoke(main, ["export", str(out), "--since", "30d", "--db", logged.store.location])
    assert result.exit_code == 0 and "wrote 7 turns" in result.output
    rows = list(csv.DictReader(out.open()))
    assert {r["message"] for r in rows} >= {"is it safe?", "any downtime?"}
    assert any(r["helpful"] == "0" for r in rows)


def test_export_and_review_csv_never_hold_a_formula(tmp_path, make_store, knowledge_dir):
    bot = Bot.load(knowledge_dir, make_store())
    hostile = ['=HYPERLINK("http://evil.test","click")', "+1+1", "-2+3", "@SUM(A1)"]
    for message in hostile:
        bot.reply(message)
    out = tmp_path / "log.csv"
    result = CliRunner().invoke(main, ["export", str(out), "--since", "1d", "--db", bot.store.location])
    assert result.exit_code == 0
    messages = [r["message"] for r in csv.DictReader(out.open())]
    assert sorted(messages) == sorted("'" + m for m in hostile)
    review_csv = tmp_path / "review.csv"
    result = CliRunner().invoke(main, ["review", "--since", "1d", "--db", bot.store.location, "--csv", str(review_csv),
                                       "--knowledge", str(knowledge_dir)])
    assert result.exit_code == 0, result.output
    examples = [r["example"] for r in csv.DictReader(review_csv.open())]
    assert examples and not [e for e in examples if e[:1] in "=+-@"]


@pytest.mark.parametrize("command", [["export", "out.csv"], ["stats"], ["purge"], ["review"]])
def test_staff_commands_refuse_an_unreachable_database_in_one_line(command):
    result = CliRunner().invoke(main, [*command, "--db", "postgresql://staff:s3cret@127.0.0.1:1/faqbot"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot use the PostgreSQL database staff@127.0.0.1:1/faqbot")
    assert len(result.output.strip().splitlines()) == 1 and "s3cret" not in result.output


@pytest.mark.parametrize("days", ["-1", "0"])
def test_purge_refuses_a_retention_that_would_delete_everything(logged, days):
    result = CliRunner().invoke(main, ["purge", "--days", days, "--db", logged.store.location])
    assert result.exit_code != 0 and "--days" in result.output and "Traceback" not in result.output
    assert len(logged.store.query("SELECT 1 FROM turns")) == 7


def test_retention_purges_old_turns(make_store):
    store = make_store()
    now = time.time()
    store.record(Session("old"), Turn("r-old", "web", "old", "hi", "smalltalk", None, 1.0), now=now - 100 * 86400)
    store.record(Session("new"), Turn("r-new", "web", "new", "hi", "smalltalk", None, 1.0), now=now)
    store.feedback("r-old", True, "kept too long")
    assert purge(store, 90) == 1
    assert store.query("SELECT reply_id FROM turns") == [("r-new",)]
    assert store.query("SELECT COUNT(*) FROM feedback") == [(0,)]
    result = CliRunner().invoke(main, ["purge", "--days", "1", "--db", store.location])
    assert "purged 0 turns" in result.output


def test_schema_migrates_forward(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[1])
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    assert SQLiteStore(path).migrate() == SCHEMA_VERSION
    indexes = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "feedback_time" in indexes


def test_broken_edit_keeps_the_last_good_knowledge(app, client, knowledge_dir):
    (knowledge_dir / "faq.yaml").write_text("entries:\n  - id: [broken\n")
    assert app.extensions["faqbot"].check(force=True) is False
    health = client.get("/healthz").get_json()
    assert "faq.yaml:" in health["knowledge"]["error"] and health["knowledge"]["loaded_at"]
    reply = client.post("/api/chat", json={"message": "is it safe?"}).get_json()
    assert reply["type"] == "answer" and reply["match"]["id"] == "safe"


def test_an_editors_lock_file_or_a_missing_folder_never_fails_a_visitor(app, client, knowledge_dir, tmp_path):
    watcher = app.extensions["faqbot"]
    watcher.interval = 0  # look for changes on every request
    (knowledge_dir / ".#faq.yaml").symlink_to(tmp_path / "nowhere" / "faq.yaml")  # as Emacs leaves while editing
    assert client.post("/api/chat", json={"message": "is it safe?"}).status_code == 200
    moved = tmp_path / "away"
    knowledge_dir.rename(moved)  # a deploy replacing the folder
    try:
        assert client.post("/api/chat", json={"message": "is it safe?"}).status_code == 200
        assert watcher.check(force=True) is False
    finally:
        moved.rename(knowledge_dir)


def test_a_leaflet_that_is_not_utf8_is_shown_in_healthz_and_by_check(app, client, knowledge_dir):
    leaflet = next(knowledge_dir.glob("*.txt"))
    leaflet.write_bytes(leaflet.read_bytes() + b"\nLaser \xff\xfe skin.\n")
    assert app.extensions["faqbot"].check(force=True) is False
    assert "not UTF-8" in client.get("/healthz").get_json()["knowledge"]["error"]
    assert client.post("/api/chat", json={"message": "is it safe?"}).status_code == 200
    result = CliRunner().invoke(main, ["check", "--knowledge", str(knowledge_dir)])
    assert result.exit_code != 0 and "not UTF-8" in result.output and "Traceback" not in result.output


def test_a_control_character_in_the_leaflet_is_reloaded_and_served(app, client, knowledge_dir):
    leaflet = next(knowledge_dir.glob("*.txt"))
    leaflet.write_text(leaflet.read_text(encoding="utf-8") + "\nA bell \x07 and a form feed \x0c in a sentence.\n",
                       encoding="utf-8")
    assert app.extensions["faqbot"].check(force=True) is True
    assert client.post("/api/chat", json={"message": "is it safe?"}).status_code == 200
    assert "error" not in client.get("/healthz").get_json()["knowledge"]


def test_reload_under_concurrent_requests(app, client, knowledge_dir):
    watcher = app.extensions["faqbot"]
    failures, answers, stop = [], [], threading.Event()

    def chat():
        local = app.test_client()
        while not stop.is_set():
            response = local.post("/api/chat", json={"message": "is it safe?"})
            if response.status_code != 200:
                failures.append(response.status_code)
            else:
                answers.append(response.get_json()["answer"])

    threads = [threading.Thread(target=chat) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    faq = knowledge_dir / "faq.yaml"
    faq.write_text(faq.read_text().replace("considered safe for most people, but there are some possible",
                                           "considered safe for most people (NEW), but there are some possible", 1))
    assert watcher.check() is True
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join()
    assert failures == []
    assert any("(NEW)" in a for a in answers) and not all("(NEW)" in a for a in answers)
    assert "(NEW)" in client.post("/api/chat", json={"message": "is it safe?"}).get_json()["answer"]


def test_changed_files_are_noticed_without_a_signal(knowledge_dir, tmp_path):
    app = create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                      "FAQBOT_RATE_LIMIT": "off", "FAQBOT_RELOAD_SECONDS": 1})
    client = app.test_client()
    clinic = knowledge_dir / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("+1 555 0100", "+1 555 0199"))
    time.sleep(1.1)
    phone = json.loads(client.get("/api/clinic").data)["phone"]
    assert phone == "+1 555 0100"  # the request that notices the change does not wait for the reload
    deadline = time.monotonic() + 10
    while phone != "+1 555 0199" and time.monotonic() < deadline:
        time.sleep(0.05)
        phone = json.loads(client.get("/api/clinic").data)["phone"]
    assert phone == "+1 555 0199"


@pytest.mark.parametrize("command", [["export", "{out}"], ["review", "--csv", "{out}", "--knowledge", "{knowledge}"]])
def test_a_csv_in_a_missing_folder_is_refused_in_one_line(make_store, knowledge_dir, tmp_path, command):
    bot = Bot.load(knowledge_dir, make_store())
    bot.reply("can you fix my phone")
    out = str(tmp_path / "no such folder" / "out.csv")
    args = [a.format(out=out, knowledge=knowledge_dir) for a in command] + ["--db", bot.store.location]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0 and "cannot write" in result.output and "Traceback" not in result.output
