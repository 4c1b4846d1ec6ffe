"""The shared store: one PostgreSQL database for every server process, on any machine."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from bot.sessions import Row, Statement, Store, StoreError, one_line

# Versions count on from SQLite's: version 3 is the schema SQLite reached
# after its migrations, created in one step here. A later migration is added
# to both databases under the same number.
MIGRATIONS: dict[int, str] = {}
MIGRATIONS[3] = """
CREATE TABLE turns (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY,
    reply_id TEXT PRIMARY KEY, time DOUBLE PRECISION NOT NULL, channel TEXT NOT NULL, session TEXT NOT NULL,
    message TEXT NOT NULL, type TEXT NOT NULL, entry TEXT, confidence DOUBLE PRECISION NOT NULL, state TEXT);
CREATE INDEX turns_time ON turns (time);
CREATE INDEX turns_session ON turns (session, rowid);
CREATE TABLE feedback (
    reply_id TEXT PRIMARY KEY, helpful INTEGER NOT NULL, comment TEXT, time DOUBLE PRECISION NOT NULL);
CREATE INDEX feedback_time ON feedback (time);
CREATE TABLE sms_messages (sid TEXT PRIMARY KEY, reply TEXT NOT NULL, time DOUBLE PRECISION NOT NULL);
CREATE TABLE opt_outs (phone TEXT PRIMARY KEY, time DOUBLE PRECISION NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
SCHEMA_VERSION = max(MIGRATIONS)
# Held for the migration's transaction: processes starting together migrate one
# after the other, and the later ones find the work done.
MIGRATION_LOCK = 0x66617162_6F74  # "faqbot"
CONNECT_SECONDS = 5  # an unreachable host fails the start (or a reconnection) after this
WAIT_SECONDS = 5.0  # longest wait for a pooled connection while the database is well
DEGRADED_WAIT_SECONDS = 0.5  # while it is not: answers come without history, quickly
RECONNECT_SECONDS = 10.0  # the pool stops its own retries after this; the next request starts new ones
log = logging.getLogger("faqbot.db")


def _describe(params: dict[str, Any]) -> str:
    """user@host:port/db, for messages: never the password."""
    host = params.get("host") or "localhost"
    user = f"{params['user']}@" if params.get("user") else ""
    return f"{user}{host}:{params.get('port') or 5432}/{params.get('dbname') or ''}"


def _pg(sql: str) -> str:
    """The shared SQL's qmark placeholders in psycopg's style."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresStore(Store):
    """A pool of connections; the schema migrated on start under an advisory lock."""

    def __init__(self, url: str, pool_size: int = 8) -> None:
        self.location = url
        super().__init__()
        try:
            params = conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:  # libpq's parser rejects the URL
            raise StoreError(f"FAQBOT_DB is not a valid postgresql:// URL: {one_line(exc)}") from None
        if params.get("port") and not str(params["port"]).isdigit():
            raise StoreError(f"FAQBOT_DB is not a valid postgresql:// URL: port {params['port']!r} is not a number")
        self.name = _describe(params)
        try:
            with psycopg.connect(url, connect_timeout=CONNECT_SECONDS) as db:
                self._migrate(db)
        except psycopg.Error as exc:  # refused, unknown host, bad password, no such database
            raise StoreError(f"cannot use the PostgreSQL database {self.name}: {one_line(exc)}") from None
        self._pool_size = pool_size
        self._pool = self._open_pool()

    def _open_pool(self) -> ConnectionPool:
        # check_connection: a connection the server dropped (restart, failover) is
        # replaced before use instead of failing one turn.
        pool = ConnectionPool(self.location, min_size=1, max_size=self._pool_size, open=False, name=self.name,
                              kwargs={"connect_timeout": CONNECT_SECONDS, "application_name": "faqbot"},
                              check=ConnectionPool.check_connection, timeout=WAIT_SECONDS,
                              reconnect_timeout=RECONNECT_SECONDS)
        pool.open(wait=False)
        return pool

    def forked(self) -> None:
        # The parent's pool is left alone, not closed: closing would end the parent's sessions
        # on the server through the sockets both processes share. Its threads did not survive the fork.
        self._pool = self._open_pool()

    def migrate(self) -> int:
        try:
            with psycopg.connect(self.location, connect_timeout=CONNECT_SECONDS) as db:
                return self._migrate(db)
        except psycopg.Error as exc:  # as in query()
            raise StoreError(one_line(exc)) from exc

    @staticmethod
    def _migrate(db: psycopg.Connection[Any]) -> int:
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = db.execute("SELECT version FROM schema_version").fetchone()
            found = int(row[0]) if row else 0
            if row is None:
                db.execute("INSERT INTO schema_version VALUES (0)")
            for version in sorted(v for v in MIGRATIONS if v > found):
                db.execute(MIGRATIONS[version].encode())  # no parameters: several statements in one go
                db.execute("UPDATE schema_version SET version = %s", (version,))
        return found

    def _timeout(self) -> float:
        return DEGRADED_WAIT_SECONDS if self.error else WAIT_SECONDS

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        try:
            with self._pool.connection(timeout=self._timeout()) as db:
                return db.execute(_pg(sql), params).fetchall()
        except psycopg.Error as exc:  # includes the pool's timeout; the caller decides whether to degrade
            raise StoreError(one_line(exc)) from exc

    def write(self, statements: list[Statement]) -> None:
        try:
            with self._pool.connection(timeout=self._timeout()) as db, db.transaction():
                for sql, params in statements:
                    db.execute(_pg(sql), params)
        except psycopg.Error as exc:  # read-only, gone, timed out: the caller decides whether to degrade
            raise StoreError(one_line(exc)) from exc

    def close(self) -> None:
        self._pool.close()
