"""Rate-limit counters in a SQLite file, shared by every worker process of one server.

`python server.py` runs several worker processes; counters kept in each
process's memory would let a visitor through once per worker. This is a
storage for the `limits` library (which flask-limiter uses): fixed windows,
one row per key, each increment one atomic statement. Registered under the
scheme `faqbot-sqlite://PATH`.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from limits.storage import Storage

SWEEP_EVERY = 60.0  # seconds between deletions of expired counters


class SQLiteStorage(Storage):
    """Fixed-window counters in SQLite; one connection per thread and process."""

    STORAGE_SCHEME = ["faqbot-sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: float | str | bool) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.split("://", 1)[1]
        self._local = threading.local()
        self._swept = 0.0

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        # A connection never crosses a fork: a worker opens its own (SQLite's rule for forked processes).
        if getattr(self._local, "pid", None) != os.getpid():
            db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # counters lost in a power cut only reset some limits
            db.execute("CREATE TABLE IF NOT EXISTS counters "
                       "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)")
            self._local.db, self._local.pid = db, os.getpid()
        return self._local.db  # type: ignore[no-any-return]

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        db = self._db()
        if now - self._swept > SWEEP_EVERY:
            self._swept = now
            db.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        (count,) = db.execute(
            "INSERT INTO counters VALUES (:key, :amount, :now + :expiry) ON CONFLICT(key) DO UPDATE SET "
            "count = CASE WHEN expires <= :now THEN :amount ELSE count + :amount END, "
            "expires = CASE WHEN expires <= :now THEN :now + :expiry ELSE expires END RETURNING count",
            {"key": key, "amount": amount, "now": now, "expiry": expiry}).fetchone()
        return int(count)

    def get(self, key: str) -> int:
        row = self._db().execute("SELECT count FROM counters WHERE key = ? AND expires > ?",
                                 (key, time.time())).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = self._db().execute("SELECT expires FROM counters WHERE key = ? AND expires > ?", (key, now)).fetchone()
        return float(row[0]) if row else now

    def check(self) -> bool:
        self._db().execute("SELECT 1").fetchone()
        return True

    def reset(self) -> int | None:
        return self._db().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM counters WHERE key = ?", (key,))
