"""The SMS surface: Twilio's inbound webhook and a gateway-neutral JSON webhook."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from functools import lru_cache
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, jsonify, request
from limits import RateLimitItem, parse_many
from twilio.request_validator import RequestValidator

from bot.engine import MAX_MESSAGE, Bot, Reply
from bot.gsm import menu_text
from bot.text import readable

sms = Blueprint("sms", __name__)
log = logging.getLogger("faqbot.sms")

STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit"}
START_WORDS = {"start", "yes", "unstop"}
HELP_WORDS = {"help", "info"}
SIGNATURE_HEADER = "X-Faqbot-Signature"


def twiml(text: str | None) -> Response:
    body = "<Response/>" if text is None else f"<Response><Message>{escape(text)}</Message></Response>"
    return Response(f'<?xml version="1.0" encoding="UTF-8"?>{body}', mimetype="text/xml")


def _bot() -> Bot:
    return current_app.extensions["faqbot"].current()


def _setting(name: str) -> str | bool:
    return current_app.config["FAQBOT"][name]


def phone_key(phone: str) -> str:
    """A salted hash of a phone number: sessions and the log never hold it in clear."""
    bot = _bot()
    salt = str(_setting("FAQBOT_PHONE_SALT")) or bot.store.meta("phone_salt", secrets.token_hex(16))
    return "sms-" + hashlib.sha256(f"{salt}:{phone}".encode()).hexdigest()[:32]


def render(reply: Reply) -> str:
    """The reply as one plain GSM-7 text, suggestions as a numbered menu."""
    return menu_text(reply.sms, reply.suggestions, clarify=reply.type == "clarify")


@lru_cache(maxsize=4)
def _limits(rate: str) -> list[RateLimitItem]:
    return parse_many(rate)


def texter_allowed(key: str) -> bool:
    """One more question from this texter (a phone key) within FAQBOT_SMS_RATE_LIMIT."""
    rate = str(_setting("FAQBOT_SMS_RATE_LIMIT"))
    if rate == "off":
        return True
    limiter = current_app.extensions["faqbot_texters"]
    try:
        return all([limiter.hit(item, "sms-texter", key) for item in _limits(rate)])
    except Exception as exc:  # counters in SQLite or a shared server that cannot be written: answer, not go silent
        log.warning("SMS limit not counted: %s", exc)
        return True


def answer_text(phone: str, body: str) -> str | None:
    """What to text back to `phone` for `body`; None means send nothing."""
    bot = _bot()
    key = phone_key(phone)
    word = body.strip().lower().strip(".!")
    opted_out = bot.store.opted_out(key)
    clinic = bot.knowledge.clinic
    if word in STOP_WORDS:
        bot.store.set_opted_out(key, True)
        return None
    if word in START_WORDS and (opted_out or word != "yes"):  # ("yes" may answer "did you mean ...?")
        if not opted_out:  # a keyword, never a question, though this number never opted out
            return (f"You're subscribed to {clinic.name}'s assistant. Text a question about {clinic.treatment} "
                    "any time. Reply STOP to opt out.")
        bot.store.set_opted_out(key, False)
        return f"You're subscribed again to {clinic.name}'s assistant. Text a question any time. Reply STOP to opt out."
    if opted_out:
        return None
    if word in HELP_WORDS:
        return f"{clinic.name}: call {clinic.phone} ({clinic.hours}) or email {clinic.email}. Reply STOP to opt out."
    if not body.strip():
        return f"Sorry, I can only read text messages. Please text your question about {clinic.treatment}."
    if not texter_allowed(key):  # keywords above always work; past the limit a question gets no text back
        return None
    return render(bot.reply(body[:MAX_MESSAGE], key, channel="sms"))


def answer_once(message_id: str, phone: str, body: str) -> str:
    """The reply to a message; a gateway's retry of the same id gets the same reply, recorded once."""
    store = _bot().store
    if message_id:
        seen = store.sms_reply(message_id)
        if seen is not None:
            return seen
    text = answer_text(phone, body) or ""
    if message_id:
        store.remember_sms(message_id, text)
    return text


def _twilio_url() -> str:
    public = str(_setting("FAQBOT_PUBLIC_URL")).rstrip("/")
    if public:
        query = request.query_string.decode()
        return public + request.path + (f"?{query}" if query else "")
    return request.url


@sms.post("/sms/twilio")
def twilio_webhook() -> Response:
    token = str(_setting("TWILIO_AUTH_TOKEN"))
    if not token:
        if not _setting("FAQBOT_SMS_ALLOW_UNSIGNED"):
            log.warning("SMS webhook refused: TWILIO_AUTH_TOKEN is not set")
            return Response("SMS webhook is not configured", status=403, mimetype="text/plain")
    else:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(token).validate(_twilio_url(), request.form.to_dict(), signature):
            log.warning("SMS webhook refused: bad or missing signature")
            return Response("invalid signature", status=403, mimetype="text/plain")
    form = {key: readable(request.form.get(key, "")) for key in ("MessageSid", "From", "Body")}
    text = answer_once(form["MessageSid"], form["From"], form["Body"])
    return twiml(text or None)


@sms.post("/sms/inbound")
def json_webhook() -> Response:
    secret = str(_setting("FAQBOT_SMS_SECRET"))
    raw = request.get_data(cache=True)
    expected = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest() if secret else ""
    # As bytes: compare_digest refuses a str with non-ASCII characters (a TypeError, a 500).
    given = request.headers.get(SIGNATURE_HEADER, "").encode("utf-8", "replace")
    if not secret or not hmac.compare_digest(expected.encode(), given):
        return jsonify({"error": {"code": "forbidden", "message": "Missing or invalid signature."}}), 403
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("from"), str) or not isinstance(data.get("text", ""), str):
        return jsonify({"error": {"code": "bad_json", "message": "Expected {\"from\", \"text\", \"id\"}."}}), 400
    message_id = readable(str(data.get("id") or ""))
    sender, body = readable(data["from"]), readable(data.get("text", ""))
    text = answer_once(f"json:{message_id}" if message_id else "", sender, body)
    return jsonify({"reply": text})
