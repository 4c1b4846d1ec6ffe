"""Fitting the TF-IDF spaces in a short-lived child process.

Only fitting needs scikit-learn, and importing it costs a server over 60 MB of
resident memory for as long as it runs. A server with a cache folder starts
`python -m bot.fitter CACHE` as early as it can: the child imports
scikit-learn while the server starts, then reads the phrasings from its
standard input, fits the spaces the cache lacks and writes them there; the
index waits for it and loads them. Should the child fail, the index fits in
its own process, as before.

This module imports nothing heavy, so that the child can be started first.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# 100,000 entries take a minute or two to fit; a child still busy after this is given up on.
TIMEOUT_SECONDS = 900
log = logging.getLogger("faqbot.index")
_started: dict[Path, subprocess.Popen[str]] = {}
_lock = threading.Lock()


def start(cache: Path) -> None:
    """Start a child that will fit into `cache`: it imports scikit-learn while this process goes on.

    Only when the cache holds no space at all (a first start): a restart
    usually finds what it needs there, and a child that then is not needed
    only slows it down. If the knowledge changed, fit_apart starts one.
    """
    with _lock:
        if cache in _started or any(cache.glob("tfidf-*.npz")):
            return
        try:
            _started[cache] = _spawn(cache)
        except OSError as exc:  # no child now: fit_apart tries again, then fits here
            log.warning("could not start fitting the index in a child process: %s", exc)


def _spawn(cache: Path) -> subprocess.Popen[str]:
    path = os.pathsep.join(p for p in (str(PROJECT), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.Popen([sys.executable, "-m", "bot.fitter", str(cache)], env={**os.environ, "PYTHONPATH": path},
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def fit_apart(documents: Sequence[str], analyzers: Sequence[Callable[[str], list[str]]], cache: Path) -> None:
    """Have every space the cache lacks written by a child process; on failure leave it to the caller."""
    from bot.vectors import cache_path

    missing = [a.__name__ for a in analyzers if not cache_path(documents, a, cache).exists()]
    with _lock:
        child = _started.pop(cache, None)
    if not missing:
        if child is not None:  # the cache has it all: the child is not needed
            child.kill()
            child.communicate()
        return
    try:
        child = child or _spawn(cache)
        request = json.dumps({"documents": list(documents), "analyzers": missing}) if missing else ""
        _, errors = child.communicate(request, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:  # no child: fitting here still works
        if child is not None:
            child.kill()
        log.warning("could not fit the index in a child process, fitting here: %s", exc)
        return
    if child.returncode:
        log.warning("could not fit the index in a child process, fitting here: %s", errors.strip()[-500:])


def main(argv: list[str] | None = None) -> int:
    """CACHE, then {"documents": [...], "analyzers": [names]} on standard input (nothing: nothing to do)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: F401  (the slow part, done first)

    from bot.vectors import TfidfSpace, char_features, word_features

    (cache,) = sys.argv[1:] if argv is None else argv
    text = sys.stdin.read()
    if not text.strip():
        return 0
    request = json.loads(text)
    analyzers = {"word_features": word_features, "char_features": char_features}
    for name in request["analyzers"]:
        TfidfSpace(request["documents"], analyzers[name], Path(cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
