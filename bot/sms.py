"""The SMS surface: Twilio's inbound webhook and a gateway-neutral JSON webhook."""

from __future__ import annotations

import hashlib
import hmac
import logging
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, jsonify, request
from twilio.request_validator import RequestValidator

from bot.channel import SmsChannel
from bot.text import readable

sms = Blueprint("sms", __name__)
log = logging.getLogger("faqbot.sms")

SIGNATURE_HEADER = "X-Faqbot-Signature"


def twiml(text: str | None) -> Response:
    body = "<Response/>" if text is None else f"<Response><Message>{escape(text)}</Message></Response>"
    return Response(f'<?xml version="1.0" encoding="UTF-8"?>{body}', mimetype="text/xml")


def _setting(name: str) -> str | bool:
    return current_app.config["FAQBOT"][name]


def answer_once(message_id: str, phone: str, body: str) -> str:
    """The SMS rules (bot.channel) for this app's bot: what to text back, once per message id."""
    channel: SmsChannel = current_app.extensions["faqbot_sms"]
    return channel.answer_once(message_id, phone, body)


def _twilio_url() -> str:
    public = str(_setting("FAQBOT_PUBLIC_URL")).rstrip("/")
    if public:
        query = request.query_string.decode("utf-8", "replace")  # bytes no gateway signs: the check fails, no 500
        return public + request.path + (f"?{query}" if query else "")
    return request.url


def _twilio_signed() -> bool:
    token = str(_setting("TWILIO_AUTH_TOKEN"))
    signature = request.headers.get("X-Twilio-Signature", "")
    return bool(token) and RequestValidator(token).validate(_twilio_url(), request.form.to_dict(), signature)


def _json_signed() -> bool:
    secret = str(_setting("FAQBOT_SMS_SECRET"))
    expected = "sha256=" + hmac.new(secret.encode(), request.get_data(cache=True), hashlib.sha256).hexdigest()
    # As bytes: compare_digest refuses a str with non-ASCII characters (a TypeError, a 500).
    given = request.headers.get(SIGNATURE_HEADER, "").encode("utf-8", "replace")
    return bool(secret) and hmac.compare_digest(expected.encode(), given)


def signed() -> bool:
    """A request the gateway signed: never held back by the refusals counted against its address
    (texters all arrive from the gateway's addresses, and so may requests forged through it)."""
    return _json_signed() if request.path.endswith("/inbound") else _twilio_signed()


@sms.post("/sms/twilio")
def twilio_webhook() -> Response:
    if not str(_setting("TWILIO_AUTH_TOKEN")):
        if not _setting("FAQBOT_SMS_ALLOW_UNSIGNED"):
            log.warning("SMS webhook refused: TWILIO_AUTH_TOKEN is not set")
            return Response("SMS webhook is not configured", status=403, mimetype="text/plain")
    elif not _twilio_signed():
        log.warning("SMS webhook refused: bad or missing signature")
        return Response("invalid signature", status=403, mimetype="text/plain")
    form = {key: readable(request.form.get(key, "")) for key in ("MessageSid", "From", "Body")}
    text = answer_once(form["MessageSid"], form["From"], form["Body"])
    return twiml(text or None)


@sms.post("/sms/inbound")
def json_webhook() -> Response:
    if not _json_signed():
        return jsonify({"error": {"code": "forbidden", "message": "Missing or invalid signature."}}), 403
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("from"), str) or not isinstance(data.get("text", ""), str):
        return jsonify({"error": {"code": "bad_json", "message": "Expected {\"from\", \"text\", \"id\"}."}}), 400
    message_id = readable(str(data.get("id") or ""))
    sender, body = readable(data["from"]), readable(data.get("text", ""))
    text = answer_once(f"json:{message_id}" if message_id else "", sender, body)
    return jsonify({"reply": text})
