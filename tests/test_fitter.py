"""Fitting apart: a server with a cache folder never imports scikit-learn, and a failed child costs nothing."""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot import Bot, fitter
from bot.editing import add_alternate
from bot.settings import cache_folder, read_settings
from bot.vectors import STALE_SECONDS


@pytest.mark.parametrize("early", [True, False], ids=["child started early", "child started when needed"])
def test_a_first_start_fits_in_a_child_and_never_imports_scikit_learn(tmp_path, knowledge_dir, early):
    cache = tmp_path / "cache"
    script = (
        "import sys; from pathlib import Path; from bot import Bot, fitter; "
        f"cache = Path({str(cache)!r}); {'fitter.start(cache); ' if early else ''}"
        f"b = Bot.load({str(knowledge_dir)!r}, cache=cache); "
        "print(b.reply('any downtime?').match['id'], 'sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["downtime", "False"]
    assert len(list(cache.glob("tfidf-*.npz"))) == 2


@pytest.mark.parametrize("executable", ["/nonexistent/python", "/bin/false"])
def test_a_failed_child_falls_back_to_fitting_here(tmp_path, knowledge_dir, monkeypatch, caplog, executable):
    monkeypatch.setattr(sys, "executable", executable)
    with caplog.at_level(logging.WARNING, logger="faqbot.index"):
        fitter.start(tmp_path / "cache")  # never raises: a server still starts
        bot = Bot.load(knowledge_dir, cache=tmp_path / "cache")
    assert bot.reply("any downtime?").match["id"] == "downtime"
    assert "fitting here" in caplog.text
    assert len(list((tmp_path / "cache").glob("tfidf-*.npz"))) == 2  # written here instead


def test_a_restart_starts_no_child_and_old_spaces_are_dropped(tmp_path, knowledge_dir):
    cache = tmp_path / "cache"
    Bot.load(knowledge_dir, cache=cache)
    before = set(cache.glob("tfidf-*.npz"))
    fitter.start(cache)
    assert cache not in fitter._started  # the cache has spaces: no child
    long_ago = time.time() - 2 * STALE_SECONDS
    for path in before:
        os.utime(path, (long_ago, long_ago))
    add_alternate(knowledge_dir, "safe", "is this treatment a safe one")
    bot = Bot.load(knowledge_dir, cache=cache)
    after = set(cache.glob("tfidf-*.npz"))
    assert len(after) == 2 and not after & before
    assert bot.reply("is it safe?").match["id"] == "safe"



@pytest.mark.parametrize(("cache", "db", "expected"), [
    ("", "var/faqbot.sqlite3", "var/cache"), ("", ":memory:", None), ("off", "var/faqbot.sqlite3", None),
    ("/srv/index", "var/faqbot.sqlite3", "/srv/index"),
    ("", "postgresql://faqbot@db.internal:5432/faqbot", "var/cache"),  # on this machine, never 'postgresql:/...'
])
def test_cache_folder_setting(cache, db, expected):
    folder = cache_folder(read_settings({"FAQBOT_CACHE": cache, "FAQBOT_DB": db}))
    assert folder == (Path(expected) if expected else None)
