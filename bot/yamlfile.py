"""YAML reading that remembers line numbers, so errors can say file:line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from string import Formatter
from typing import Any

import yaml


class KnowledgeError(Exception):
    """The knowledge folder cannot be used; `problems` lists each `file:line: what`."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid knowledge:\n" + "\n".join(f"  {p}" for p in problems))


class LineDict(dict):
    """A mapping read from YAML, with the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence read from YAML, with the line of each item."""

    line: int = 0
    item_lines: list[int]


# libyaml's parser when PyYAML was built with it: ten times faster on a clinic's files.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that keeps lines and refuses duplicate keys."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = line
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


class Checker:
    """Collects problems with file:line instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.warnings: list[str] = []  # worth a person's look, but the folder still loads

    def add(self, path: Path, line: int, message: str) -> None:
        self.problems.append(f"{path.name}:{line}: {message}")

    def warn(self, path: Path, line: int, message: str) -> None:
        self.warnings.append(f"{path.name}:{line}: {message}")

    def text(self, path: Path, item: LineDict, key: str, required: bool = True) -> str:
        value = item.get(key)
        if value is None:
            if required:
                self.add(path, item.line, f"missing field '{key}'")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(path, item.line_of(key), f"'{key}' must be non-empty text")
            return ""
        return " ".join(value.split())

    def texts(self, path: Path, item: LineDict, key: str) -> tuple[str, ...]:
        value = item.get(key, LineList())
        if not isinstance(value, list):
            self.add(path, item.line_of(key), f"'{key}' must be a list of non-empty texts")
            return ()
        lines = getattr(value, "item_lines", [])
        for i, v in enumerate(value):
            if isinstance(v, str) and v.strip():
                continue
            line = lines[i] if i < len(lines) else item.line_of(key)
            # YAML reads 111, yes or 1.5 unquoted as a number or true/false, not as the text typed
            why = "is empty" if isinstance(v, str) or v is None else f"is read as {v!r}, not text: put it in quotes"
            self.add(path, line, f"'{key}' item {i + 1} {why}")
        return tuple(" ".join(v.split()) for v in value if isinstance(v, str) and v.strip())

    def keys(self, path: Path, item: LineDict, allowed: set[str], what: str) -> None:
        for key in item:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.add(path, item.line_of(str(key)), f"unknown key '{key}' in {what} (known: {known})")

    def fill(self, text: str, values: dict[str, str], path: Path, line: int) -> str:
        """Put the clinic's details into {phone}-style placeholders."""
        try:
            return fill_in(text, values)
        except (KeyError, IndexError, ValueError) as exc:  # a typo in a placeholder
            self.add(path, line, f"unknown placeholder in answer: {exc}")
            return text


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; syntax errors become a KnowledgeError with file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError([f"{path}: file is missing"]) from None
    except UnicodeDecodeError as exc:
        raise KnowledgeError([f"{path}: not UTF-8 text ({exc.reason})"]) from None
    except IsADirectoryError:
        raise KnowledgeError([f"{path}: is a folder, not a file"]) from None
    except OSError as exc:  # unreadable (permissions, a dangling link): say which file and why
        raise KnowledgeError([f"{path}: cannot be read ({exc.strerror or exc})"]) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 0
        raise KnowledgeError([f"{path}:{line}: {exc.problem}"]) from None


_STOP = (".", "!", "?")
_ASIDE_IN_VALUE = re.compile(r"\s*\(([^()]*)\)")


def fill_in(template: str, values: Mapping[str, str]) -> str:
    """A text with the clinic's details put into its {phone}-style placeholders, read as written: a detail
    that ends its own sentence ends the template's too ("... please call us on 01632 960 418." then "."), and
    one with brackets of its own inside the template's ("({hours})" with "9am to 5pm (closed on bank
    holidays)") gives them up for a comma. KeyError, IndexError or ValueError for a mistaken placeholder."""
    parts = list(Formatter().parse(template))
    out: list[str] = []
    for n, (literal, field, spec, _conversion) in enumerate(parts):
        out.append(literal)
        if field is None:
            continue
        if field == "" or not field.isidentifier():
            raise ValueError(f"'{{{field}}}' is no placeholder")
        value = format(values[field], spec or "")
        following = parts[n + 1][0] if n + 1 < len(parts) else ""
        if literal.endswith("(") and following.startswith(")"):
            value = _ASIDE_IN_VALUE.sub(lambda m: f", {m.group(1)}", value).replace(" ,", ",")
        if value.endswith(_STOP) and following.startswith("."):
            parts[n + 1] = (following[1:], *parts[n + 1][1:])
        out.append(value)
    return "".join(out)
