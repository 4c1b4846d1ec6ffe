"""Conversation state, the log of every turn, feedback and SMS state: one interface, two databases."""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any

SESSION_IDLE_SECONDS = 30 * 60
log = logging.getLogger("faqbot.db")
Row = tuple[Any, ...]
Statement = tuple[str, tuple[Any, ...]]


class StoreError(Exception):
    """The database cannot be opened, read or written; the message says why in one line."""


class StoreUnwritable(StoreError):
    """A database file that cannot be made or written where it should be (a folder without permission, a
    read-only disk), as opposed to a wrong setting or a file that is no database."""


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


def one_line(exc: BaseException) -> str:
    """A driver's message on one line, a password in a URL blanked out."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)


def is_url(location: str) -> bool:
    return "://" in location


class Store:
    """What the bot and the staff tools ask of a database; SQLite and PostgreSQL implement it.

    The SQL here is the subset both speak (qmark placeholders, ON CONFLICT); an
    implementation supplies `query`, `write`, `migrate` and `close`, and raises
    StoreError for anything its driver reports.
    """

    location: str  # what FAQBOT_DB or --db was given: a file path or a URL
    error: str | None = None
    stand_in: str | None = None  # why this store stands in for a database that could not be used

    def __init__(self) -> None:
        self.error = None
        self._meta: dict[str, str] = {}

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        """Rows of one read."""
        raise NotImplementedError

    def write(self, statements: list[Statement]) -> None:
        """Run the statements in one transaction, committed on return."""
        raise NotImplementedError

    def forked(self) -> None:
        """In a forked child: open connections of its own (none may cross a fork); the parent keeps its own."""

    def migrate(self) -> int:
        """Bring the schema up to date; return the version found."""
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the connections."""

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        self.write([(sql, params)])

    def _legacy_state(self, session_id: str) -> list[Row]:
        """(state, time) kept by a schema older than the per-turn state; none by default."""
        return []

    def session(self, session_id: str, now: float | None = None) -> Session:
        """The session's state; a new one if unknown, idle for 30 minutes, or unreadable."""
        now = time.time() if now is None else now
        try:
            # rowid: the order turns were written in, whichever machine's clock stamped them
            rows = self.query("SELECT state, time FROM turns WHERE session = ? ORDER BY rowid DESC LIMIT 1",
                              (session_id,))
            if not rows or rows[0][0] is None:
                rows = self._legacy_state(session_id)
        except StoreError as exc:  # unreadable database: answer without history
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
            self.execute(
                "INSERT INTO turns (reply_id, time, channel, session, message, type, entry, confidence, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (turn.reply_id, now, turn.channel, turn.session, turn.message, turn.type, turn.entry, turn.confidence,
                 session.to_json()),
            )
        except StoreError as exc:  # read-only, full disk, server gone: answer anyway, say so in /healthz
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
        except StoreError as exc:  # same reason as in record()
            self.degraded(exc)

    def feedback(self, reply_id: str, helpful: bool, comment: str | None) -> bool:
        """Store feedback on a reply; False when the reply is unknown."""
        if not self.query("SELECT 1 FROM turns WHERE reply_id = ?", (reply_id,)):
            return False
        self.execute(
            "INSERT INTO feedback (reply_id, helpful, comment, time) VALUES (?, ?, ?, ?) ON CONFLICT (reply_id) "
            "DO UPDATE SET helpful = excluded.helpful, comment = excluded.comment, time = excluded.time",
            (reply_id, int(helpful), comment, time.time()),
        )
        return True

    def meta(self, key: str, default: str) -> str:
        """A value kept in the database, set to `default` on first use (the first writer wins).

        Kept in memory once known: it never changes, and a texter's hashed number
        needs it even while the database is away.
        """
        known = self._meta.get(key)
        if known is None:
            rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
            if not rows:
                self.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                             (key, default))
                rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
            known = self._meta[key] = str(rows[0][0])
        return known

    def opted_out(self, phone_key: str) -> bool:
        """Whether this (hashed) number texted STOP; an unreadable database counts as no."""
        try:
            return bool(self.query("SELECT 1 FROM opt_outs WHERE phone = ?", (phone_key,)))
        except StoreError as exc:  # they have just texted a question: answering it is what they asked for
            self.degraded(exc)
            return False

    def set_opted_out(self, phone_key: str, opted_out: bool) -> None:
        """Record a STOP (or a START); StoreError when it cannot be stored: the caller must not lose it."""
        self.write([opt_out_statement(phone_key, opted_out)])

    def sms_reply(self, message_id: str) -> str | None:
        """The reply already sent for a gateway's message id (a retry), or None."""
        try:
            seen = self.query("SELECT reply FROM sms_messages WHERE sid = ?", (message_id,))
        except StoreError as exc:  # cannot tell: answer it as new
            self.degraded(exc)
            return None
        return str(seen[0][0]) if seen else None

    def remember_sms(self, message_id: str, reply: str) -> None:
        self.try_execute("INSERT INTO sms_messages (sid, reply, time) VALUES (?, ?, ?) ON CONFLICT (sid) DO NOTHING",
                         (message_id, reply, time.time()))

    def purge(self, cutoff: float) -> int:
        """Delete turns (with their feedback) and SMS retry records older than `cutoff`; return the turns gone."""
        count = int(self.query("SELECT COUNT(*) FROM turns WHERE time < ?", (cutoff,))[0][0])
        self.write([
            ("DELETE FROM feedback WHERE reply_id IN (SELECT reply_id FROM turns WHERE time < ?)", (cutoff,)),
            ("DELETE FROM turns WHERE time < ?", (cutoff,)),
            ("DELETE FROM sms_messages WHERE time < ?", (cutoff,)),
            *self._legacy_purge(cutoff),
        ])
        return count

    def _legacy_purge(self, cutoff: float) -> list[Statement]:
        return []


def opt_out_statement(phone_key: str, opted_out: bool, said_at: float | None = None) -> Statement:
    """A STOP (opted_out) or START said at `said_at` (now by default). A word stored late, after the
    database was away, never undoes a STOP stored after it was said (another worker took a later STOP)."""
    at = time.time() if said_at is None else said_at
    if opted_out:
        return ("INSERT INTO opt_outs (phone, time) VALUES (?, ?) ON CONFLICT (phone) "
                "DO UPDATE SET time = excluded.time WHERE opt_outs.time < excluded.time", (phone_key, at))
    return ("DELETE FROM opt_outs WHERE phone = ? AND time <= ?", (phone_key, at))


def open_store(location: str) -> Store:
    """The store FAQBOT_DB names: a postgresql:// URL, else a SQLite file (':memory:' for none)."""
    scheme = location.split("://", 1)[0].lower() if is_url(location) else ""
    if scheme in ("postgresql", "postgres"):
        from bot.postgres import PostgresStore  # the driver is loaded only when it is used

        return PostgresStore(location)
    if scheme:
        raise StoreError(f"FAQBOT_DB: {scheme}:// is not supported; give a SQLite file path or a postgresql:// URL")
    from bot.sqlite import SQLiteStore

    return SQLiteStore(location)
