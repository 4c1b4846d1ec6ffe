"""The widget for keyboard, screen reader and phone users, and axe-core's audit of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from widgetpage import DESKTOP, LAUNCHER, PHONE, ask, bot_replies, message_box, open_chat

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"

# WCAG's contrast ratio of two CSS colours, and the colour an element is drawn on.
CONTRAST = """(el) => {
    const rgb = c => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
    const lum = c => { const v = rgb(c).slice(0, 3).map(x => { x /= 255;
        return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    let node = el.parentElement || el.getRootNode().host, back = 'rgb(255, 255, 255)';
    while (node) {
        const c = getComputedStyle(node).backgroundColor, v = rgb(c);
        if (v.length < 4 || v[3] > 0) { back = c; break; }
        node = node.parentElement || (node.getRootNode().host || null);
    }
    const s = getComputedStyle(el);
    const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? s.outlineColor : null;
    return ring ? ratio(ring, back) : 0;
}"""


def tab_to(page, locator, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el.getRootNode().activeElement === el"):
            return
    raise AssertionError("never reached by Tab")


def test_launcher_name_is_its_visible_text(page, server):
    page.goto(server.url)
    launcher = page.get_by_role("button", name="Chat with us", exact=True)
    expect(launcher).to_have_text("Chat with us")


def test_the_open_chat_adds_no_banner(page, server):
    open_chat(page, server.url)
    expect(page.get_by_role("banner")).to_have_count(1)  # the page's own


def test_focus_rings_stand_out(page, server):
    page.goto(server.url)
    launcher = page.get_by_role("button", name=LAUNCHER)
    tab_to(page, launcher)
    assert launcher.evaluate(CONTRAST) >= 3
    page.keyboard.press("Enter")
    box = message_box(page)
    expect(box).to_be_focused()
    assert box.evaluate(CONTRAST) >= 3
    close = page.get_by_role("button", name="Close chat")
    tab_to(page, close)
    assert close.evaluate(CONTRAST) >= 3
    chip = page.get_by_role("button", name="What is laser skin tightening?")
    tab_to(page, chip)
    assert chip.evaluate(CONTRAST) >= 3


def axe_violations(page) -> list[str]:
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in result["violations"]]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("opened", [False, True], ids=["closed", "open"])
def test_axe_finds_no_violation(browser, server, viewport, opened):
    assert AXE.exists(), "axe-core is installed by make test (npm ci)"
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)
    page = context.new_page()
    if opened:
        open_chat(page, server.url)
        ask(page, "what are the side effects")
        expect(bot_replies(page)).to_have_count(1)
    else:
        page.goto(server.url)
        expect(page.get_by_role("button", name=LAUNCHER)).to_be_visible()
    assert axe_violations(page) == []
    context.close()
