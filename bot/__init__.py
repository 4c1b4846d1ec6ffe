"""faqbot: a grounded FAQ assistant for clinics."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine import Bot, Reply
    from bot.yamlfile import KnowledgeError

__all__ = ["Bot", "KnowledgeError", "Reply"]


def __getattr__(name: str) -> object:
    """Bot, Reply and KnowledgeError, imported on first use: `python -m bot.fitter` needs none of them."""
    if name in ("Bot", "Reply"):
        from bot import engine

        return getattr(engine, name)
    if name == "KnowledgeError":
        from bot.yamlfile import KnowledgeError

        return KnowledgeError
    raise AttributeError(name)
