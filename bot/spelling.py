"""English words, to tell a misspelling from a real word: pyspellchecker's frequency dictionary.

A word the knowledge has never seen is either an English word about
something else ("cars": evidence that a question is not ours) or a
misspelling ("wrok", "aftr"). Only the second may be corrected loosely.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spellchecker import SpellChecker


WARM_AFTER = 3.0


@lru_cache(maxsize=1)
def _checker() -> SpellChecker:
    from spellchecker import SpellChecker  # 0.2 s and 30 MB to load its dictionary, so only when needed

    return SpellChecker(distance=1)


def warm(after: float = WARM_AFTER) -> None:
    """Load the dictionary in the background, so that no visitor's first typo waits for it; a little
    later than the index is built, so that it does not hold up a server's start (they share the GIL)."""
    timer = threading.Timer(after, _unaccented)  # (which loads the dictionary first)
    timer.name, timer.daemon = "spelling-dictionary", True
    timer.start()


def is_word(word: str) -> bool:
    """An English word, however rare ("patchier" is one: it is never corrected loosely), also written
    without its accents ("cafe" is "café": messages are read with accents dropped)."""
    return word in _checker() or word in _unaccented()


@lru_cache(maxsize=1)
def _unaccented() -> frozenset[str]:
    from bot.text import fold

    return frozenset(fold(w) for w in _checker().word_frequency.dictionary if not w.isascii())


@lru_cache(maxsize=8192)
def english_correction(word: str) -> str | None:
    """The most used English word one edit from a word that is not one, keeping its first letter."""
    checker = _checker()
    # The most used candidate; ties go to the first in alphabetical order, so every run agrees.
    candidates = sorted(c for c in checker.candidates(word) or () if c != word and c[0] == word[0])
    return max(candidates, key=checker.word_usage_frequency) if candidates else None


def usage(word: str) -> float:
    """How much a word is used, as a share of all English words (0 for one the dictionary lacks)."""
    return float(_checker().word_usage_frequency(word))
