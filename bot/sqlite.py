"""The embedded store: one SQLite file that the processes of one machine share."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from bot.sessions import Row, Statement, Store, StoreError, StoreUnwritable, one_line

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
WAL_ATTEMPTS = 100  # 5 seconds
# How long a write waits for another connection's lock. A request makes a few writes and an SMS gateway
# gives up after 15 s (then sends the text again): a lock held longer than this fails the write, the
# store degrades, and its next writes wait only briefly until one succeeds.
WAIT_SECONDS = 2.0
DEGRADED_WAIT_SECONDS = 0.25
MIGRATE_WAIT_SECONDS = 10.0  # at start, processes starting together migrate one after the other


class SQLiteStore(Store):
    """One connection per thread, WAL so the processes of one machine share the file."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = str(path) if path else ":memory:"
        self.location = self.path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._shared: sqlite3.Connection | None = None
        super().__init__()
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.migrate()
        except (OSError, sqlite3.OperationalError) as exc:  # a folder or file that cannot be made or written
            raise StoreUnwritable(f"cannot use the SQLite database {self.path}: {one_line(exc)}") from None
        except sqlite3.DatabaseError as exc:  # a file that is no database: a wrong setting
            raise StoreError(f"cannot use the SQLite database {self.path}: {one_line(exc)}") from None

    def forked(self) -> None:
        if self.path != ":memory:":
            self._local = threading.local()
        self._lock = threading.Lock()

    def migrate(self) -> int:
        # One write transaction: processes starting together migrate one after
        # the other, and the later ones find the work done.
        with _Transaction(self._connect(), self._lock, MIGRATE_WAIT_SECONDS) as db:
            found = db.execute("PRAGMA user_version").fetchone()[0]
            for version in range(found + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version].split(";"):  # executescript would commit first
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")
        return int(found)

    def _connect(self) -> sqlite3.Connection:
        if self.path == ":memory:":
            if self._shared is None:
                self._shared = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            return self._shared
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=MIGRATE_WAIT_SECONDS, isolation_level=None)
            _switch_to_wal(db)
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def _wait(self) -> float:
        return DEGRADED_WAIT_SECONDS if self.error else WAIT_SECONDS

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        try:
            if self.path == ":memory:":
                with self._lock:
                    return self._connect().execute(sql, params).fetchall()
            return self._connect().execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:  # the caller decides whether to degrade
            raise StoreError(one_line(exc)) from exc

    def write(self, statements: list[Statement]) -> None:
        try:
            with _Transaction(self._connect(), self._lock, self._wait()) as db:
                for sql, params in statements:
                    db.execute(sql, params)
        except sqlite3.DatabaseError as exc:  # read-only, disk full: the caller decides whether to degrade
            raise StoreError(one_line(exc)) from exc

    def _legacy_state(self, session_id: str) -> list[Row]:
        return self.query("SELECT state, updated FROM sessions WHERE id = ?", (session_id,))

    def _legacy_purge(self, cutoff: float) -> list[Statement]:
        return [("DELETE FROM sessions WHERE updated < ?", (cutoff,))]

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


def _switch_to_wal(db: sqlite3.Connection) -> None:
    """PRAGMA journal_mode=WAL, retried for a while.

    Two processes opening a new file together both switch it, and SQLite
    answers "database is locked" at once instead of waiting (waiting could
    deadlock); once the file is in WAL mode the pragma costs nothing.
    """
    for _ in range(WAL_ATTEMPTS - 1):
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.05)
    db.execute("PRAGMA journal_mode=WAL")


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, so concurrent writers queue instead of failing, for `wait` seconds at most.

    Threads of one process queue on a lock first: SQLite's own busy handler
    sleeps in steps of up to 100 ms, which shows as long tail latency.
    """

    def __init__(self, db: sqlite3.Connection, lock: threading.Lock, wait: float) -> None:
        self.db = db
        self.lock = lock
        self.wait = wait

    def __enter__(self) -> sqlite3.Connection:
        began = time.monotonic()
        if not self.lock.acquire(timeout=self.wait):
            raise sqlite3.OperationalError("database is locked (by another write of this process)")
        try:
            left = max(self.wait - (time.monotonic() - began), 0.0)
            self.db.execute(f"PRAGMA busy_timeout = {int(left * 1000)}")
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
