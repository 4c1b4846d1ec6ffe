"""Sessions and the turn log, the same tests on SQLite and on PostgreSQL."""

import sqlite3
import threading
import time

import pytest

from bot import Bot
from bot.sessions import SESSION_IDLE_SECONDS, Session, StoreError, Turn, open_store, opt_out_statement
from bot.settings import read_settings
from bot.sqlite import MIGRATIONS, SCHEMA_VERSION, SQLiteStore


def test_state_round_trips_and_expires(make_store):
    store = make_store()
    session = Session("abc", last_entry="safe", options=["side_effects"], turns=1)
    store.record(session, Turn("r1", "web", "abc", "is it safe", "answer", "safe", 0.9), now=1000.0)
    assert store.session("abc", now=1000.0 + 60).last_entry == "safe"
    assert store.session("abc", now=1000.0 + 60).options == ["side_effects"]
    assert store.session("abc", now=1000.0 + SESSION_IDLE_SECONDS + 1).last_entry is None


def test_state_is_the_latest_turns(make_store):
    store = make_store()
    for n, entry in enumerate(["safe", "men", "downtime"], 1):
        session = Session("abc", last_entry=entry, turns=n)
        store.record(session, Turn(f"r{n}", "web", "abc", "q", "answer", entry, 0.9), now=1000.0 + n)
    store.record(Session("other", last_entry="cost"), Turn("r9", "web", "other", "q", "answer", "cost", 0.9), now=1005)
    assert (store.session("abc", now=1010).last_entry, store.session("abc", now=1010).turns) == ("downtime", 3)
    assert store.query("SELECT COUNT(*) FROM turns") == [(4,)]  # one row per turn, nothing else


def test_the_latest_turn_wins_even_when_clocks_disagree(make_store):
    """Turns of one conversation may be stamped by machines whose clocks differ a little."""
    store = make_store()
    store.record(Session("abc", last_entry="safe", turns=1), Turn("r1", "web", "abc", "q", "answer", "safe", 0.9),
                 now=1000.5)
    store.record(Session("abc", last_entry="men", turns=2), Turn("r2", "web", "abc", "q", "answer", "men", 0.9),
                 now=1000.2)
    assert store.session("abc", now=1010).last_entry == "men"


def test_a_conversation_from_before_the_upgrade_goes_on(tmp_path):
    """A SQLite database of schema version 2 kept state in `sessions`; after the upgrade it is still read."""
    path = tmp_path / "db.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[1] + MIGRATIONS[2] + "PRAGMA user_version = 2;")
    old.execute("INSERT INTO sessions VALUES ('abc', '{\"last_entry\": \"men\", \"turns\": 2}', ?)", (1000.0,))
    old.execute("INSERT INTO turns VALUES ('r1', 999.0, 'web', 'abc', 'can men have it', 'answer', 'men', 0.9)")
    old.commit()
    old.close()
    store = SQLiteStore(path)
    assert store.session("abc", now=1060).last_entry == "men"
    store.record(Session("abc", last_entry="age", turns=3), Turn("r2", "web", "abc", "q", "answer", "age", 0.9),
                 now=1070)
    assert store.session("abc", now=1080).last_entry == "age"


def test_sqlite_is_the_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = open_store(read_settings({})["FAQBOT_DB"])
    store.record(Session("abc"), Turn("r1", "web", "abc", "hi", "smalltalk", None, 1.0))
    other = sqlite3.connect(tmp_path / "var" / "faqbot.sqlite3")
    assert other.execute("SELECT reply_id FROM turns").fetchall() == [("r1",)]


def test_database_uses_wal_and_has_a_schema_version(tmp_path):
    path = tmp_path / "db.sqlite3"
    SQLiteStore(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_processes_starting_together_migrate_once(make_store):
    """Several servers started at once on an empty database: every one starts, the schema is made once."""
    opened, errors = [], []

    def start():
        try:
            opened.append(make_store())
        except Exception as exc:  # collected so the assertion can show it
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and len(opened) == 6
    assert {store.migrate() for store in opened} == {SCHEMA_VERSION}
    opened[0].record(Session("abc"), Turn("r1", "web", "abc", "hi", "smalltalk", None, 1.0))
    assert opened[5].query("SELECT reply_id FROM turns") == [("r1",)]


def test_turns_are_committed_before_the_reply_returns(make_store, knowledge_dir):
    bot = Bot.load(knowledge_dir, make_store())
    reply = bot.reply("is it safe")
    other = make_store()  # another process's view
    assert other.query("SELECT type FROM turns WHERE reply_id = ?", (reply.reply_id,)) == [("answer",)]


def test_two_stores_on_one_database_share_sessions(make_store, knowledge_dir):
    first = Bot.load(knowledge_dir, make_store())
    second = Bot.load(knowledge_dir, make_store())
    reply = first.reply("what are the side effects")
    assert second.reply("do those go away?", reply.session_id).match["id"] == "side_effects_duration"


def test_a_word_stored_late_never_undoes_a_later_stop(make_store):
    """A START that waited in one worker while the database was away, stored after another worker
    stored the same number's later STOP, leaves the number opted out; so does an older STOP."""
    first, second = make_store(), make_store()
    said = time.time()
    second.write([opt_out_statement("sms-key", True, said + 5)])  # the later STOP, stored at once elsewhere
    first.write([opt_out_statement("sms-key", False, said)])  # the earlier START, stored late
    assert second.opted_out("sms-key")
    first.write([opt_out_statement("sms-key", True, said)])  # an earlier STOP stored late keeps the later time
    assert first.query("SELECT time FROM opt_outs WHERE phone = ?", ("sms-key",)) == [(said + 5,)]
    first.write([opt_out_statement("sms-key", False, said + 10)])  # a START said after it is a START
    assert not second.opted_out("sms-key")


def test_feedback_opt_outs_and_sms_retries_are_shared(make_store):
    first, second = make_store(), make_store()
    first.record(Session("abc"), Turn("r1", "web", "abc", "is it safe", "answer", "safe", 0.9))
    assert second.feedback("r1", False, "too vague") is True
    assert second.feedback("r1", True, None) is True  # a change of mind replaces the first
    assert second.feedback("no-such-reply", True, None) is False
    assert first.query("SELECT helpful, comment FROM feedback") == [(1, None)]
    first.set_opted_out("sms-key", True)
    assert second.opted_out("sms-key") and not second.opted_out("sms-other")
    second.set_opted_out("sms-key", False)
    assert not first.opted_out("sms-key")
    first.remember_sms("SM1", "the reply")
    second.remember_sms("SM1", "another reply")  # a retry answered elsewhere keeps the first reply
    assert second.sms_reply("SM1") == "the reply" and first.sms_reply("SM2") is None
    assert first.meta("salt", "one") == second.meta("salt", "two") == "one"


def test_concurrent_turns_are_each_logged_once(make_store, knowledge_dir):
    bot = Bot.load(knowledge_dir, make_store())
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


@pytest.mark.parametrize("location, says", [
    ("postgresql://faqbot:s3cret@127.0.0.1:notaport/faqbot", "not a valid postgresql:// URL"),
    ("postgresql://faqbot:s3cret@[::1/faqbot", "not a valid postgresql:// URL"),
    ("mysql://faqbot:s3cret@127.0.0.1/faqbot", "mysql:// is not supported"),
])
def test_a_malformed_location_is_refused_in_one_line(location, says):
    with pytest.raises(StoreError) as refused:
        open_store(location)
    message = str(refused.value)
    assert says in message and "\n" not in message and "s3cret" not in message


def test_an_unreachable_server_is_refused_in_one_line(postgres_server):
    closed_port = postgres_server.rsplit(":", 1)[0] + ":1"
    with pytest.raises(StoreError) as refused:
        open_store(f"{closed_port}/faqbot".replace("postgres@", "postgres:s3cret@"))
    message = str(refused.value)
    assert "cannot use the PostgreSQL database postgres@127.0.0.1:1/faqbot" in message
    assert "\n" not in message and "s3cret" not in message


def test_index_cache_spares_refitting_and_survives_damage(tmp_path, knowledge_dir):
    import subprocess
    import sys

    cache = tmp_path / "cache"
    first = Bot.load(knowledge_dir, cache=cache)
    files = sorted(cache.glob("tfidf-*.npz"))
    assert len(files) == 2
    script = (
        "import sys; from pathlib import Path; from bot import Bot; "
        f"b = Bot.load({str(knowledge_dir)!r}, cache=Path({str(cache)!r})); "
        "print(b.reply('any downtime?').match['id'], 'sklearn' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == ["downtime", "False"]  # answered from the cache, scikit-learn never imported
    files[0].write_bytes(b"not an index")
    damaged = Bot.load(knowledge_dir, cache=cache)
    assert damaged.reply("any downtime?").match["id"] == first.reply("any downtime?").match["id"] == "downtime"
