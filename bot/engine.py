"""The engine's one entry point: Bot.reply(message, session_id) -> Reply."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.dialogue import Dialogue, Outcome
from bot.knowledge import Knowledge, load_knowledge
from bot.sessions import Session, Store, Turn, open_store
from bot.settings import Thresholds
from bot.text import readable

MAX_MESSAGE = 1000


@dataclass(frozen=True)
class Reply:
    """What the bot says, with everything a surface needs to render it."""

    session_id: str
    reply_id: str
    type: str
    answer: str
    confidence: float
    match: dict[str, str] | None
    sources: list[str]
    suggestions: list[str]
    sms: str = ""
    candidates: list[tuple[str, float]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The reply as the HTTP API gives it."""
        return {
            "session_id": self.session_id,
            "reply_id": self.reply_id,
            "type": self.type,
            "answer": self.answer,
            "confidence": self.confidence,
            "match": self.match,
            "sources": self.sources,
            "suggestions": self.suggestions,
        }


class Bot:
    """A knowledge base, its conversation policy and its session store."""

    def __init__(self, knowledge: Knowledge, store: Store | None = None, thresholds: Thresholds | None = None,
                 cache: Path | None = None) -> None:
        self.knowledge = knowledge
        self.store = store or open_store(":memory:")
        self.dialogue = Dialogue(knowledge, thresholds or Thresholds(), cache)

    @classmethod
    def load(cls, path: str | Path, store: Store | None = None, thresholds: Thresholds | None = None,
             cache: Path | None = None) -> Bot:
        """Load and validate a knowledge folder; KnowledgeError lists what is wrong."""
        return cls(load_knowledge(path), store, thresholds, cache)

    @property
    def entries(self) -> int:
        return len(self.knowledge.entries)

    def reply(self, message: str, session_id: str | None = None, channel: str = "api",
              shown: Callable[[Reply], int] | None = None) -> Reply:
        """Answer one message in a conversation (a new one when session_id is None). `shown` says how
        many of the reply's suggestions the channel can show (a text message's menu): a number sent
        next picks only from those."""
        message = " ".join(readable(str(message)).split())[:MAX_MESSAGE]
        # A conversation the bot starts has no history to read.
        session = self.store.session(session_id) if session_id else Session(secrets.token_hex(16))
        outcome = self.dialogue.respond(message, session)
        reply = self._render(outcome, session.id)
        if shown is not None:
            session.options = session.options[: shown(reply)]
        turn = Turn(reply.reply_id, channel, session.id, message, reply.type,
                    outcome.entry.id if outcome.entry else None, reply.confidence)
        self.store.record(session, turn)
        return reply

    @staticmethod
    def _render(outcome: Outcome, session_id: str) -> Reply:
        entry = outcome.entry
        return Reply(
            session_id=session_id,
            reply_id=secrets.token_hex(16),
            type=outcome.type,
            answer=outcome.answer,
            confidence=round(max(0.0, min(1.0, outcome.confidence)), 3),
            match={"id": entry.id, "question": entry.question} if entry else None,
            sources=list(entry.sources) if entry else [],
            suggestions=[e.question for e in outcome.suggestions],
            sms=outcome.sms or outcome.answer,
            candidates=[(c.entry.id, round(c.score, 3)) for c in outcome.candidates],
        )
