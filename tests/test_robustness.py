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
