"""The chat widget in a real headless Chromium (Debian's), found by role and name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from widgetpage import Server, ask, bot_replies, canned_reply, open_chat

from bot.web import create_app

PROJECT = Path(__file__).resolve().parent.parent
DOCS = PROJECT / "docs"


def test_open_ask_and_get_the_answer(page, server):
    open_chat(page, server.url)
    ask(page, "is it safe?")
    expect(bot_replies(page)).to_have_count(1)
    expect(bot_replies(page).first).to_contain_text("safe for most people")
    assert page.errors == []


def test_starter_and_suggestion_chips_send_their_text(page, server):
    open_chat(page, server.url)
    page.get_by_role("button", name="What is laser skin tightening?").click()
    expect(bot_replies(page).first).to_contain_text("non-surgical")
    page.get_by_role("button", name="How does laser skin tightening work?").click()
    expect(bot_replies(page)).to_have_count(2)
    expect(bot_replies(page).nth(1)).to_contain_text("collagen")


def test_sources_are_shown_on_demand(page, server):
    open_chat(page, server.url)
    ask(page, "any downtime?")
    sources = page.get_by_role("log").locator("details.sources")
    expect(sources.locator("blockquote").first).to_be_hidden()
    sources.locator("summary").first.click()
    expect(sources.locator("blockquote").first).to_contain_text("no downtime")


def test_clarify_then_pick(page, server, app):
    app.extensions["faqbot"].bot.dialogue.thresholds = type(app.extensions["faqbot"].bot.dialogue.thresholds)(
        answer=0.3, sure=1.0, clarify_margin=1.0)
    open_chat(page, server.url)
    ask(page, "surgery")
    expect(bot_replies(page).first).to_contain_text("Did you mean")
    choice = page.get_by_role("log").locator(".chips.choices .chip").first
    picked = choice.text_content()
    choice.click()
    expect(bot_replies(page)).to_have_count(2)
    expect(page.get_by_role("log").locator(".msg.user").nth(1)).to_have_text(re.compile(re.escape(picked)))


def test_handoff_shows_phone_and_email_links(page, server):
    open_chat(page, server.url)
    ask(page, "how much does it cost?")
    reply = bot_replies(page).first
    expect(reply.get_by_role("link", name=re.compile("Call"))).to_have_attribute("href", re.compile(r"^tel:\+?\d+$"))
    expect(reply.get_by_role("link", name=re.compile("Email"))).to_have_attribute("href", re.compile("^mailto:"))


def test_feedback_reaches_the_server(page, server, app):
    open_chat(page, server.url)
    ask(page, "is it safe?")
    with page.expect_response(lambda r: r.url.endswith("/api/feedback")) as caught:
        bot_replies(page).first.get_by_role("button", name="Not helpful").click()
    assert caught.value.status == 204
    rows = app.extensions["faqbot"].bot.store.query("SELECT helpful FROM feedback")
    assert rows == [(0,)]


def test_reload_keeps_the_transcript_and_session(page, server):
    open_chat(page, server.url)
    ask(page, "what are the side effects")
    expect(bot_replies(page)).to_have_count(1)
    page.reload()
    expect(bot_replies(page)).to_have_count(1)
    ask(page, "do those go away?")
    expect(bot_replies(page).nth(1)).to_contain_text("few days")


def test_server_down_shows_error_and_retry_keeps_the_message(page, server):
    open_chat(page, server.url)
    page.route("**/api/chat", lambda route: route.abort())
    ask(page, "is it safe?")
    expect(page.get_by_role("alert")).to_contain_text("try again")
    box = page.get_by_role("textbox", name=re.compile("message", re.I))
    expect(box).to_have_value("is it safe?")
    page.unroute("**/api/chat")
    page.get_by_role("button", name="Retry").click()
    expect(bot_replies(page).first).to_contain_text("safe for most people")
    expect(page.get_by_role("alert")).to_be_hidden()


def test_html_in_a_message_is_shown_as_text_and_runs_nothing(page, server):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_chat(page, server.url)
    payload = "<img src=x onerror=alert(1)>"
    ask(page, payload)
    expect(bot_replies(page)).to_have_count(1)
    expect(page.get_by_role("log").locator(".msg.user").first).to_contain_text(payload)
    assert page.get_by_role("log").locator("img").count() == 0
    assert dialogs == []


def test_keyboard_only_use(page, server):
    page.goto(server.url)
    launcher = page.get_by_role("button", name=re.compile("chat", re.I))
    for _ in range(10):
        page.keyboard.press("Tab")
        if launcher.evaluate("el => el.getRootNode().activeElement === el"):
            break
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name=re.compile("message", re.I))
    expect(box).to_be_focused()
    page.keyboard.type("any downtime?")
    page.keyboard.press("Enter")
    expect(bot_replies(page).first).to_contain_text("no downtime")
    page.keyboard.press("Escape")
    expect(page.get_by_role("log")).to_be_hidden()
    assert launcher.evaluate("el => el.getRootNode().activeElement === el")


def test_character_counter(page, server):
    open_chat(page, server.url)
    box = page.get_by_role("textbox", name=re.compile("message", re.I))
    box.fill("hello")
    expect(page.locator("#faqbot-count")).to_have_text("5/1000")
    assert box.get_attribute("maxlength") == "1000"


def test_desktop_and_mobile_screenshots(browser, server):
    DOCS.mkdir(exist_ok=True)
    for name, viewport in (("desktop", {"width": 1280, "height": 800}), ("mobile", {"width": 390, "height": 844})):
        context = browser.new_context(viewport=viewport, is_mobile=name == "mobile")
        page = context.new_page()
        open_chat(page, server.url)
        ask(page, "does it work on the thighs")
        expect(bot_replies(page).first).to_contain_text("thighs")
        panel = page.get_by_role("dialog", name="Chat")
        box = panel.bounding_box()
        if name == "mobile":
            assert box["width"] == viewport["width"] and box["height"] >= viewport["height"] - 1
        font = page.get_by_role("textbox", name=re.compile("message", re.I)).evaluate(
            "el => parseFloat(getComputedStyle(el).fontSize)")
        assert font >= 16  # no zoom-on-focus on phones
        page.screenshot(path=str(DOCS / f"widget-{name}.png"))
        context.close()


def test_embedded_on_another_origin_under_a_strict_csp(page, server, tmp_path):
    host_page = tmp_path / "index.html"
    host_page.write_text(
        "<!doctype html><html><head><meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        f"script-src {server.url}; style-src 'self' {server.url}; connect-src {server.url}\">"
        "<link rel='stylesheet' href='/hostile.css'></head>"
        "<body><h1>Another clinic site</h1><button>A page button</button>"
        f"<script src='{server.url}/widget.js' defer></script></body></html>")
    (tmp_path / "hostile.css").write_text("button, textarea { display: none !important; font-size: 4px; }")
    from flask import Flask, send_from_directory

    other = Flask("host")
    other.add_url_rule("/", "index", lambda: send_from_directory(tmp_path, "index.html"))
    other.add_url_rule("/hostile.css", "css", lambda: send_from_directory(tmp_path, "hostile.css"))
    host = Server(other)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        open_chat(page, host.url)
        expect(page.get_by_role("button", name="A page button")).to_be_hidden()  # the page's CSS applies to the page
        box = page.get_by_role("textbox", name=re.compile("message", re.I))
        one_line = box.bounding_box()["height"]
        box.fill("Can men have it, and is it the same treatment for them as it is for women, or different?")
        assert box.bounding_box()["height"] > one_line * 1.5  # sized from script, which the CSP allows
        box.press("Enter")
        expect(bot_replies(page).first).to_contain_text("men and women")
        ask(page, "how much does it cost?")
        expect(bot_replies(page).nth(1).get_by_role("link", name=re.compile("Book"))).to_be_visible()
        expect(page.get_by_role("dialog").get_by_text(re.compile("kept for 90 days"))).to_be_visible()
        assert page.errors == [] and blocked == []
    finally:
        host.stop()


def reply_text(page, n: int = 0):
    return bot_replies(page).nth(n).locator(".text")


def test_contact_details_in_a_reply_are_links(page, server):
    open_chat(page, server.url)
    ask(page, "how do I book")
    text = reply_text(page)
    expect(text.get_by_role("link", name="https://example-clinic.test/book")).to_have_attribute(
        "href", "https://example-clinic.test/book")
    expect(text.get_by_role("link", name="+1 555 0100")).to_have_attribute("href", "tel:+15550100")
    expect(text.get_by_role("link", name="hello@example-clinic.test")).to_have_attribute(
        "href", "mailto:hello@example-clinic.test")
    expect(text).to_have_text(re.compile(r"^You can book at https://example-clinic\.test/book, call \+1 555 0100"))


def test_fallback_offers_a_call(page, server):
    open_chat(page, server.url)
    ask(page, "can you fix my phone")
    reply = bot_replies(page).first
    expect(reply).to_contain_text("don't have an answer")
    expect(reply.get_by_role("link", name="Call +1 555 0100")).to_have_attribute("href", "tel:+15550100")


def test_a_reply_never_links_or_runs_anything_but_https_phone_and_mail(page, server):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    answer = ("See javascript:alert(1) or data:text/html,<script>alert(2)</script> or "
              "<img src=x onerror=alert(3)> or <a href='javascript:alert(4)'>here</a> or http://plain.test/page "
              "or https://ok.test/page.")
    canned_reply(page, answer)
    open_chat(page, server.url)
    ask(page, "links?")
    text = reply_text(page)
    expect(text).to_have_text(answer)
    links = text.get_by_role("link")
    expect(links).to_have_count(1)
    expect(links.first).to_have_attribute("href", "https://ok.test/page")
    assert page.get_by_role("log").locator("img, script, iframe").count() == 0
    assert dialogs == []


SEVERE = "my face is swollen and I have a fever after the treatment"


def serve(knowledge_dir, tmp_path, clinic_lines: str) -> Server:
    """The app on a real server for a copy of the knowledge with lines added to clinic.yaml."""
    clinic = knowledge_dir / "clinic.yaml"
    clinic.write_text(clinic.read_text() + clinic_lines)
    return Server(create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "own.db"),
                              "FAQBOT_RATE_LIMIT": "off"}))


def test_the_engines_urgent_advice_is_marked_urgent_and_announced(page, server):
    open_chat(page, server.url)
    ask(page, SEVERE)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("call emergency services now")
    expect(alert).to_contain_text("Urgent")
    expect(bot_replies(page).first.get_by_text("Urgent", exact=True)).to_be_visible()


@pytest.mark.parametrize("kind", ["answer", "handoff"])
def test_a_reply_that_only_mentions_urgent_help_is_not_marked_urgent(page, server, kind):
    canned_reply(page, "Some redness for a day is expected and settles by itself; it is rarely a reason to seek "
                       "urgent medical help or call emergency services.", kind)
    open_chat(page, server.url)
    ask(page, "is redness normal?")
    reply = bot_replies(page).first
    expect(reply).to_contain_text("rarely a reason to seek urgent medical help")
    expect(reply.get_by_text("Urgent", exact=True)).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)


def test_without_an_emergency_number_the_urgent_call_is_the_clinics_and_comes_after_the_advice(page, server):
    open_chat(page, server.url)
    ask(page, SEVERE)
    reply = bot_replies(page).first
    expect(reply_text(page)).to_contain_text("call emergency services now")
    call = reply.get_by_role("link", name="Call Example Skin Clinic (+1 555 0100)")
    expect(call).to_have_attribute("href", "tel:+15550100")
    expect(reply.get_by_role("link", name=re.compile("^Call (?!Example Skin Clinic)"))).to_have_count(0)
    assert call.bounding_box()["y"] > reply_text(page).bounding_box()["y"]  # the advice comes first
    expect(reply.get_by_role("link", name=re.compile("Email|Book", re.I))).to_have_count(0)


def test_urgent_advice_leads_with_the_emergency_number_then_the_clinic(page, knowledge_dir, tmp_path):
    running = serve(knowledge_dir, tmp_path, 'emergency_phone: "911"\n')
    try:
        open_chat(page, running.url)
        ask(page, SEVERE)
        reply = bot_replies(page).first
        calls = reply.get_by_role("link", name=re.compile("^Call "))
        expect(calls).to_have_text(["Call emergency services (911)", "Call Example Skin Clinic (+1 555 0100)"])
        expect(calls.first).to_have_attribute("href", "tel:911")
        assert calls.first.bounding_box()["y"] < reply_text(page).bounding_box()["y"]  # the emergency call leads
        expect(reply.get_by_role("link", name=re.compile("Email|Book", re.I))).to_have_count(0)
        ask(page, "how much does it cost?")  # an ordinary hand-off does not offer the emergency number
        expect(bot_replies(page).nth(1).get_by_role("link", name="Call +1 555 0100")).to_be_visible()
        expect(bot_replies(page).nth(1).get_by_role("link", name=re.compile("emergency"))).to_have_count(0)
    finally:
        running.stop()


def test_booking_action_where_the_clinic_has_a_booking_link(page, server):
    open_chat(page, server.url)
    ask(page, "how much does it cost?")
    book = bot_replies(page).first.get_by_role("link", name=re.compile("Book an appointment"))
    expect(book).to_have_attribute("href", "https://example-clinic.test/book")


def test_a_booking_link_that_is_not_a_web_address_is_not_offered(page, knowledge_dir, tmp_path):
    clinic = knowledge_dir / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("https://example-clinic.test/book", "javascript:alert(1)"))
    running = Server(create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "b.db"),
                                 "FAQBOT_RATE_LIMIT": "off"}))
    try:
        open_chat(page, running.url)
        ask(page, "how much does it cost?")
        reply = bot_replies(page).first
        expect(reply.get_by_role("link", name=re.compile("Call"))).to_be_visible()
        expect(reply.get_by_role("link", name=re.compile("Book"))).to_have_count(0)
    finally:
        running.stop()


def test_privacy_notice_says_how_long_messages_are_kept_and_links_the_policy(page, knowledge_dir, tmp_path):
    clinic = knowledge_dir / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "privacy_url: https://example-clinic.test/privacy\n")
    running = Server(create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "p.db"),
                                 "FAQBOT_RATE_LIMIT": "off", "FAQBOT_RETENTION_DAYS": 30}))
    try:
        open_chat(page, running.url)
        notice = page.get_by_role("dialog").get_by_text(re.compile("kept for 30 days"))
        expect(notice).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("Privacy", re.I))).to_have_attribute(
            "href", "https://example-clinic.test/privacy")
    finally:
        running.stop()


def test_privacy_notice_without_a_policy_link(page, server):
    open_chat(page, server.url)
    expect(page.get_by_role("dialog").get_by_text(re.compile("kept for 90 days"))).to_be_visible()
    expect(page.get_by_role("dialog").get_by_role("link", name=re.compile("Privacy", re.I))).to_have_count(0)


def test_start_over_forgets_the_conversation(page, server, app):
    open_chat(page, server.url)
    ask(page, "what are the side effects")
    expect(bot_replies(page)).to_have_count(1)
    page.get_by_role("button", name="Start over").click()
    expect(bot_replies(page)).to_have_count(0)
    expect(page.get_by_role("log").get_by_role("button", name="What is laser skin tightening?")).to_be_visible()
    expect(page.get_by_role("textbox", name=re.compile("message", re.I))).to_be_focused()
    page.reload()
    expect(page.get_by_role("log")).to_be_visible()
    expect(bot_replies(page)).to_have_count(0)
    ask(page, "is it safe?")
    expect(bot_replies(page)).to_have_count(1)
    sessions = app.extensions["faqbot"].bot.store.query("SELECT DISTINCT session FROM turns")
    assert len(sessions) == 2  # the next visitor's questions are not tied to the earlier ones


def test_a_network_failure_on_safari_reads_as_a_network_failure(page, server):
    page.add_init_script("""(() => {
        const real = window.fetch;
        window.fetch = (url, init) => String(url).endsWith('/api/chat')
            ? Promise.reject(new TypeError('Load failed')) : real(url, init);
    })()""")
    open_chat(page, server.url)
    ask(page, "is it safe?")
    expect(page.get_by_role("alert")).to_contain_text("Can't reach the assistant")
    expect(page.get_by_role("alert")).not_to_contain_text("Load failed")


def test_a_server_error_message_is_shown_as_the_server_wrote_it(page, server):
    open_chat(page, server.url)
    page.route("**/api/chat", lambda route: route.fulfill(status=429, json={"error": {
        "code": "rate_limited", "message": "Too many messages; please wait a moment and try again."}}))
    ask(page, "is it safe?")
    expect(page.get_by_role("alert")).to_contain_text("Too many messages")


def test_clinic_details_are_fetched_again_after_a_failure(page, server):
    page.route("**/api/clinic", lambda route: route.abort())
    open_chat(page, server.url)
    log = page.get_by_role("log")
    expect(log).to_contain_text("Hi!")
    expect(log).not_to_contain_text(re.compile(r"at\s*\.|Clinic assistant"))
    page.unroute("**/api/clinic")
    page.keyboard.press("Escape")
    page.get_by_role("button", name=re.compile("chat", re.I)).click()
    expect(log).to_contain_text("Ask me anything about laser skin tightening at Example Skin Clinic.")
    expect(log.get_by_role("button", name="What is laser skin tightening?")).to_be_visible()


def test_open_sources_stay_open_when_a_new_message_arrives(page, server):
    open_chat(page, server.url)
    ask(page, "any downtime?")
    expect(bot_replies(page)).to_have_count(1)
    bot_replies(page).first.get_by_text("Based on").click()
    quote = bot_replies(page).first.locator("blockquote").first
    expect(quote).to_be_visible()
    ask(page, "is it safe?")
    expect(bot_replies(page)).to_have_count(2)
    expect(quote).to_be_visible()


def test_the_error_banner_leaves_the_last_suggestion_in_view(page, server):
    open_chat(page, server.url)
    ask(page, "what are the side effects")
    expect(bot_replies(page)).to_have_count(1)
    page.route("**/api/chat", lambda route: route.abort())
    ask(page, "is it safe?")
    expect(page.get_by_role("alert")).to_be_visible()
    chip = page.get_by_role("log").locator(".chip").last
    expect(chip).to_be_visible()
    log_box, chip_box = page.get_by_role("log").bounding_box(), chip.bounding_box()
    assert chip_box["y"] + chip_box["height"] <= log_box["y"] + log_box["height"] + 1


def test_typing_indicator_is_announced(page, server):
    held = []
    page.route("**/api/chat", lambda route: held.append(route))
    open_chat(page, server.url)
    ask(page, "is it safe?")
    status = page.get_by_role("status").filter(has_text=re.compile("typing", re.I))
    expect(status).to_have_count(1)
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    expect(bot_replies(page).first).to_contain_text("safe for most people")
    expect(page.get_by_role("status").filter(has_text=re.compile("typing", re.I))).to_have_count(0)


def test_feedback_is_thanked(page, server):
    open_chat(page, server.url)
    ask(page, "is it safe?")
    reply = bot_replies(page).first
    reply.get_by_role("button", name="Helpful", exact=True).click()
    expect(reply.get_by_role("status")).to_have_text(re.compile("Thank you for your feedback"))
    expect(reply.get_by_role("button", name="Helpful", exact=True)).to_have_attribute("aria-pressed", "true")


def test_a_malformed_reply_is_shown_and_leaves_the_chat_usable(page, server):
    canned_reply(page, "A reply with odd parts.", extra={"sources": "not a list", "suggestions": {"a": 1}})
    open_chat(page, server.url)
    ask(page, "is it safe?")
    expect(bot_replies(page).first).to_contain_text("A reply with odd parts.")
    expect(page.get_by_role("status").filter(has_text=re.compile("typing", re.I))).to_have_count(0)
    expect(page.get_by_role("button", name="Send message")).to_be_enabled()
    page.unroute("**/api/chat")
    page.reload()
    expect(bot_replies(page).first).to_contain_text("A reply with odd parts.")
    ask(page, "is it safe?")
    expect(bot_replies(page).nth(1)).to_contain_text("safe for most people")
    assert page.errors == []


def test_a_stored_conversation_that_cannot_be_shown_is_dropped(page, server):
    stored = {"session": "s1", "open": True, "items": [{"who": "bot", "text": "An old reply", "type": "answer"}, None]}
    page.add_init_script(f"sessionStorage.setItem('faqbot:{server.url}', {json.dumps(json.dumps(stored))})")
    open_chat(page, server.url)
    expect(page.get_by_role("log")).not_to_contain_text("An old reply")
    ask(page, "is it safe?")
    expect(bot_replies(page)).to_have_count(1)
    expect(bot_replies(page).first).to_contain_text("safe for most people")
    expect(page.get_by_role("button", name="Send message")).to_be_enabled()
    assert page.errors == []


def test_only_phone_numbers_become_call_links(page, server):
    answer = ("Call (555) 010-0199, +44 20 7946 0000 or 020 7946 0000. Studies from 2024-01-15 and 12.03.2025 "
              "used 1064-1550 nm light and 3 000 000 pulses.")
    canned_reply(page, answer)
    open_chat(page, server.url)
    ask(page, "numbers?")
    text = reply_text(page)
    expect(text).to_have_text(answer)
    expect(text.get_by_role("link")).to_have_text(["(555) 010-0199", "+44 20 7946 0000", "020 7946 0000"])
    hrefs = [link.get_attribute("href") for link in text.get_by_role("link").all()]
    assert hrefs == ["tel:5550100199", "tel:+442079460000", "tel:02079460000"]


def test_feedback_that_was_not_recorded_can_be_sent_again(page, server):
    open_chat(page, server.url)
    ask(page, "is it safe?")
    reply = bot_replies(page).first
    helpful = reply.get_by_role("button", name="Helpful", exact=True)
    page.route("**/api/feedback", lambda route: route.abort())
    helpful.click()
    expect(reply.get_by_role("status")).to_have_text(re.compile("not sent.*try again", re.I))
    expect(helpful).to_have_attribute("aria-pressed", "false")
    page.unroute("**/api/feedback")
    helpful.click()
    expect(reply.get_by_role("status")).to_have_text(re.compile("Thank you for your feedback"))
    expect(helpful).to_have_attribute("aria-pressed", "true")


def test_urgent_advice_is_announced_once_when_it_arrives(page, server):
    open_chat(page, server.url)
    ask(page, SEVERE)
    expect(page.get_by_role("alert")).to_contain_text("call emergency services now")
    expect(page.get_by_role("log").get_by_role("alert")).to_have_count(0)  # the log does not alert it a second time
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Chat with us").click()
    urgent = bot_replies(page).first.get_by_text("Urgent", exact=True)
    expect(urgent).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)  # reopening repeats nothing
    page.reload()
    expect(urgent).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)  # nor does the page loading again
