"""The SMS rules, apart from any web framework: keywords, opt-outs, retries and per-texter limits.

The webhooks in bot/sms.py and `faqbot sms` both use them, so what the command
shows is what a texter gets, and a number keeps its conversation between texts.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache

from limits import RateLimitItem, parse_many
from limits.strategies import RateLimiter

from bot.engine import MAX_MESSAGE, Bot, Reply
from bot.gsm import menu, menu_text
from bot.sessions import Store, StoreError, opt_out_statement
from bot.settings import SettingsError
from bot.yamlfile import fill_in

log = logging.getLogger("faqbot.sms")

STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit"}
START_WORDS = {"start", "yes", "unstop"}
HELP_WORDS = {"help", "info"}
RECENT_MESSAGES = 1000  # message ids answered by this process, for retries the database could not record
RETRY_SECONDS = 5.0  # while the database fails, how often an unstored opt-out is tried again


def render(reply: Reply) -> str:
    """The reply as one plain GSM-7 text, suggestions as a numbered menu."""
    return menu_text(reply.sms, reply.suggestions, clarify=reply.type == "clarify")


def shown(reply: Reply) -> int:
    """How many of the reply's suggestions its text shows: a number texted back picks only from those."""
    return menu(reply.sms, reply.suggestions, clarify=reply.type == "clarify")[1]


def _fingerprint(salt: str) -> str:
    """What tells one salt from another without keeping it beside the hashes."""
    return hashlib.sha256(f"faqbot phone salt:{salt}".encode()).hexdigest()[:16]


def _hashed(salt: str, phone: str) -> str:
    return "sms-" + hashlib.sha256(f"{salt}:{phone}".encode()).hexdigest()[:32]


@lru_cache(maxsize=4)
def _limits(rate: str) -> list[RateLimitItem]:
    return parse_many(rate)


class SmsChannel:
    """What to text back, for the bot that is current when a text arrives."""

    def __init__(self, current: Callable[[], Bot], salt: str = "", rate: str = "off",
                 texters: RateLimiter | None = None, channel: str = "sms") -> None:
        """`salt` is FAQBOT_PHONE_SALT ('' keeps one in the database), `rate` FAQBOT_SMS_RATE_LIMIT, `texters`
        the limiter that counts each texter's questions, `channel` what the turn log records."""
        self.current, self.salt, self.rate, self.texters, self.channel = current, salt, rate, texters, channel
        self._passing_salt = secrets.token_hex(16)
        # STOPs and STARTs the database could not take, by number (in this process's memory only, as while
        # answering): honoured here, and stored, hashed, as soon as the database can take them.
        self._pending: dict[str, tuple[bool, float]] = {}  # by number: STOP (True) or START, and when said
        self._pending_lock = threading.Lock()
        self._tried = 0.0
        self._recent: OrderedDict[str, str] = OrderedDict()

    def check_salt(self) -> None:
        """Refuse to start on a salt other than the one this database's phone hashes were made with:
        every number that texted STOP would silently be texted again."""
        store = self.current().store
        try:
            stored = store.query("SELECT value FROM meta WHERE key = 'phone_salt_fingerprint'")
            own = store.query("SELECT value FROM meta WHERE key = 'phone_salt'")
            opted_out = store.query("SELECT COUNT(*) FROM opt_outs")[0][0]
        except StoreError as exc:  # unreadable just now: the hashes cannot be checked, answering comes first
            log.warning("phone salt not checked: %s", exc)
            return
        in_use = self.salt or (str(own[0][0]) if own else "")
        if not in_use:
            return  # nothing hashed yet: the database makes its salt at the first text
        if stored:
            changed = stored[0][0] != _fingerprint(in_use)
        else:  # hashes made before fingerprints were kept: only the database's own salt could have made them
            changed = bool(own) and in_use != own[0][0] and opted_out > 0
        if changed:
            raise SettingsError(
                f"FAQBOT_PHONE_SALT is not the salt this database's phone numbers were hashed with: the "
                f"{opted_out} number(s) that texted STOP would be texted again. Set it back (or unset it if "
                "the database's own salt was in use).")
        if not stored:
            store.try_execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                              ("phone_salt_fingerprint", _fingerprint(in_use)))

    def phone_key(self, phone: str) -> str:
        """A salted hash of a phone number: sessions and the log never hold it in clear."""
        return _hashed(self.salt or self._database_salt(), phone)

    def _database_salt(self) -> str:
        store = self.current().store
        try:
            return store.meta("phone_salt", secrets.token_hex(16))
        except StoreError as exc:  # none kept yet, and the database cannot take one: answer all the same
            store.degraded(exc)
            return self._passing_salt  # (a conversation begun now starts afresh once the database is back)

    def answer_text(self, phone: str, body: str) -> str | None:
        """What to text back to `phone` for `body`; None means send nothing."""
        bot = self.current()
        key = self.phone_key(phone)
        word = body.strip().lower().strip(".!")
        with self._pending_lock:
            pending = self._pending.get(phone)
        opted_out = bot.store.opted_out(key) if pending is None else pending[0]
        clinic = bot.knowledge.clinic
        if word in STOP_WORDS:
            self._set_opted_out(bot.store, phone, key, True)
            return None
        if word in START_WORDS and (opted_out or word != "yes"):  # ("yes" may answer "did you mean ...?")
            if not opted_out:  # a keyword, never a question, though this number never opted out
                return (f"You're subscribed to {clinic.name}'s assistant. Text a question about {clinic.treatment} "
                        "any time. Reply STOP to opt out.")
            self._set_opted_out(bot.store, phone, key, False)
            return (f"You're subscribed again to {clinic.name}'s assistant. Text a question any time. "
                    "Reply STOP to opt out.")
        if opted_out:
            return None
        if word in HELP_WORDS:
            return fill_in("{name}: call {phone} ({hours}) or email {email}. Reply STOP to opt out.",
                           clinic.placeholders())
        if not body.strip():
            return f"Sorry, I can only read text messages. Please text your question about {clinic.treatment}."
        if not self._allowed(key):  # keywords above always work; past the limit a question gets no text back
            return None
        return render(bot.reply(body[:MAX_MESSAGE], key, channel=self.channel, shown=shown))

    def answer_once(self, message_id: str, phone: str, body: str) -> str:
        """The reply to a message; a gateway's retry of the same id gets the same reply, recorded once."""
        self.flush()
        store = self.current().store
        if message_id:
            seen = self._recent.get(message_id)
            if seen is None:
                seen = store.sms_reply(message_id)
            if seen is not None:
                return seen
        text = self.answer_text(phone, body) or ""
        if message_id:  # kept here too: a database that cannot record it would let a retry be answered anew
            self._recent[message_id] = text
            if len(self._recent) > RECENT_MESSAGES:
                self._recent.popitem(last=False)
            store.remember_sms(message_id, text)
        return text

    def _set_opted_out(self, store: Store, phone: str, key: str, opted_out: bool) -> None:
        """Store a STOP or START; one the database cannot take is kept and honoured here until it can."""
        with self._pending_lock:
            self._pending.pop(phone, None)  # the latest word wins over one still waiting
        try:
            if not self.salt and key == _hashed(self._passing_salt, phone):  # no later text would match it
                raise StoreError("no phone salt kept in the database yet")
            store.set_opted_out(key, opted_out)
            return
        except StoreError as exc:  # a lost STOP would text someone who asked for silence
            store.degraded(exc)
            with self._pending_lock:
                self._pending[phone] = (opted_out, time.time())
            self._tried = time.monotonic()
            log.error("%s from %s not stored (%s): honoured by this process, stored once the database can be "
                      "written", "STOP" if opted_out else "START", key, exc)

    def pending(self) -> int:
        """How many STOPs and STARTs wait to be stored."""
        with self._pending_lock:
            return len(self._pending)

    def flush(self, force: bool = False) -> None:
        """Store the waiting STOPs and STARTs: at once when the database looks well, else every few seconds."""
        with self._pending_lock:
            waiting = dict(self._pending)
        store = self.current().store
        if not waiting or (store.error and not force and time.monotonic() - self._tried < RETRY_SECONDS):
            return
        self._tried = time.monotonic()
        try:
            # The database's own salt, strictly: a passing one would store a hash no later text matches.
            salt = self.salt or store.meta("phone_salt", secrets.token_hex(16))
            store.write([opt_out_statement(_hashed(salt, phone), opted_out, said_at)
                         for phone, (opted_out, said_at) in waiting.items()])
        except StoreError as exc:  # still not writable: kept, tried again later
            store.degraded(exc)
            if force:
                log.error("%d STOP/START not stored (%s): %s", len(waiting), exc,
                          ", ".join(sorted(self.phone_key(phone) for phone in waiting)))
            return
        with self._pending_lock:
            for phone, word in waiting.items():
                if self._pending.get(phone) == word:  # (unless a newer word came meanwhile)
                    del self._pending[phone]
        log.warning("stored %d STOP/START that had waited for the database", len(waiting))

    def _allowed(self, key: str) -> bool:
        """One more question from this texter (a phone key) within the SMS rate."""
        if self.rate == "off" or self.texters is None:
            return True
        try:
            return all([self.texters.hit(item, "sms-texter", key) for item in _limits(self.rate)])
        except Exception as exc:  # counters in SQLite or a shared server that cannot be written: answer, not go silent
            log.warning("SMS limit not counted: %s", exc)
            return True
