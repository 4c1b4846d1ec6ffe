"""Whatever arrives, the bot answers in shape: schema fuzzing and property-based tests."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import MAX_MESSAGE
from bot.text import normalize
from bot.web import create_app

REPLY_TYPES = {"answer", "clarify", "smalltalk", "fallback", "handoff"}


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    from tests.conftest import PROJECT

    folder = tmp_path_factory.mktemp("fuzz")
    return create_app({"FAQBOT_KNOWLEDGE": str(PROJECT / "knowledge"), "FAQBOT_DB": str(folder / "db.sqlite3"),
                       "FAQBOT_RATE_LIMIT": "off"})


@pytest.mark.parametrize(("path", "method"), [("/api/chat", "POST"), ("/api/feedback", "POST"), ("/healthz", "GET")])
def test_api_never_breaks_its_schema(fuzz_app, path, method):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", fuzz_app)
    operation = schema[path][method]

    @given(operation.as_strategy())
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate()  # no 5xx, status and body as the schema says

    check()


@given(st.text(max_size=MAX_MESSAGE))
@settings(max_examples=150, deadline=None)
def test_normalize_never_raises(text):
    assert isinstance(normalize(text), str)


@given(st.text(min_size=1, max_size=MAX_MESSAGE))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_unicode_message_gets_a_valid_reply(shipped_bot, text):
    reply = shipped_bot.reply(text)
    assert reply.type in REPLY_TYPES
    assert isinstance(reply.answer, str) and reply.answer
    assert 0.0 <= reply.confidence <= 1.0
    assert (reply.match is None) == (reply.type in ("fallback", "smalltalk", "clarify")) or reply.type == "handoff"


def test_a_lone_surrogate_is_answered_and_kept_not_a_500(client):
    # Half of a broken emoji: valid JSON ("\ud800"), not valid UTF-8.
    reply = client.post("/api/chat", data='{"message": "is it safe \\ud800?"}', content_type="application/json")
    assert reply.status_code == 200 and reply.get_json()["type"] == "answer"
    reply_id = reply.get_json()["reply_id"]
    feedback = client.post("/api/feedback", content_type="application/json",
                           data='{"reply_id": "' + reply_id + '", "helpful": false, "comment": "no \\udfff"}')
    assert feedback.status_code == 204
    unknown = client.post("/api/feedback", data='{"reply_id": "x\\ud800", "helpful": true}',
                          content_type="application/json")
    assert unknown.status_code == 404


@pytest.mark.parametrize("session_id", ["abc\n", "abc\r\n", "a b", ""])
def test_a_session_id_with_a_line_break_or_space_is_refused(client, session_id):
    response = client.post("/api/chat", json={"message": "hi", "session_id": session_id})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_session_id"


DEEP = "[" * 8000 + "]" * 8000


@pytest.mark.parametrize("body", [DEEP, '{"message": ' + DEEP + "}"])
@pytest.mark.parametrize("path", ["/api/chat", "/api/feedback"])
def test_deeply_nested_json_is_bad_json_not_a_500(client, path, body):
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] in ("bad_json", "wrong_type")


def sms_inbound(tmp_path, knowledge_dir):
    return create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                       "FAQBOT_RATE_LIMIT": "off", "FAQBOT_SMS_SECRET": "s3cret"}).test_client()


def test_deeply_nested_json_to_the_sms_webhook_is_refused_not_a_500(tmp_path, knowledge_dir):
    import hashlib
    import hmac

    signature = "sha256=" + hmac.new(b"s3cret", DEEP.encode(), hashlib.sha256).hexdigest()
    response = sms_inbound(tmp_path, knowledge_dir).post("/sms/inbound", data=DEEP, content_type="application/json",
                                                         headers={"X-Faqbot-Signature": signature})
    assert response.status_code == 400


@pytest.mark.parametrize("signature", ["sha256=é", "sha256=\u00ff" * 10, "ключ"])
def test_a_non_ascii_signature_is_refused_not_a_500(tmp_path, knowledge_dir, signature):
    response = sms_inbound(tmp_path, knowledge_dir).post("/sms/inbound", data=b"{}", content_type="application/json",
                                                         headers={"X-Faqbot-Signature": signature})
    assert response.status_code == 403
