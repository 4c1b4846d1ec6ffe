"""The one settings table: every knob, its default and its help, read from the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """An environment variable holds a value its setting cannot take."""


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("expected true or false")


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError("expected a number from 0 to 1") from None
    if not 0.0 <= value <= 1.0:
        raise ValueError("expected a number from 0 to 1")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError("expected a whole number above 0") from None
    if value <= 0:
        raise ValueError("expected a whole number above 0")
    return value


def _text(text: str) -> str:
    return text.strip()


def _database(text: str) -> str:
    value = text.strip()
    if "://" in value and value.split("://", 1)[0].lower() not in ("postgresql", "postgres"):
        raise ValueError("expected a SQLite file path or a postgresql://user:password@host:port/database URL")
    return value


# Where flask-limiter (through the limits library) keeps its counters.
LIMIT_STORES = ("memory", "redis", "rediss", "redis+unix", "redis+cluster", "redis+sentinel", "memcached")


def _limit_storage(text: str) -> str:
    value = text.strip()
    if not value:
        return ""  # beside the database (see bot.web.limit_storage)
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    if scheme not in LIMIT_STORES:
        raise ValueError("expected nothing (beside the database), memory://, redis://host:port or memcached://host:port")
    return value


def _hops(text: str) -> int:
    """How many proxies in front set X-Forwarded-*: a count, or true (one) / false (none)."""
    lowered = text.strip().lower()
    if lowered.isascii() and lowered.isdigit():  # ("²" is a digit to Python, not a count)
        return int(lowered)
    try:
        return int(_bool(lowered))
    except ValueError:
        raise ValueError("expected the number of proxies in front (0, 1, 2...), or true or false") from None


def _rate(text: str) -> str:
    """A limit such as '30/minute' or '10/minute;100/day', or 'off'."""
    from limits import parse_many  # flask-limiter's own parser, so that what starts is what limits

    value = text.strip()
    if value.lower() == "off":
        return "off"
    try:
        limits = parse_many(value)
    except ValueError:
        raise ValueError("expected a limit such as 30/minute (or 10/minute;100/day), or off") from None
    if any(limit.amount < 1 for limit in limits):  # "0/minute" would refuse everyone: 'off' is the way to say none
        raise ValueError("expected at least 1 request in each limit (or off)")
    return value


def _default_workers() -> int:
    """One worker process per core this process may use, and at least two (one busy never stalls the other)."""
    return max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    cast: Callable[[str], Any]
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("FAQBOT_KNOWLEDGE", str(PROJECT / "knowledge"), _text, "the knowledge folder"),
    Setting("FAQBOT_DB", "var/faqbot.sqlite3", _database,
            "sessions, the log, feedback and SMS state: a SQLite file, or a postgresql:// URL that several "
            "server processes share"),
    Setting("FAQBOT_CACHE", "", _text,
            "folder of the fitted index kept between starts (default: 'cache' beside the database; 'off': none)"),
    Setting("FAQBOT_ALLOWED_ORIGINS", "*", _text, "origins whose pages may call the API (comma-separated, or *)"),
    Setting("FAQBOT_RATE_LIMIT", "60/minute", _rate,
            "per-visitor limit on the chat and feedback endpoints, e.g. 30/minute; 'off' disables"),
    Setting("FAQBOT_SMS_RATE_LIMIT", "10/minute", _rate,
            "per-texter limit on questions by SMS (keywords such as STOP always count); 'off' disables"),
    Setting("FAQBOT_RATE_LIMIT_STORAGE", "", _limit_storage,
            "where the rate limit counts are kept: empty for FAQBOT_DB's database (a PostgreSQL one is shared by "
            "every server using it; beside a SQLite one, by this machine's workers), or redis://host:port or "
            "memcached://host:port (shared by several servers)"),
    Setting("FAQBOT_TRUST_PROXY", 0, _hops,
            "how many proxies in front to trust for X-Forwarded-For/-Proto/-Host (true: one)"),
    Setting("FAQBOT_WORKERS", _default_workers(), _positive,
            "worker processes of python server.py (default: one per core, at least 2)"),
    Setting("FAQBOT_PUBLIC_URL", "", _text, "the public base URL, for checking SMS signatures behind a proxy"),
    Setting("TWILIO_AUTH_TOKEN", "", _text,
            "the SMS gateway's auth token; without it the SMS webhook refuses requests"),
    Setting("FAQBOT_SMS_ALLOW_UNSIGNED", False, _bool, "development only: accept unsigned SMS webhooks"),
    Setting("FAQBOT_SMS_SECRET", "", _text, "shared secret for the HMAC-signed JSON SMS webhook /sms/inbound"),
    Setting("FAQBOT_PHONE_SALT", "", _text, "salt for hashing phone numbers (defaults to one kept in the database)"),
    Setting("FAQBOT_ANSWER_THRESHOLD", 0.6, _fraction, "confidence needed to answer instead of falling back"),
    Setting("FAQBOT_SURE_THRESHOLD", 0.9, _fraction, "confidence above which the bot never asks to clarify"),
    Setting("FAQBOT_CLARIFY_MARGIN", 0.02, _fraction, "two entries closer than this in score get a 'did you mean'"),
    Setting("FAQBOT_MAX_BODY_BYTES", 16384, _positive, "largest request body accepted, in bytes"),
    Setting("FAQBOT_RETENTION_DAYS", 90, _positive, "turns older than this are purged"),
    Setting("FAQBOT_RELOAD_SECONDS", 2, _positive, "how often the server checks the knowledge files for changes"),
)


@dataclass(frozen=True)
class Thresholds:
    """The decision thresholds, in confidence units."""

    answer: float = 0.6
    sure: float = 0.9
    clarify_margin: float = 0.02
    suggest: float = 0.3


def read_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every setting, cast strictly; a bad value raises SettingsError naming it."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.name)
        if raw is None:
            values[setting.name] = setting.default
            continue
        try:
            values[setting.name] = setting.cast(raw)
        except ValueError as exc:
            shown = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", raw)  # a URL's password stays out of logs
            raise SettingsError(f"{setting.name}={shown!r}: {exc}") from None
    return values


def cache_folder(values: Mapping[str, Any]) -> Path | None:
    """Where the fitted index is kept between starts: FAQBOT_CACHE, else beside the database (none in memory)."""
    chosen = values["FAQBOT_CACHE"]
    if chosen:
        return None if chosen.lower() == "off" else Path(chosen)
    database = values["FAQBOT_DB"]
    if "://" in database:  # a database server: the index stays on this machine
        return Path("var/cache")
    return Path(database).parent / "cache" if database not in ("", ":memory:") else None


def thresholds(values: Mapping[str, Any]) -> Thresholds:
    return Thresholds(
        answer=values["FAQBOT_ANSWER_THRESHOLD"],
        sure=values["FAQBOT_SURE_THRESHOLD"],
        clarify_margin=values["FAQBOT_CLARIFY_MARGIN"],
    )
