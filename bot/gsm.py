"""SMS text: the GSM-7 alphabet, so a reply is never billed as UCS-2 segments."""

from __future__ import annotations

import re
import unicodedata

SMS_LIMIT = 300

# GSM 03.38 basic set and its extension table (extension characters cost two).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u00a0": " ", "\u2022": "-", "\u00b7": "-", "\t": " ",
    "\u2122": "(TM)", "\u00ae": "(R)", "\u00a9": "(C)", "\u00d7": "x",
}


def to_gsm(text: str) -> str:
    """Replace what GSM-7 lacks: curly quotes, dashes, accents; drop the rest."""
    out = []
    for ch in text:
        if ch in GSM_BASIC or ch in GSM_EXTENDED:
            out.append(ch)
        elif ch in _REPLACEMENTS:
            out.append(_REPLACEMENTS[ch])
        else:
            base = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in base if c in GSM_BASIC))
    return "".join(out)


def septets(text: str) -> int:
    return sum(2 if ch in GSM_EXTENDED else 1 for ch in text)


def segments(text: str) -> tuple[int, str]:
    """How many SMS segments a text costs, and its encoding."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text):
        size, single, multi, encoding = septets(text), 160, 153, "GSM-7"
    else:
        size, single, multi, encoding = len(text.encode("utf-16-le")) // 2, 70, 67, "UCS-2"
    if size <= single:
        return 1, encoding
    return -(-size // multi), encoding


def shorten(text: str, limit: int) -> str:
    """Whole sentences that fit in `limit`; a cut at a word only if none does."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    if kept:
        return kept
    return text[: limit - 3].rsplit(" ", 1)[0] + "..."


def sms_form(answer: str) -> str:
    """The SMS form of an answer when its entry gives none."""
    return shorten(to_gsm(answer), SMS_LIMIT)


MENU_LIMIT = 306  # two GSM-7 segments


def menu_text(text: str, options: list[str], clarify: bool = False) -> str:
    """An SMS reply with its options as a numbered menu, kept to two segments."""
    return menu(text, options, clarify)[0]


def menu(text: str, options: list[str], clarify: bool = False) -> tuple[str, int]:
    """The SMS reply (see menu_text) and how many of the options its menu shows: as many as fit."""
    text = "Did you mean:" if clarify else to_gsm(text)
    for count in range(len(options), 0, -1):
        numbered = " ".join(f"{n}) {to_gsm(o)}" for n, o in enumerate(options[:count], 1))
        numbers = "1" if count == 1 else ", ".join(str(n) for n in range(1, count)) + f" or {count}"
        lead = "Reply a number:" if clarify else f"Reply {numbers} for:"
        full = f"{text} {lead} {numbered}"
        if len(full) <= MENU_LIMIT:
            return full, count
    return shorten(text, MENU_LIMIT), 0
