"""A clinic's leaflet read for drafting: checked, Markdown made plain, split into titled sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge import split_sentences

# A heading is a short line without a full stop: "Who is it for?", "Your first appointment".
HEADING_WORDS = 10
# Text with more control characters than this share is not a leaflet (a PDF, a picture, a zip).
CONTROL_SHARE = 0.01

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class LeafletError(Exception):
    """The file cannot be a leaflet; the message is one line for a person."""


@dataclass(frozen=True)
class Section:
    """A heading (or none) and its paragraphs, each a list of the leaflet's sentences."""

    heading: str
    paragraphs: tuple[tuple[str, ...], ...]


def read_leaflet(path: Path) -> str:
    """The leaflet's text, plain; LeafletError when it is missing, unreadable, binary or empty."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LeafletError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise LeafletError(f"{path}: is a folder, not a leaflet") from None
    except OSError as exc:  # permissions, a dangling link: say which file and why
        raise LeafletError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if b"\x00" in raw:  # no text format has NUL bytes; PDFs, Word files and images do
        raise LeafletError(f"{path}: is a binary file; save the leaflet as plain text (.txt) or Markdown (.md)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LeafletError(f"{path}: is not UTF-8 text; save it as UTF-8 plain text or Markdown") from None
    if len(_CONTROL.findall(text)) > CONTROL_SHARE * len(text):
        raise LeafletError(f"{path}: is a binary file; save the leaflet as plain text (.txt) or Markdown (.md)")
    plain = plain_text(text)
    if not split_sentences(plain):
        raise LeafletError(f"{path}: is empty; the leaflet needs the text the bot will answer from")
    return plain


def plain_text(text: str) -> str:
    """Markdown's marks taken out (headings, bullets, emphasis, links), so answers quote clean text."""
    lines: list[str] = []
    after_item = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _MD_RULE.match(line):
            continue
        line = _MD_HEADING.sub("", line)
        bullet = _MD_BULLET.match(line) is not None
        if bullet and after_item:
            while lines and not lines[-1]:
                lines.pop()  # a loose list (a blank line between its items) is one list
        if line.strip():
            after_item = bullet
        line = _MD_BULLET.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = " ".join(_MD_EMPHASIS.sub(r"\2", line).split())
        if bullet and line and not line.endswith((".", "!", "?", ":", ";")):
            line += "."  # a list item is text, not a heading: it gets its full stop
        lines.append(line)
    return "\n".join(lines).strip() + "\n"


def is_heading(line: str) -> bool:
    """A title or section heading rather than a sentence of text."""
    words = line.split()
    return 0 < len(words) <= HEADING_WORDS and not line.rstrip().endswith((".", "!", ";", ","))


_TEXT_LIKE = re.compile(r"\d|@|www\.|https?:|,")


def _item(line: str) -> bool:
    """A line that reads as a list's item: one short sentence."""
    return line.endswith(".") and len(line.split()) <= HEADING_WORDS and len(split_sentences(line)) == 1


def title_of(document: str) -> str:
    """The leaflet's first line, when it is a title."""
    first = next((line.strip() for line in document.splitlines() if line.strip()), "")
    return first if is_heading(first) else ""


def sections(document: str) -> list[Section]:
    """The leaflet under its headings; text before any heading is a section without one.

    A line is a heading when it is short, has no full stop and text follows it
    (a short closing line such as "Thank you" is text), unless it ends with a
    colon and a list follows on the next line ("Contact us if you notice:")."""
    raw = [line.strip() for line in document.splitlines()]
    # Each line and whether it follows a blank one: a list runs on from the line that leads into it
    # ("For 24 hours after sedation, do not:") to the next blank line, and is one paragraph with it.
    lines = [(line, i > 0 and not raw[i - 1]) for i, line in enumerate(raw) if line]
    # Short lines one under the other, then a blank line, are a block of text when any of them reads as text (a
    # digit, "@", a web address, a comma: an address, a phone number, opening hours under "Contact us"), not
    # headings each; its first line, reading as none, is still its heading ("Contact us", then the address).
    # (A title block before any text stays as it is, and so do a heading and its subheading over text:
    # "Common travel vaccines", "Hepatitis A", then what it says of hepatitis A.)
    short = [is_heading(line) and not line.endswith(":") for line, _ in lines]  # (not a heading over a list's lead-in)
    block = [False] * len(lines)
    start = next((i for i, s in enumerate(short) if not s), len(lines))
    i = start
    while i < len(lines):
        end = i
        while end + 1 < len(lines) and short[i] and short[end + 1] and not lines[end + 1][1]:
            end += 1
        told = [k for k in range(i, end + 1) if _TEXT_LIKE.search(lines[k][0])]
        if end > i and (end + 1 == len(lines) or lines[end + 1][1]) and told:  # a run of short lines, a blank line
            # (its first line is its heading when it reads as none and text comes before it, not a heading)
            first = i if told[0] == i or i > 0 and short[i - 1] and not block[i - 1] else i + 1
            block[first : end + 1] = [True] * (end + 1 - first)
        i = end + 1

    def listy(k: int) -> bool:
        """Whether line k reads as a list's first item: a short sentence, or short lines one under another."""
        return _item(lines[k][0]) or short[k] and k + 1 < len(lines) and short[k + 1] and not lines[k + 1][1]

    result: list[Section] = []
    heading, paragraphs = "", []
    listing = opened = False
    for i, (line, after_blank) in enumerate(lines):
        # (the list's first line may follow a blank one: "... if you have symptoms such as:", a blank line, the list,
        # its items sentences, or short lines one under another: "drive a car", "drink alcohol")
        if listing and (not after_blank or opened and (not is_heading(line) or listy(i))) and paragraphs:
            paragraphs[-1] = (*paragraphs[-1], *split_sentences(line))
            opened = False
            continue
        listing = opened = False
        # "Contact us if you notice:", then its list (after a blank line, a list's items are short sentences)
        leads_in = line.endswith(":") and i + 1 < len(lines) and (not lines[i + 1][1] or listy(i + 1))
        if is_heading(line) and i + 1 < len(lines) and not leads_in and not block[i]:
            if paragraphs:
                result.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = ("" if i == 0 and line == title_of(document) else line), []
            continue
        paragraphs.append(tuple(split_sentences(line)))
        listing = opened = line.endswith(":")
    if paragraphs:
        result.append(Section(heading, tuple(paragraphs)))
    return result
