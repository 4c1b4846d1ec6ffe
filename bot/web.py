"""The HTTP surface: create_app(), the JSON API, the demo page and the widget."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, jsonify, render_template, request, send_from_directory
from flask.json.provider import DefaultJSONProvider
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.errors import ConfigurationError
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from bot import fitter
from bot.channel import SmsChannel
from bot.engine import MAX_MESSAGE, Bot
from bot.openapi import VISIBLE, spec
from bot.sessions import Store, StoreError, StoreUnwritable, open_store
from bot.settings import SettingsError, cache_folder, read_settings, thresholds
from bot.staff import purge
from bot.text import readable
from bot.watcher import KnowledgeWatcher

SESSION_ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
MAX_COMMENT = 2000
PURGE_EVERY = 3600
log = logging.getLogger("faqbot")


class ApiError(Exception):
    """An error answered as the contract's JSON error shape."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, but a body nested too deeply to parse is bad JSON (a 400), not a RecursionError (a 500)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("nested too deeply") from None


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings from the environment, overridden by test_config."""
    app = Flask(__name__)
    app.json = JSONProvider(app)
    # '/api//clinic' was redirected to an absolute URL built from the Host header (anyone's choice): now a 404.
    app.url_map.merge_slashes = False
    settings = read_settings()
    settings.update(test_config or {})
    app.config["FAQBOT"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings["FAQBOT_MAX_BODY_BYTES"]
    hops = int(settings["FAQBOT_TRUST_PROXY"])
    if hops:  # the visitor's address, scheme and host as the proxies in front saw them; the rest is spoofable
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    cache = cache_folder(settings)
    if cache is not None:  # the index is fitted in a child process while the rest starts
        fitter.start(cache)
    store = _open_store(str(settings["FAQBOT_DB"]))
    app.extensions["faqbot"] = KnowledgeWatcher(settings["FAQBOT_KNOWLEDGE"], store, thresholds(settings),
                                                interval=settings["FAQBOT_RELOAD_SECONDS"], cache=cache)
    app.extensions["faqbot_purged"] = 0.0
    app.before_request(_housekeeping)
    rate = settings["FAQBOT_RATE_LIMIT"]
    app.config["RATELIMIT_ENABLED"] = rate != "off"
    app.config["FAQBOT_RATE"] = rate if rate != "off" else "1000000/second"
    storage = limit_storage(settings)
    if settings["FAQBOT_RATE_LIMIT_STORAGE"]:
        _check_limit_storage(storage)
    # Every client is limited, this machine's too: behind a proxy on the same host every visitor
    # would otherwise be 127.0.0.1. Should the counters' store fail, each worker counts alone until it is back.
    limiter = Limiter(get_remote_address, app=app, headers_enabled=True, storage_uri=storage,
                      in_memory_fallback_enabled=True, swallow_errors=True)
    app.extensions["faqbot_limiter"] = limiter
    # Texters all come from the gateway's address: the SMS rules count each one's questions apart.
    texters = FixedWindowRateLimiter(storage_from_string(storage))
    watcher = app.extensions["faqbot"]
    app.extensions["faqbot_sms"] = SmsChannel(watcher.current, str(settings["FAQBOT_PHONE_SALT"]),
                                              str(settings["FAQBOT_SMS_RATE_LIMIT"]), texters)
    app.extensions["faqbot_sms"].check_salt()
    _register_errors(app)
    _register_headers(app)
    app.add_url_rule("/healthz", view_func=healthz)
    app.add_url_rule("/api/chat", view_func=limiter.limit(_rate)(chat), methods=["POST", "OPTIONS"])
    app.add_url_rule("/api/feedback", view_func=limiter.limit(_rate)(feedback), methods=["POST", "OPTIONS"])
    app.add_url_rule("/api/clinic", view_func=clinic_details)
    app.add_url_rule("/api/openapi.json", view_func=lambda: jsonify(spec()), endpoint="openapi")
    app.add_url_rule("/", view_func=demo)
    app.add_url_rule("/widget.js", view_func=widget_script)
    app.add_url_rule("/widget.css", view_func=widget_style)
    from bot.sms import signed, sms  # the SMS surface, kept in its own module

    # An address is limited on the SMS webhooks only by the requests refused (forged or unsigned ones),
    # and a request the gateway signed is never held back by them.
    limiter.limit(_rate, deduct_when=lambda response: response.status_code == 403, exempt_when=signed)(sms)
    app.register_blueprint(sms)
    return app


def _check_limit_storage(uri: str) -> None:
    """Refuse to start on a rate limit store that cannot be used, rather than limit nobody."""
    parts = urlsplit(uri)
    where = f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"  # no password
    try:
        reachable = storage_from_string(uri).check()
    except ConfigurationError:  # the scheme's client library is not installed
        raise SettingsError(f"FAQBOT_RATE_LIMIT_STORAGE: {parts.scheme}:// needs its client library: "
                            f"pip install 'faqbot[{parts.scheme.split('+')[0].rstrip('s')}]'") from None
    except ValueError as exc:  # a port that is not a number, and the like
        raise SettingsError(f"FAQBOT_RATE_LIMIT_STORAGE: not a valid address ({exc})") from None
    if not reachable:
        raise SettingsError(f"FAQBOT_RATE_LIMIT_STORAGE: cannot reach {where}")


def _open_store(location: str) -> Store:
    """The database. A SQLite file that cannot be made or written is stood in for by memory: answers keep
    coming (without history across workers, and without a log that lasts) and /healthz says so. A wrong
    setting, a file that is no database or a server that cannot be reached still stops the start."""
    try:
        return open_store(location)
    except StoreUnwritable as exc:
        log.error("%s; answering with conversations kept in memory only, and no log", exc)
        store = open_store(":memory:")
        store.stand_in = f"{exc}: conversations are kept in memory only and nothing is logged"
        return store


def limit_storage(settings: dict[str, Any]) -> str:
    """Where the limits count: FAQBOT_RATE_LIMIT_STORAGE when set, else the PostgreSQL database of FAQBOT_DB
    (shared by every server using it), else a file beside a SQLite database (shared by this server's workers)."""
    shared = str(settings["FAQBOT_RATE_LIMIT_STORAGE"])
    if shared:
        return shared
    db = str(settings["FAQBOT_DB"])
    if "://" in db:  # (FAQBOT_DB accepts no other scheme than postgresql:// and postgres://)
        from bot.pgratestore import SCHEME  # registers the faqbot-postgresql:// storage with `limits`

        return f"{SCHEME}://{db.split('://', 1)[1]}"
    if db in ("", ":memory:"):
        return "memory://"
    import bot.ratestore  # noqa: F401  (registers the faqbot-sqlite:// storage with `limits`)

    return "faqbot-sqlite://" + str(Path(db).with_suffix(".limits.sqlite3").resolve())


def _rate() -> str:
    return str(current_app.config["FAQBOT_RATE"])


def get_bot() -> Bot:
    """The bot of the current knowledge (reloaded when its files change)."""
    return current_app.extensions["faqbot"].current()


def _housekeeping() -> None:
    """Store the STOPs the database could not take yet; purge turns past the retention period, once an hour."""
    current_app.extensions["faqbot_sms"].flush()
    now = time.time()
    if now - current_app.extensions["faqbot_purged"] >= PURGE_EVERY:
        current_app.extensions["faqbot_purged"] = now
        store = current_app.extensions["faqbot"].store
        try:
            purge(store, current_app.config["FAQBOT"]["FAQBOT_RETENTION_DAYS"])
        except StoreError as exc:  # cannot write: keep answering, /healthz says why
            store.degraded(exc)


def healthz() -> Response:
    bot = get_bot()
    body: dict[str, Any] = {"status": "ok", "entries": bot.entries,
                            "knowledge": current_app.extensions["faqbot"].status()}
    if bot.store.error or bot.store.stand_in:
        body["database"] = bot.store.stand_in or bot.store.error
    waiting = current_app.extensions["faqbot_sms"].pending()
    if waiting:  # degraded: texters who sent STOP are silenced by this worker only, until it is stored
        body["database"] = (f"{waiting} SMS opt-out(s) (STOP/START) not yet stored, honoured by this worker until "
                            f"they are; {body.get('database') or 'retrying'}")
    return jsonify(body)


def _json_body() -> dict[str, Any]:
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the request as JSON (Content-Type: application/json).")
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "bad_json", "The request body is not valid JSON.")
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", "The request body must be a JSON object.")
    return data


def chat() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    data = _json_body()
    message = data.get("message")
    if message is None:
        raise ApiError(400, "missing_message", "The field 'message' is required.")
    if not isinstance(message, str):
        raise ApiError(400, "wrong_type", "The field 'message' must be a string.")
    message = message.strip()
    if not re.search(VISIBLE, message):
        raise ApiError(400, "empty_message", "The message is empty.")
    if len(message) > MAX_MESSAGE:
        raise ApiError(400, "message_too_long", f"The message is longer than {MAX_MESSAGE} characters.")
    session_id = data.get("session_id")
    if session_id is not None and (not isinstance(session_id, str) or not SESSION_ID.fullmatch(session_id)):
        raise ApiError(400, "bad_session_id", "'session_id' must be a string of up to 100 letters, digits, - or _.")
    reply = get_bot().reply(message, session_id, channel="web")
    return jsonify(reply.to_json())


def feedback() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    data = _json_body()
    reply_id, helpful, comment = data.get("reply_id"), data.get("helpful"), data.get("comment")
    if not isinstance(reply_id, str) or not reply_id:
        raise ApiError(400, "missing_reply_id", "The field 'reply_id' is required and must be a string.")
    if not isinstance(helpful, bool):
        raise ApiError(400, "wrong_type", "The field 'helpful' must be true or false.")
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT):
        raise ApiError(400, "wrong_type", f"'comment' must be a string of at most {MAX_COMMENT} characters.")
    try:
        known = get_bot().store.feedback(readable(reply_id), helpful, readable(comment) if comment else comment)
    except StoreError as exc:  # read-only, full or away: say so, so that the visitor can send it again later
        log.warning("feedback not stored: %s", exc)
        raise ApiError(503, "unavailable", "Feedback cannot be saved just now. Please try again later.") from None
    if not known:
        raise ApiError(404, "unknown_reply", "No reply with that reply_id.")
    return Response(status=204)


def clinic_details() -> Response:
    """What the widget shows besides replies: the clinic's name, contacts, treatment, welcome, starter
    questions, the emergency number for urgent advice, and for its privacy notice how long messages are
    kept and the clinic's privacy page."""
    bot = get_bot()
    clinic = bot.knowledge.clinic
    starters = [entry.question for entry in bot.dialogue.starters()]
    return jsonify({"name": clinic.name, "phone": clinic.phone, "email": clinic.email, "hours": clinic.hours,
                    "booking_url": clinic.booking_url, "disclaimer": clinic.disclaimer,
                    "treatment": clinic.treatment, "welcome": welcome(clinic.name, clinic.treatment),
                    "starters": starters, "privacy_url": clinic.privacy_url or None,
                    "emergency_phone": clinic.emergency_phone or None,
                    "retention_days": current_app.config["FAQBOT"]["FAQBOT_RETENTION_DAYS"]})


def welcome(name: str, treatment: str) -> str:
    """The widget's first line, naming the clinic's own treatment."""
    return f"Hi! Ask me anything about {treatment} at {name}."


def demo() -> str:
    """A page as a clinic's site would have it: the leaflet's title and opening, the widget in the corner."""
    knowledge = get_bot().knowledge
    opening = next((s for s in knowledge.sentences[1:] if len(s.split()) > 6), "")
    treatment = knowledge.clinic.treatment
    # Capitalised as a heading, but an acronym ("TMJ therapy") keeps its case.
    return render_template("index.html", clinic=knowledge.clinic, opening=opening,
                           treatment=treatment[:1].upper() + treatment[1:])


def widget_script() -> Response:
    response = send_from_directory(current_app.static_folder or "static", "widget.js", max_age=300)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def widget_style() -> Response:
    response = send_from_directory(current_app.static_folder or "static", "widget.css", max_age=300)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _register_errors(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return error_response(error.status, error.code, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        codes = {413: "body_too_large", 404: "not_found", 405: "method_not_allowed", 429: "rate_limited"}
        status = error.code or 500
        message = {
            413: "The request body is too large.",
            429: "Too many messages; please wait a moment and try again.",
        }.get(status, error.description or "Request failed.")
        if status == 429 and request.path == "/sms/twilio":  # the gateway reads TwiML only: send nothing
            from bot.sms import twiml

            response = twiml(None)
            response.status_code = 429
        else:
            response = error_response(status, codes.get(status, "bad_request"), message)
        if status == 429:
            response.headers.setdefault("Retry-After", "60")
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error")
        return error_response(500, "internal_error", "Something went wrong on our side; please try again.")


def _allowed_origin(origin: str) -> str | None:
    allowed = current_app.config["FAQBOT"]["FAQBOT_ALLOWED_ORIGINS"]
    if allowed.strip() == "*":
        return "*"
    origins = {o.strip().rstrip("/") for o in allowed.split(",") if o.strip()}
    return origin if origin.rstrip("/") in origins else None


def _register_headers(app: Flask) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers.pop("Server", None)
        if request.path.startswith("/api/") or request.path.startswith("/widget."):
            origin = request.headers.get("Origin")
            allow = _allowed_origin(origin) if origin else None
            if allow:
                response.headers["Access-Control-Allow-Origin"] = allow
                response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "Content-Type"
                response.headers["Access-Control-Max-Age"] = "600"
                if allow != "*":
                    response.headers["Vary"] = "Origin"
        if request.path == "/":
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
            )
            response.headers["X-Frame-Options"] = "DENY"
        return response
