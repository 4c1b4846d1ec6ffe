"""YAML reading that remembers line numbers, so errors can say file:line."""

from __future__ import annotations

from pathlib import Path
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


class _Loader(yaml.SafeLoader):
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


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; syntax errors become a KnowledgeError with file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError([f"{path}: file is missing"]) from None
    except UnicodeDecodeError as exc:
        raise KnowledgeError([f"{path}: not UTF-8 text ({exc.reason})"]) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 0
        raise KnowledgeError([f"{path}:{line}: {exc.problem}"]) from None
