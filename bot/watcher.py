"""Knowledge reloaded while serving: on change (checked every few seconds) or on demand."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bot import spelling
from bot.engine import Bot
from bot.sessions import Store
from bot.settings import Thresholds
from bot.yamlfile import KnowledgeError

log = logging.getLogger("faqbot.knowledge")


class KnowledgeWatcher:
    """Holds the current Bot; swaps in a new one when the knowledge files change and load."""

    def __init__(self, folder: str | Path, store: Store, thresholds: Thresholds, interval: float = 2.0,
                 cache: Path | None = None) -> None:
        self.folder = Path(folder)
        self.cache = cache
        self.store = store
        self.thresholds = thresholds
        self.interval = interval
        self._lock = threading.Lock()
        self._signature = self._files_signature()
        self.bot = Bot.load(self.folder, store, thresholds, cache)
        self.loaded_at = time.time()
        self.error: str | None = None
        self._checked = time.monotonic()

    def _files_signature(self) -> tuple[tuple[str, int, int], ...] | None:
        """What changes when a knowledge file does; None while the folder is away (being replaced)."""
        try:
            paths = sorted(p for p in self.folder.iterdir() if p.suffix in (".yaml", ".txt"))
        except OSError:  # a deploy swapping the folder, a network disk gone for a moment: keep serving
            return None
        found = []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:  # an editor's lock file (".#faq.yaml", a link to nothing), a file being replaced
                continue
            found.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(found)

    def current(self) -> Bot:
        """The bot to answer with; every `interval` seconds a cheap look for changed files."""
        if time.monotonic() - self._checked >= self.interval:
            self._checked = time.monotonic()
            signature = self._files_signature()
            if signature is not None and signature != self._signature:
                self.check_soon()
        return self.bot

    def check_soon(self, force: bool = False) -> None:
        """check() in a background thread: no request waits while the knowledge reloads."""
        threading.Thread(target=self.check, args=(force,), name="faqbot-reload", daemon=True).start()

    def check(self, force: bool = False) -> bool:
        """Reload if the files changed (or when forced); True when a new bot is serving."""
        if not self._lock.acquire(blocking=False):
            return False  # another thread is already reloading
        try:
            self._checked = time.monotonic()
            signature = self._files_signature()
            if signature is None or (signature == self._signature and not force):
                return False  # (a folder that is away is not loaded: it is being replaced)
            self._signature = signature
            try:
                bot = Bot.load(self.folder, self.store, self.thresholds, self.cache)
            except KnowledgeError as exc:  # a broken edit: keep serving the last good knowledge
                self.error = "; ".join(exc.problems)
                log.error("knowledge not reloaded, still serving the last good version: %s", self.error)
                return False
            except Exception as exc:  # whatever else a half-written edit causes: this thread must not die unseen
                self.error = f"knowledge not reloaded: {exc}"
                log.exception("knowledge not reloaded, still serving the last good version")
                return False
            self.bot, self.loaded_at, self.error = bot, time.time(), None
            log.info("knowledge reloaded: %d entries", bot.entries)
            return True
        finally:
            self._lock.release()

    def forked(self) -> None:
        """In a new worker process: its own database connections, the dictionary loading, and any
        knowledge edited since the parent loaded it (threads do not survive a fork)."""
        self.store.forked()
        spelling.warm()
        self.check_soon()

    def status(self) -> dict[str, object]:
        status: dict[str, object] = {
            "loaded_at": datetime.fromtimestamp(self.loaded_at, UTC).isoformat(timespec="seconds")}
        if self.error:
            status["error"] = self.error
        return status
