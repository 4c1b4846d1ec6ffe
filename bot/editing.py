"""Safe edits of faq.yaml: comments and order kept, the result validated before it is written."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

from ruamel.yaml import YAML

from bot.gaps import PREFIX
from bot.knowledge import load_knowledge
from bot.text import normalize
from bot.yamlfile import KnowledgeError


def _yaml() -> YAML:
    yaml = YAML()  # round-trip mode: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def add_alternate(folder: Path, entry_id: str, question: str) -> None:
    """Add `question` as an alternate of `entry_id`; write nothing unless the result loads."""
    path = folder / "faq.yaml"
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8"))
    entry = next((e for e in data.get("entries", []) if e.get("id") == entry_id), None)
    if entry is None and entry_id.startswith(PREFIX):
        raise KnowledgeError([f"'{entry_id}' is answered from the leaflet, not an entry of faq.yaml: "
                              "add an entry with its sentences as sources"])
    if entry is None:
        raise KnowledgeError([f"faq.yaml: no entry with id '{entry_id}'"])
    phrasings = [entry.get("question", ""), *entry.get("alternates", [])]
    if normalize(question) in {normalize(p) for p in phrasings}:
        raise KnowledgeError([f"faq.yaml: '{question}' is already a phrasing of '{entry_id}'"])
    entry["alternates"].append(" ".join(question.split()))
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / "knowledge"
        shutil.copytree(folder, trial)
        (trial / "faq.yaml").write_text(buffer.getvalue(), encoding="utf-8")
        load_knowledge(trial)  # raises KnowledgeError: nothing is written
    staged = path.with_suffix(".yaml.tmp")
    staged.write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(staged, path)  # atomic: a running server never reads half a file
