"""Rate-limit counters in the PostgreSQL database of FAQBOT_DB, shared by every process of every server.

With FAQBOT_DB a postgresql:// URL and no FAQBOT_RATE_LIMIT_STORAGE, counters
kept in each worker's memory would let a visitor through once per worker and
per server. This is a storage for the `limits` library (which flask-limiter
uses), as bot/ratestore.py is for SQLite: fixed windows, one row per key, each
increment one atomic statement, timed by the database's clock so that servers
whose clocks disagree share one window. Registered under the scheme
`faqbot-postgresql://` (the rest is the database's URL).
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import AbstractContextManager
from typing import Any

import psycopg
from limits.storage import Storage
from psycopg_pool import ConnectionPool

SCHEME = "faqbot-postgresql"
SWEEP_EVERY = 60.0  # seconds between deletions of expired counters
WAIT_SECONDS = 1.0  # longest wait for a connection: a limit not counted beats a visitor kept waiting
CONNECT_SECONDS = 2
# Held while the table is made: processes starting together make it one after the other.
TABLE_LOCK = 0x66617162_6F75
INCREMENT = """
INSERT INTO rate_limits AS r (key, count, expires)
VALUES (%(key)s, %(amount)s, EXTRACT(EPOCH FROM now()) + %(expiry)s)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN r.expires <= EXTRACT(EPOCH FROM now()) THEN %(amount)s ELSE r.count + %(amount)s END,
    expires = CASE WHEN r.expires <= EXTRACT(EPOCH FROM now()) THEN excluded.expires ELSE r.expires END
RETURNING count
"""


class PostgresStorage(Storage):
    """Fixed-window counters in an unlogged PostgreSQL table; a pool of connections per process."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: float | str | bool) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.url = "postgresql://" + uri.split("://", 1)[1]
        self._pool: ConnectionPool | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._swept = 0.0

    @property
    def base_exceptions(self) -> type[Exception]:
        return psycopg.Error  # the pool's timeout included

    def _connection(self) -> AbstractContextManager[psycopg.Connection[Any]]:
        # A pool never crosses a fork: a worker opens its own, the parent's is left alone.
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    self._pool = self._open()
                    self._pid = os.getpid()
        assert self._pool is not None
        return self._pool.connection(timeout=WAIT_SECONDS)

    def _open(self) -> ConnectionPool:
        with psycopg.connect(self.url, connect_timeout=CONNECT_SECONDS) as db, db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (TABLE_LOCK,))
            # Unlogged: counters lost in a crash only reset some limits, and writes skip the WAL.
            db.execute("CREATE UNLOGGED TABLE IF NOT EXISTS rate_limits "
                       "(key TEXT PRIMARY KEY, count BIGINT NOT NULL, expires DOUBLE PRECISION NOT NULL)")
        pool = ConnectionPool(self.url, min_size=1, max_size=4, open=False, name="faqbot-limits",
                              kwargs={"connect_timeout": CONNECT_SECONDS, "autocommit": True,
                                      "application_name": "faqbot-limits"},
                              check=ConnectionPool.check_connection, timeout=WAIT_SECONDS)
        pool.open(wait=False)
        return pool

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        with self._connection() as db:
            now = time.monotonic()
            if now - self._swept > SWEEP_EVERY:
                self._swept = now
                db.execute("DELETE FROM rate_limits WHERE expires <= EXTRACT(EPOCH FROM now())")
            row = db.execute(INCREMENT, {"key": key, "amount": amount, "expiry": expiry}).fetchone()
        assert row is not None  # (an upsert with RETURNING always returns its row)
        return int(row[0])

    def get(self, key: str) -> int:
        with self._connection() as db:
            row = db.execute("SELECT count FROM rate_limits WHERE key = %s AND expires > EXTRACT(EPOCH FROM now())",
                             (key,)).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        with self._connection() as db:
            row = db.execute("SELECT expires FROM rate_limits WHERE key = %s AND expires > EXTRACT(EPOCH FROM now())",
                             (key,)).fetchone()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        """Whether the database answers; False (never an error) lets the limiter count in memory meanwhile."""
        try:
            with self._connection() as db:
                db.execute("SELECT 1").fetchone()
        except psycopg.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._connection() as db:
            return db.execute("DELETE FROM rate_limits").rowcount

    def clear(self, key: str) -> None:
        with self._connection() as db:
            db.execute("DELETE FROM rate_limits WHERE key = %s", (key,))
