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


def test_state_is_the_latest_turns(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    for n, entry in enumerate(["safe", "men", "downtime"], 1):
        session = Session("abc", last_entry=entry, turns=n)
        store.record(session, Turn(f"r{n}", "web", "abc", "q", "answer", entry, 0.9), now=1000.0 + n)
    store.record(Session("other", last_entry="cost"), Turn("r9", "web", "other", "q", "answer", "cost", 0.9), now=1005)
    assert (store.session("abc", now=1010).last_entry, store.session("abc", now=1010).turns) == ("downtime", 3)
    assert store.query("SELECT COUNT(*) FROM sessions") == [(0,)]  # one row per turn, nothing else


def test_a_conversation_from_before_the_upgrade_goes_on(tmp_path):
    """A database of schema version 2 kept state in `sessions`; after the upgrade it is still read."""
    from bot.sessions import MIGRATIONS

    path = tmp_path / "db.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[1] + MIGRATIONS[2] + "PRAGMA user_version = 2;")
    old.execute("INSERT INTO sessions VALUES ('abc', '{\"last_entry\": \"men\", \"turns\": 2}', ?)", (1000.0,))
    old.execute("INSERT INTO turns VALUES ('r1', 999.0, 'web', 'abc', 'can men have it', 'answer', 'men', 0.9)")
    old.commit()
    old.close()
    store = Store(path)
    assert store.session("abc", now=1060).last_entry == "men"
    store.record(Session("abc", last_entry="age", turns=3), Turn("r2", "web", "abc", "q", "answer", "age", 0.9),
                 now=1070)
    assert store.session("abc", now=1080).last_entry == "age"


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
