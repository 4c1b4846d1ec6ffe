"""The SMS webhooks: signatures, keywords, menus, retries, privacy."""

import hashlib
import hmac
import json
import re

import pytest
from twilio.request_validator import RequestValidator

from bot.gsm import GSM_BASIC, GSM_EXTENDED, segments
from bot.web import create_app

TOKEN = "12345"
URL = "http://localhost/sms/twilio"


@pytest.fixture
def sms_app(knowledge_dir, tmp_path):
    return create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                       "FAQBOT_RATE_LIMIT": "off", "TWILIO_AUTH_TOKEN": TOKEN, "FAQBOT_SMS_SECRET": "s3cret"})


@pytest.fixture
def sms_client(sms_app):
    return sms_app.test_client()


def text_in(response) -> str | None:
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    body = response.get_data(as_text=True)
    found = re.search(r"<Message>(.*)</Message>", body, re.S)
    return None if found is None else found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def send(client, body, sender="+15551234567", sid=None, url=URL, token=TOKEN, headers=None, tamper=None):
    params = {"From": sender, "To": "+15550100", "Body": body, "MessageSid": sid or f"SM{abs(hash((sender, body)))}"}
    signature = RequestValidator(token).compute_signature(url, params)
    sent = dict(params, **(tamper or {}))
    return client.post("/sms/twilio", data=sent, headers={"X-Twilio-Signature": signature, **(headers or {})})


def test_known_good_signature_vector():
    params = {"From": "+15551234567", "Body": "is it safe", "MessageSid": "SM0001", "To": "+15550100"}
    expected = "2uJSCkQ2BvXtDW/HW1IhIm7wNoE="  # HMAC-SHA1, base64, computed independently
    assert RequestValidator("12345").validate("https://clinic.example/sms/twilio", params, expected)


def test_signed_request_gets_an_answer(sms_client):
    text = text_in(send(sms_client, "is it safe?"))
    assert "safe for most people" in text
    assert all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


@pytest.mark.parametrize("case", ["unsigned", "tampered", "wrong_url", "wrong_token"])
def test_forged_requests_are_refused_and_not_logged(sms_client, sms_app, case):
    if case == "unsigned":
        response = sms_client.post("/sms/twilio", data={"From": "+1555", "Body": "hi", "MessageSid": "SM1"})
    elif case == "tampered":
        response = send(sms_client, "hi", tamper={"Body": "something else"})
    elif case == "wrong_url":
        response = send(sms_client, "hi", url="http://evil.example/sms/twilio")
    else:
        response = send(sms_client, "hi", token="other")
    assert response.status_code == 403
    assert sms_app.extensions["faqbot"].bot.store.query("SELECT COUNT(*) FROM turns") == [(0,)]


def test_without_a_token_every_request_is_refused(client):
    response = client.post("/sms/twilio", data={"From": "+1555", "Body": "hi", "MessageSid": "SM1"})
    assert response.status_code == 403


def test_public_url_setting_is_what_gets_signed(knowledge_dir, tmp_path):
    app = create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                      "FAQBOT_RATE_LIMIT": "off", "TWILIO_AUTH_TOKEN": TOKEN,
                      "FAQBOT_PUBLIC_URL": "https://bot.clinic.example/"})
    client = app.test_client()
    assert send(client, "hi", url="https://bot.clinic.example/sms/twilio").status_code == 200
    assert send(client, "hi", sid="SMx", url=URL).status_code == 403


def test_proxy_headers_count_only_when_trusted(knowledge_dir, tmp_path):
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "bot.clinic.example"}
    public = "https://bot.clinic.example/sms/twilio"
    base = {"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_RATE_LIMIT": "off", "TWILIO_AUTH_TOKEN": TOKEN}
    trusted = create_app({**base, "FAQBOT_DB": str(tmp_path / "a.sqlite3"), "FAQBOT_TRUST_PROXY": True}).test_client()
    assert send(trusted, "hi", url=public, headers=proxy).status_code == 200
    untrusted = create_app({**base, "FAQBOT_DB": str(tmp_path / "b.sqlite3")}).test_client()
    assert send(untrusted, "hi", url=public, headers=proxy).status_code == 403


def test_stop_then_nothing_until_start(sms_client):
    assert text_in(send(sms_client, "STOP")) is None
    assert text_in(send(sms_client, "is it safe")) is None
    assert "subscribed again" in text_in(send(sms_client, "start"))
    assert "safe" in text_in(send(sms_client, "is it safe", sid="SM-again"))


def test_start_from_a_number_that_never_opted_out_is_a_keyword_not_a_question(sms_client):
    text = text_in(send(sms_client, "START", sid="SM-start-new"))
    assert "subscribed" in text and "Reply STOP" in text
    assert text_in(send(sms_client, "is it safe?", sid="SM-after-start")) is not None


@pytest.mark.parametrize("word", ["stopall", "Unsubscribe", "CANCEL", "end", "quit"])
def test_every_stop_keyword(sms_client, word):
    assert text_in(send(sms_client, word)) is None


def test_help_gives_the_contact_line(sms_client, sms_app):
    clinic = sms_app.extensions["faqbot"].bot.knowledge.clinic
    text = text_in(send(sms_client, "HELP"))
    assert clinic.phone in text and "Reply STOP to opt out" in text


def test_numbered_menu_across_turns(sms_client):
    first = text_in(send(sms_client, "what are the side effects"))
    assert "Reply 1" in first and "1) " in first
    option = re.search(r"1\) ([^?]+\?)", first).group(1)
    second = text_in(send(sms_client, "1"))
    assert second and second != first
    assert option.startswith("How long do the redness")
    assert "few days" in second


def test_a_number_picks_only_from_the_menu_the_text_showed(sms_client):
    # "What is laser skin tightening?" has three follow-ups, but its answer leaves room for one in the menu.
    first = text_in(send(sms_client, "What is laser skin tightening?"))
    assert "Reply 1 for:" in first and "2)" not in first
    picked = text_in(send(sms_client, "1"))
    assert "collagen" in picked.lower() and picked != first
    # A number the menu never offered picks nothing hidden: it is read as a message of its own.
    text_in(send(sms_client, "What is laser skin tightening?", sid="SMagain"))
    unoffered = text_in(send(sms_client, "2"))
    assert "Good candidates" not in unoffered  # the hidden second follow-up's answer


def test_replies_stay_within_two_segments(sms_client):
    for question in ("is it better than a facelift", "what is it", "who is it for", "how much is it", "hi"):
        text = text_in(send(sms_client, question))
        assert segments(text)[0] <= 2, text


def test_handoff_has_phone_and_hours_in_one_line(sms_client, sms_app):
    clinic = sms_app.extensions["faqbot"].bot.knowledge.clinic
    text = text_in(send(sms_client, "how much does it cost"))
    assert clinic.phone in text and clinic.hours in text and "\n" not in text


def test_unicode_message_and_empty_mms(sms_client):
    assert text_in(send(sms_client, "is it safe \U0001F60A\u2019")) is not None
    assert "text" in text_in(send(sms_client, ""))


def test_retries_of_one_message_sid_are_answered_once(sms_client, sms_app):
    first = text_in(send(sms_client, "any downtime", sid="SMretry"))
    again = text_in(send(sms_client, "any downtime", sid="SMretry"))
    assert first == again
    assert sms_app.extensions["faqbot"].bot.store.query("SELECT COUNT(*) FROM turns") == [(1,)]


def test_phone_numbers_are_never_stored_in_clear(sms_client, sms_app, tmp_path):
    send(sms_client, "is it safe", sender="+15557654321")
    send(sms_client, "STOP", sender="+15557654321")
    dump = "\n".join(sms_app.extensions["faqbot"].bot.store._connect().iterdump())
    assert "5557654321" not in dump


def sign(body: bytes, secret: str = "s3cret") -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_json_webhook_with_hmac(sms_client):
    body = json.dumps({"from": "+15551112222", "text": "is it safe", "id": "m1"}).encode()
    response = sms_client.post("/sms/inbound", data=body, content_type="application/json",
                               headers={"X-Faqbot-Signature": sign(body)})
    assert response.status_code == 200 and "safe" in response.get_json()["reply"]


def test_json_webhook_refuses_bad_signature(sms_client):
    body = json.dumps({"from": "+15551112222", "text": "is it safe", "id": "m1"}).encode()
    response = sms_client.post("/sms/inbound", data=body, content_type="application/json",
                               headers={"X-Faqbot-Signature": sign(body, "wrong")})
    assert response.status_code == 403


def test_a_lone_surrogate_in_a_text_gets_a_reply_not_an_error(sms_client):
    # json.dumps writes "\ud800" as an escape, which is how a broken emoji arrives.
    body = json.dumps({"from": "+1555\ud800", "text": "is it safe \ud800", "id": "m\udfff"}).encode()
    response = sms_client.post("/sms/inbound", data=body, content_type="application/json",
                               headers={"X-Faqbot-Signature": sign(body)})
    assert response.status_code == 200 and "safe" in response.get_json()["reply"]


def limited_sms_app(knowledge_dir, tmp_path, **extra):
    return create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                       "TWILIO_AUTH_TOKEN": TOKEN, "FAQBOT_SMS_SECRET": "s3cret", "FAQBOT_RATE_LIMIT": "3/minute",
                       "FAQBOT_SMS_RATE_LIMIT": "2/minute", **extra})


def test_every_texter_has_a_limit_of_their_own(knowledge_dir, tmp_path):
    # All texters come from the gateway's one address: the fourth texter in a minute was refused.
    client = limited_sms_app(knowledge_dir, tmp_path).test_client()
    for n in range(6):
        assert "safe" in text_in(send(client, "is it safe?", sender=f"+1555000000{n}", sid=f"SM-texter-{n}"))


def test_a_limited_texter_gets_an_empty_twiml_reply(knowledge_dir, tmp_path):
    client = limited_sms_app(knowledge_dir, tmp_path).test_client()
    answers = [text_in(send(client, "is it safe?", sid=f"SM-{n}")) for n in range(3)]
    assert [a is not None for a in answers] == [True, True, False]
    limited = send(client, "what are the side effects", sid="SM-more")
    assert limited.status_code == 200 and limited.mimetype == "text/xml"
    assert limited.get_data(as_text=True).endswith("<Response/>")
    assert text_in(send(client, "is it safe?", sender="+15550009999", sid="SM-other")) is not None


def test_stop_and_help_work_past_the_limit(knowledge_dir, tmp_path):
    client = limited_sms_app(knowledge_dir, tmp_path).test_client()
    for n in range(3):
        send(client, "is it safe?", sid=f"SM-{n}")
    assert "Reply STOP to opt out" in text_in(send(client, "HELP", sid="SM-help"))
    assert text_in(send(client, "STOP", sid="SM-stop")) is None
    assert "subscribed again" in text_in(send(client, "START", sid="SM-start"))


def test_json_webhook_limits_each_texter(knowledge_dir, tmp_path):
    client = limited_sms_app(knowledge_dir, tmp_path).test_client()

    def post(sender, n):
        raw = json.dumps({"from": sender, "text": "is it safe?", "id": f"m{sender}{n}"}).encode()
        signature = "sha256=" + hmac.new(b"s3cret", raw, hashlib.sha256).hexdigest()
        response = client.post("/sms/inbound", data=raw, content_type="application/json",
                               headers={"X-Faqbot-Signature": signature})
        assert response.status_code == 200
        return response.get_json()["reply"]

    assert [bool(post("+15550001", n)) for n in range(3)] == [True, True, False]
    assert [bool(post(f"+1555000{n}", 0)) for n in range(2, 6)] == [True] * 4


def test_forged_requests_count_against_their_address(knowledge_dir, tmp_path):
    client = limited_sms_app(knowledge_dir, tmp_path).test_client()
    statuses = [send(client, "hi", sid=f"SM-f{n}", token="other").status_code for n in range(4)]
    assert statuses == [403, 403, 403, 429]
    # A real texter arriving from the same gateway address is not held back by the forgeries.
    assert text_in(send(client, "is it safe?", sid="SM-f-real")) is not None


def test_a_changed_phone_salt_is_refused_at_start_and_opt_outs_survive(knowledge_dir, tmp_path):
    """Numbers are kept only as salted hashes: a new salt would re-subscribe everyone who texted STOP."""
    from bot.settings import SettingsError

    config = {"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
              "FAQBOT_RATE_LIMIT": "off", "TWILIO_AUTH_TOKEN": TOKEN}
    client = create_app(config).test_client()
    assert text_in(send(client, "STOP", sender="+15550003333", sid="SM-salt-stop")) is None
    with pytest.raises(SettingsError, match="FAQBOT_PHONE_SALT is not the salt .* 1 number"):
        create_app({**config, "FAQBOT_PHONE_SALT": "a salt set later"})
    again = create_app(config).test_client()  # the database's own salt: starts, and STOP still holds
    assert text_in(send(again, "is it safe?", sender="+15550003333", sid="SM-salt-after")) is None
    assert text_in(send(again, "is it safe?", sender="+15550004444", sid="SM-salt-other")) is not None


def test_the_start_warns_when_texters_numbers_are_salted_inside_the_database():
    import importlib.util
    from pathlib import Path

    from bot.settings import read_settings

    spec = importlib.util.spec_from_file_location("server", Path(__file__).resolve().parent.parent / "server.py")
    server = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(server)
    sms_on = read_settings({"TWILIO_AUTH_TOKEN": TOKEN})
    assert any("FAQBOT_PHONE_SALT is not set" in w for w in server.warnings(sms_on))
    assert not any("FAQBOT_PHONE_SALT" in w for w in server.warnings({**sms_on, "FAQBOT_PHONE_SALT": "x" * 32}))


def test_a_query_string_that_is_not_utf8_is_refused_not_a_500(knowledge_dir, tmp_path):
    app = create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                      "FAQBOT_RATE_LIMIT": "off", "TWILIO_AUTH_TOKEN": TOKEN,
                      "FAQBOT_PUBLIC_URL": "https://clinic.example"})
    response = app.test_client().post("/sms/twilio", data={"Body": "x"}, environ_overrides={"QUERY_STRING": "a=\xff"})
    assert response.status_code == 403
