"""Fixtures mirror the assembly: knowledge_dir -> bot -> app -> client."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import Bot
from bot.web import create_app

PROJECT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def shared_index_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """One folder of fitted indexes for the whole run: every app would otherwise fit its own."""
    monkeypatch.setenv("FAQBOT_CACHE", str(tmp_path_factory.getbasetemp() / "index-cache"))


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge that a test may edit."""
    target = tmp_path / "knowledge"
    shutil.copytree(PROJECT / "knowledge", target)
    return target


@pytest.fixture(scope="session")
def shipped_bot() -> Bot:
    """The shipped knowledge, loaded once (sessions in memory)."""
    return Bot.load(PROJECT / "knowledge")


@pytest.fixture
def bot(knowledge_dir: Path) -> Bot:
    return Bot.load(knowledge_dir)


@pytest.fixture
def app(knowledge_dir: Path, tmp_path: Path):
    return create_app({
        "FAQBOT_KNOWLEDGE": str(knowledge_dir),
        "FAQBOT_DB": str(tmp_path / "faqbot.sqlite3"),
        "FAQBOT_RATE_LIMIT": "off",
        "TWILIO_AUTH_TOKEN": "",
    })


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright
    from widgetpage import ARGS, CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server(app):
    """The app on a real HTTP server, for the browser."""
    from widgetpage import Server

    running = Server(app)
    yield running
    running.stop()


@pytest.fixture
def page(browser):
    """A fresh browser context; uncaught script errors are collected in page.errors."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    yield page
    context.close()
