"""faqbot: a grounded FAQ assistant for clinics."""

from bot.engine import Bot, Reply
from bot.yamlfile import KnowledgeError

__all__ = ["Bot", "KnowledgeError", "Reply"]
