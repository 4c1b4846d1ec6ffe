"""Sessions and the turn log in SQLite."""

import sqlite3
import threading

from bot import Bot
from bot.sessions import SESSION_IDLE_SECONDS, Session, Store, Turn


def test_state_round_trips_and_expires(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    session = Session("abc", last_entry="safe", options=["side_effects"], turns=1)
    store.record(session, Turn("r1", "web", "abc", "is it safe", "answer", "safe", 0.9), now=1000.0)
    assert store.session("abc", now=1000.0 + 60).last_entry == "safe"
    assert store.session("abc", now=1000.0 + SESSION_IDLE_SECONDS + 1).last_entry is None


def test_database_uses_wal_and_has_a_schema_version(tmp_path):
    path = tmp_path / "db.sqlite3"
    Store(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 1


def test_turns_are_committed_before_the_reply_returns(tmp_path, knowledge_dir):
    path = tmp_path / "db.sqlite3"
    bot = Bot.load(knowledge_dir, Store(path))
    reply = bot.reply("is it safe")
    other = sqlite3.connect(path)  # another process's view
    assert other.execute("SELECT type FROM turns WHERE reply_id = ?", (reply.reply_id,)).fetchone() == ("answer",)


def test_two_stores_on_one_file_share_sessions(tmp_path, knowledge_dir):
    path = tmp_path / "db.sqlite3"
    first = Bot.load(knowledge_dir, Store(path))
    second = Bot.load(knowledge_dir, Store(path))
    reply = first.reply("what are the side effects")
    assert second.reply("do those go away?", reply.session_id).match["id"] == "side_effects_duration"


def test_concurrent_turns_are_each_logged_once(tmp_path, knowledge_dir):
    bot = Bot.load(knowledge_dir, Store(tmp_path / "db.sqlite3"))
    errors = []

    def chat(n):
        try:
            session = None
            for question in ("is it safe", "any side effects", "do those go away?"):
                session = bot.reply(question, session or f"s{n}").session_id
        except Exception as exc:  # collected so the test can report it
            errors.append(exc)

    threads = [threading.Thread(target=chat, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert bot.store.query("SELECT COUNT(*), COUNT(DISTINCT reply_id) FROM turns") == [(24, 24)]
    assert bot.store.query("SELECT COUNT(DISTINCT session) FROM turns") == [(8,)]
