"""The widget for keyboard, screen reader and phone users, and axe-core's audit of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from widgetpage import DESKTOP, LAUNCHER, PHONE, ask, bot_replies, focused_in_widget, message_box, open_chat

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


# Collects the text of everything added to the live log from now on, in window.added.
WATCH = """log => {
    window.added = [];
    new MutationObserver(records => records.forEach(r => r.addedNodes.forEach(
        n => window.added.push(n.textContent)))).observe(log, {childList: true, subtree: true});
}"""


def tab_to(page, locator, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el.getRootNode().activeElement === el"):
            return
    raise AssertionError("never reached by Tab")


def test_focus_stays_in_the_chat_after_a_suggestion_and_esc_closes_it(page, server):
    open_chat(page, server.url)
    page.get_by_role("button", name="What is laser skin tightening?").click()
    expect(bot_replies(page).first).to_contain_text("non-surgical")
    assert focused_in_widget(page) == "widget: textarea"
    page.keyboard.press("Escape")
    expect(page.get_by_role("log")).to_be_hidden()
    launcher = page.get_by_role("button", name=LAUNCHER)
    assert launcher.evaluate("el => el.getRootNode().activeElement === el")


def test_focus_stays_in_the_chat_after_retry(page, server):
    open_chat(page, server.url)
    page.route("**/api/chat", lambda route: route.abort())
    ask(page, "is it safe?")
    expect(page.get_by_role("alert")).to_be_visible()
    page.unroute("**/api/chat")
    page.get_by_role("button", name="Retry").click()
    expect(bot_replies(page).first).to_contain_text("safe for most people")
    assert focused_in_widget(page) == "widget: textarea"
    page.keyboard.press("Escape")
    expect(page.get_by_role("log")).to_be_hidden()


def test_the_live_log_announces_only_what_is_new(page, server):
    open_chat(page, server.url)
    ask(page, "any downtime?")
    expect(bot_replies(page)).to_have_count(1)
    first = bot_replies(page).first.locator(".text").text_content()
    page.get_by_role("log").evaluate(WATCH)
    ask(page, "is it safe?")
    expect(bot_replies(page)).to_have_count(2)
    added = "".join(page.evaluate("window.added"))
    assert "safe for most people" in added
    assert first not in added and "Ask me anything" not in added
    assert len(added) < 1000


def test_a_failed_send_adds_nothing_but_the_error_to_the_log(page, server):
    open_chat(page, server.url)
    ask(page, "what are the side effects")
    expect(bot_replies(page)).to_have_count(1)
    chips = page.get_by_role("log").locator(".chip")
    offered = chips.all_text_contents()
    assert offered
    page.get_by_role("log").evaluate(WATCH)
    page.route("**/api/chat", lambda route: route.abort())
    ask(page, "is it safe?")
    expect(page.get_by_role("alert")).to_contain_text("try again")
    added = "".join(page.evaluate("window.added"))
    assert not any(text in added for text in offered)  # the suggestions are not announced again
    expect(chips).to_have_text(offered)


@pytest.mark.parametrize("part", ["title", "disclaimer", "counter"])
def test_esc_closes_the_chat_after_a_click_on_its_plain_text(page, server, part):
    open_chat(page, server.url)
    dialog = page.get_by_role("dialog", name="Chat")
    {"title": dialog.get_by_role("heading", name="Example Skin Clinic"),
     "disclaimer": dialog.get_by_text(re.compile("^This assistant gives general information")),
     "counter": dialog.get_by_text("0/1000")}[part].click()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.get_by_role("button", name=LAUNCHER).evaluate("el => el.getRootNode().activeElement === el")


def test_a_long_reply_opens_at_its_first_line(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 480})
    page = context.new_page()
    open_chat(page, server.url)
    ask(page, "is it better than a facelift?")
    reply = bot_replies(page).first
    expect(reply).to_contain_text("surgery")
    page.wait_for_timeout(300)  # any scrolling has happened
    log_box, reply_box = page.get_by_role("log").bounding_box(), reply.bounding_box()
    assert reply_box["height"] > log_box["height"] / 2  # long enough for the test to mean something
    assert log_box["y"] - 1 <= reply_box["y"] <= log_box["y"] + log_box["height"] / 2
    context.close()


def test_the_message_box_grows_to_show_a_long_message(page, server):
    open_chat(page, server.url)
    box = message_box(page)
    one_line = box.bounding_box()["height"]
    box.fill("Is it safe for someone who had a chemical peel last month and has quite sensitive skin?")
    assert box.bounding_box()["height"] > one_line * 1.5
    assert box.evaluate("el => el.scrollHeight <= el.clientHeight + 1")  # nothing hidden
    ask(page, "any downtime?")
    expect(box).to_have_value("")
    assert abs(box.bounding_box()["height"] - one_line) < 2  # back to one line once sent


def test_the_phone_view_is_modal_and_keeps_focus_inside(browser, server):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    open_chat(page, server.url)
    expect(page.get_by_role("dialog")).to_have_attribute("aria-modal", "true")
    for key in ["Tab"] * 15 + ["Shift+Tab"] * 15:
        page.keyboard.press(key)
        assert focused_in_widget(page).startswith("widget: "), key
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.keyboard.press("Shift+Tab")  # the page is reachable again once the chat is closed
    assert focused_in_widget(page) == "a"
    context.close()


def test_the_desktop_panel_does_not_trap_focus(page, server):
    open_chat(page, server.url)
    expect(page.get_by_role("dialog")).not_to_have_attribute("aria-modal", "true")


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

    context.close()


def test_axe_finds_no_violation_in_urgent_advice(page, server):
    def with_emergency_number(route):
        details = route.fetch().json()
        route.fulfill(json={**details, "emergency_phone": "911"})

    page.route("**/api/clinic", with_emergency_number)
    open_chat(page, server.url)
    ask(page, "my face is swollen and I have a fever after the treatment")
    expect(page.get_by_role("alert")).to_contain_text("Urgent")
    expect(bot_replies(page).first.get_by_role("link", name="Call emergency services (911)")).to_be_visible()
    assert axe_violations(page) == []
