"""Conversation state and the log of every turn, in one SQLite database."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SESSION_IDLE_SECONDS = 30 * 60
log = logging.getLogger("faqbot.db")
# Each migration moves the schema one version forward; a database is brought
# up to date on start, never backwards.
MIGRATIONS: dict[int, str] = {}
MIGRATIONS[1] = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, state TEXT NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS turns (
    reply_id TEXT PRIMARY KEY, time REAL NOT NULL, channel TEXT NOT NULL, session TEXT NOT NULL,
    message TEXT NOT NULL, type TEXT NOT NULL, entry TEXT, confidence REAL NOT NULL);
CREATE INDEX IF NOT EXISTS turns_time ON turns(time);
CREATE INDEX IF NOT EXISTS turns_session ON turns(session);
CREATE TABLE IF NOT EXISTS feedback (
    reply_id TEXT PRIMARY KEY, helpful INTEGER NOT NULL, comment TEXT, time REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sms_messages (
    sid TEXT PRIMARY KEY, reply TEXT NOT NULL, time REAL NOT NULL);
CREATE TABLE IF NOT EXISTS opt_outs (
    phone TEXT PRIMARY KEY, time REAL NOT NULL);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
MIGRATIONS[2] = """
CREATE INDEX IF NOT EXISTS feedback_time ON feedback(time);
CREATE INDEX IF NOT EXISTS sessions_updated ON sessions(updated);
"""
# A session's state lives in its latest turn: one row (and its indexes) written
# per turn instead of two. The sessions table is still read for conversations
# begun before this version, and purged.
MIGRATIONS[3] = """
ALTER TABLE turns ADD COLUMN state TEXT;
"""
SCHEMA_VERSION = max(MIGRATIONS)


@dataclass
class Session:
    """What the bot remembers of one conversation."""

    id: str
    last_entry: str | None = None
    options: list[str] = field(default_factory=list)
    turns: int = 0

    def to_json(self) -> str:
        return json.dumps({"last_entry": self.last_entry, "options": self.options, "turns": self.turns})


@dataclass(frozen=True)
class Turn:
    """One logged exchange."""

    reply_id: str
    channel: str
    session: str
    message: str
    type: str
    entry: str | None
    confidence: float


class Store:
    """Sessions and the log; one connection per thread, WAL so processes share it."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = str(path) if path else ":memory:"
        self._local = threading.local()
        self._lock = threading.Lock()
        self._shared: sqlite3.Connection | None = None
        self.error: str | None = None
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.migrate()

    def forked(self) -> None:
        """In a forked child: open new connections (SQLite's must not cross a fork); the parent keeps its own."""
        if self.path != ":memory:":
            self._local = threading.local()
        self._lock = threading.Lock()

    def migrate(self) -> int:
        """Bring the schema up to SCHEMA_VERSION; return the version found."""
        with self._lock:
            db = self._connect()
            found = db.execute("PRAGMA user_version").fetchone()[0]
            for version in range(found + 1, SCHEMA_VERSION + 1):
                db.executescript(MIGRATIONS[version])
                db.execute(f"PRAGMA user_version = {version}")
        return int(found)

    def _connect(self) -> sqlite3.Connection:
        if self.path == ":memory:":
            if self._shared is None:
                self._shared = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            return self._shared
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=10000")
            self._local.db = db
        return db

    def _write(self) -> _Transaction:
        # Threads of one process queue on a lock: SQLite's own busy handler
        # sleeps in steps of up to 100 ms, which shows as long tail latency.
        return _Transaction(self._connect(), self._lock)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.path == ":memory:":
            with self._lock:
                return self._connect().execute(sql, params).fetchall()
        return self._connect().execute(sql, params).fetchall()

    def session(self, session_id: str, now: float | None = None) -> Session:
        """The session's state; a new one if unknown, idle for 30 minutes, or unreadable."""
        now = time.time() if now is None else now
        try:
            rows = self.query("SELECT state, time FROM turns WHERE session = ? ORDER BY rowid DESC LIMIT 1",
                              (session_id,))
            if not rows or rows[0][0] is None:  # a conversation from before schema version 3
                rows = self.query("SELECT state, updated FROM sessions WHERE id = ?", (session_id,))
        except sqlite3.DatabaseError as exc:  # unreadable database: answer without history
            self.degraded(exc)
            return Session(session_id)
        if not rows or now - rows[0][1] > SESSION_IDLE_SECONDS:
            return Session(session_id)
        state = json.loads(rows[0][0])
        return Session(session_id, state.get("last_entry"), list(state.get("options", [])), state.get("turns", 0))

    def record(self, session: Session, turn: Turn, now: float | None = None) -> None:
        """Log the turn with the session's new state, committed before replying."""
        now = time.time() if now is None else now
        try:
            self._record(session, turn, now)
        except sqlite3.DatabaseError as exc:  # read-only or full disk: answer anyway, say so in /healthz
            self.degraded(exc)
            return
        self.error = None

    def degraded(self, exc: Exception) -> None:
        if self.error is None:
            log.error("database unavailable, answering without logging: %s", exc)
        self.error = f"not logging: {exc}"

    def try_execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """execute(), degrading like record() when the database cannot be written."""
        try:
            self.execute(sql, params)
        except sqlite3.DatabaseError as exc:  # same reason as in record()
            self.degraded(exc)

    def _record(self, session: Session, turn: Turn, now: float) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO turns (reply_id, time, channel, session, message, type, entry, confidence, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (turn.reply_id, now, turn.channel, turn.session, turn.message, turn.type, turn.entry, turn.confidence,
                 session.to_json()),
            )

    def feedback(self, reply_id: str, helpful: bool, comment: str | None) -> bool:
        """Store feedback on a reply; False when the reply is unknown."""
        if not self.query("SELECT 1 FROM turns WHERE reply_id = ?", (reply_id,)):
            return False
        with self._write() as db:
            db.execute(
                "INSERT INTO feedback VALUES (?, ?, ?, ?) ON CONFLICT(reply_id) DO UPDATE SET "
                "helpful = excluded.helpful, comment = excluded.comment, time = excluded.time",
                (reply_id, int(helpful), comment, time.time()),
            )
        return True

    def meta(self, key: str, default: str) -> str:
        """A value kept in the database, set to `default` on first use."""
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, default))
            return str(db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        with self._write() as db:
            db.execute(sql, params)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, so concurrent writers queue instead of failing."""

    def __init__(self, db: sqlite3.Connection, lock: threading.Lock) -> None:
        self.db = db
        self.lock = lock

    def __enter__(self) -> sqlite3.Connection:
        self.lock.acquire()
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except BaseException:  # __exit__ will not run: let the next writer in
            self.lock.release()
            raise
        return self.db

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if error is None:
                self.db.execute("COMMIT")
            elif self.db.in_transaction:  # SQLite may have rolled back already (disk full)
                self.db.execute("ROLLBACK")
        finally:
            self.lock.release()
