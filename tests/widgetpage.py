"""Driving the chat widget in Debian's headless Chromium, as a visitor would: by role and name."""

from __future__ import annotations

import re
import shutil
import threading

from playwright.sync_api import Locator, Page, expect
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
MESSAGE = re.compile("message|question", re.I)
LAUNCHER = re.compile("chat", re.I)


class Server:
    """A real HTTP server on a free loopback port, in a thread."""

    def __init__(self, app) -> None:
        self.httpd = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()


def open_chat(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name=LAUNCHER).click()
    expect(message_box(page)).to_be_focused()


def message_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name=MESSAGE)


def ask(page: Page, text: str) -> None:
    box = message_box(page)
    box.fill(text)
    box.press("Enter")


def bot_replies(page: Page) -> Locator:
    return page.get_by_role("log").locator(".msg.bot")


def focused_in_widget(page: Page) -> str:
    """What has keyboard focus: 'widget: <tag>' inside the chat, else the page element's tag."""
    return page.evaluate("""() => {
        const a = document.activeElement;
        if (a && a.id === 'faqbot-widget') {
            const inner = a.shadowRoot.activeElement;
            return 'widget: ' + (inner ? inner.tagName.toLowerCase() : 'none');
        }
        return a ? a.tagName.toLowerCase() : 'none';
    }""")


def canned_reply(page: Page, answer: str, kind: str = "answer", extra: dict | None = None) -> None:
    """From now on every message gets this reply, shaped as the server's (extra fields override)."""
    body = {"session_id": "s1", "reply_id": "r1", "type": kind, "answer": answer, "confidence": 0.9,
            "match": None, "sources": [], "suggestions": [], **(extra or {})}
    page.route("**/api/chat", lambda route: route.fulfill(json=body))
