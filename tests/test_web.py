"""The HTTP API as the contract writes it."""

import json

import pytest

from bot.web import create_app


def chat(client, body, **kwargs):
    return client.post("/api/chat", data=json.dumps(body), content_type="application/json", **kwargs)


def test_healthz_counts_entries(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["entries"] == app.extensions["faqbot"].bot.entries
    assert "error" not in body["knowledge"] and body["knowledge"]["loaded_at"]


def test_chat_reply_has_every_contract_field(client):
    body = chat(client, {"message": "is it safe?"}).get_json()
    assert set(body) == {"session_id", "reply_id", "type", "answer", "confidence", "match", "sources", "suggestions"}
    assert body["type"] == "answer"
    assert body["match"] == {"id": "safe", "question": "Is laser skin tightening safe?"}
    assert 0 <= body["confidence"] <= 1
    assert body["sources"] and all(isinstance(s, str) for s in body["sources"])


def test_session_is_created_and_reused_for_follow_ups(client):
    first = chat(client, {"message": "what are the side effects"}).get_json()
    second = chat(client, {"message": "do those go away?", "session_id": first["session_id"]}).get_json()
    assert second["session_id"] == first["session_id"]
    assert second["match"]["id"] == "side_effects_duration"


def test_html_in_a_message_comes_back_as_plain_text(client):
    body = chat(client, {"message": "<img src=x onerror=alert(1)>"}).get_json()
    assert "<img" not in body["answer"]


@pytest.mark.parametrize(("body", "status", "code"), [
    ({}, 400, "missing_message"),
    ({"message": ""}, 400, "empty_message"),
    ({"message": "   "}, 400, "empty_message"),
    ({"message": "x" * 1001}, 400, "message_too_long"),
    ({"message": 42}, 400, "wrong_type"),
    ({"message": ["is it safe"]}, 400, "wrong_type"),
    ({"message": "hi", "session_id": 5}, 400, "bad_session_id"),
    ({"message": "hi", "session_id": "<script>"}, 400, "bad_session_id"),
    (["not", "an", "object"], 400, "bad_json"),
])
def test_bad_requests_get_the_json_error_shape(client, body, status, code):
    response = chat(client, body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["message"]


def test_a_message_of_exactly_1000_characters_is_accepted(client):
    assert chat(client, {"message": "is it safe " + "a" * 989}).status_code == 200


def test_malformed_json(client):
    response = client.post("/api/chat", data="{nope", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_json"


def test_binary_body(client):
    response = client.post("/api/chat", data=b"\xff\xfe\x00\x01", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_json"


def test_not_json(client):
    response = client.post("/api/chat", data="message=hi", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "unsupported_media_type"


def test_oversized_body(client):
    response = client.post("/api/chat", data=json.dumps({"message": "x" * 50000}), content_type="application/json")
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "body_too_large"


def test_unknown_path_and_method_are_json(client):
    assert client.get("/api/nothing").get_json()["error"]["code"] == "not_found"
    assert client.get("/api/chat").get_json()["error"]["code"] == "method_not_allowed"


def test_feedback_is_stored_against_its_reply(client, app):
    reply = chat(client, {"message": "is it safe?"}).get_json()
    response = client.post("/api/feedback", json={"reply_id": reply["reply_id"], "helpful": False, "comment": "meh"})
    assert response.status_code == 204
    rows = app.extensions["faqbot"].bot.store.query("SELECT helpful, comment FROM feedback WHERE reply_id = ?",
                                                (reply["reply_id"],))
    assert rows == [(0, "meh")]


@pytest.mark.parametrize(("body", "status"), [
    ({"helpful": True}, 400),
    ({"reply_id": "x", "helpful": "yes"}, 400),
    ({"reply_id": "unknown", "helpful": True}, 404),
])
def test_bad_feedback(client, body, status):
    response = client.post("/api/feedback", json=body)
    assert response.status_code == status and "error" in response.get_json()


def test_every_turn_is_logged(client, app):
    reply = chat(client, {"message": "any downtime?"}).get_json()
    rows = app.extensions["faqbot"].bot.store.query(
        "SELECT channel, session, message, type, entry FROM turns WHERE reply_id = ?", (reply["reply_id"],))
    assert rows == [("web", reply["session_id"], "any downtime?", "answer", "downtime")]


def test_cors_preflight_and_reply_for_any_origin(client):
    preflight = client.options("/api/chat", headers={
        "Origin": "https://clinic.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    response = chat(client, {"message": "hi"}, headers={"Origin": "https://clinic.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_limited_to_configured_origins(knowledge_dir, tmp_path):
    app = create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                      "FAQBOT_RATE_LIMIT": "off", "FAQBOT_ALLOWED_ORIGINS": "https://a.example, https://b.example"})
    client = app.test_client()
    allowed = chat(client, {"message": "hi"}, headers={"Origin": "https://b.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://b.example"
    refused = chat(client, {"message": "hi"}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_rate_limit_answers_429_in_the_error_shape(knowledge_dir, tmp_path):
    app = create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                      "FAQBOT_RATE_LIMIT": "3/minute"})
    client = app.test_client()
    statuses = [chat(client, {"message": "hi"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = chat(client, {"message": "hi"})
    assert limited.get_json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0


def test_security_headers_and_no_server_banner(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "Referrer-Policy" in page.headers


def test_widget_script_is_served_for_any_origin(client):
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["Content-Type"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_widget_never_writes_html():
    from pathlib import Path

    script = (Path(__file__).resolve().parent.parent / "bot" / "static" / "widget.js").read_text()
    for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert unsafe not in script


def test_widget_is_small():
    from pathlib import Path

    static = Path(__file__).resolve().parent.parent / "bot" / "static"
    assert (static / "widget.js").stat().st_size + (static / "widget.css").stat().st_size < 25 * 1024


def test_clinic_details_for_the_widget(client):
    body = client.get("/api/clinic").get_json()
    assert body["phone"] and body["email"] and len(body["starters"]) == 3
    assert body["booking_url"] == "https://example-clinic.test/book"
    assert body["retention_days"] == 90 and body["privacy_url"] is None  # the shipped clinic has no privacy page
    assert body["emergency_phone"] is None  # nor an emergency number: it depends on the country


def test_clinic_details_give_the_emergency_number_when_set(knowledge_dir, tmp_path):
    clinic = knowledge_dir / "clinic.yaml"
    clinic.write_text(clinic.read_text() + 'emergency_phone: "911"\n')
    app = create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3")})
    assert app.test_client().get("/api/clinic").get_json()["emergency_phone"] == "911"


def test_the_widget_knows_how_the_engines_urgent_advice_begins(client):
    from bot.dialogue import URGENT_OPENING

    # The widget marks a hand-off urgent by this opening; a reply carries no other sign of it.
    assert json.dumps(URGENT_OPENING) in client.get("/widget.js").get_data(as_text=True)


def test_clinic_details_follow_the_retention_setting_and_privacy_page(knowledge_dir, tmp_path):
    clinic = knowledge_dir / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "privacy_url: https://example-clinic.test/privacy\n")
    app = create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                      "FAQBOT_RETENTION_DAYS": 30})
    body = app.test_client().get("/api/clinic").get_json()
    assert body["retention_days"] == 30 and body["privacy_url"] == "https://example-clinic.test/privacy"


def test_the_default_limit_applies_to_this_machine_too(knowledge_dir, tmp_path, monkeypatch):
    # Behind a proxy on the same host every visitor is 127.0.0.1: sparing it left the site unlimited.
    monkeypatch.delenv("FAQBOT_RATE_LIMIT", raising=False)
    app = create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3")})
    app.config["FAQBOT_RATE"] = "2/minute"  # a tiny default, to see it act
    client = app.test_client()
    local = [chat(client, {"message": "hi"}).status_code for _ in range(3)]
    remote = [chat(client, {"message": "hi"}, environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code
              for _ in range(3)]
    assert local == [200, 200, 429]
    assert remote == [200, 200, 429]


def test_worker_processes_share_one_count(knowledge_dir, tmp_path):
    # python server.py runs several processes of the app; each counting alone multiplied the limit.
    config = {"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
              "FAQBOT_RATE_LIMIT": "4/minute"}
    workers = [create_app(config).test_client(), create_app(config).test_client()]
    statuses = [chat(workers[n % 2], {"message": "hi"}).status_code for n in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]


def trusted_app(knowledge_dir, tmp_path, hops):
    return create_app({"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                       "FAQBOT_RATE_LIMIT": "2/minute", "FAQBOT_TRUST_PROXY": hops})


def test_behind_a_trusted_proxy_each_visitor_has_a_limit(knowledge_dir, tmp_path):
    client = trusted_app(knowledge_dir, tmp_path, 1).test_client()

    def visit(address):
        return chat(client, {"message": "hi"}, headers={"X-Forwarded-For": address}).status_code

    assert [visit("198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert [visit("198.51.100.2") for _ in range(2)] == [200, 200]


def test_a_forged_forwarded_address_does_not_escape_the_limit(knowledge_dir, tmp_path):
    # The proxy appends the address it saw; only that last one is believed, not what the visitor sent.
    client = trusted_app(knowledge_dir, tmp_path, 1).test_client()
    statuses = [chat(client, {"message": "hi"}, headers={"X-Forwarded-For": f"10.0.0.{n}, 198.51.100.9"}).status_code
                for n in range(3)]
    assert statuses == [200, 200, 429]


def test_two_trusted_proxies_read_the_second_last_address(knowledge_dir, tmp_path):
    client = trusted_app(knowledge_dir, tmp_path, 2).test_client()
    statuses = [chat(client, {"message": "hi"},
                     headers={"X-Forwarded-For": f"10.0.0.{n}, 198.51.100.{n}, 192.0.2.1"}).status_code
                for n in range(3)]
    assert statuses == [200, 200, 200]


@pytest.mark.parametrize("path", ["/api//clinic", "/api//openapi.json"])
def test_a_made_up_host_never_ends_up_in_a_redirect(client, path):
    response = client.get("/", headers={"Host": "evil.example"}, environ_overrides={"PATH_INFO": path})
    assert "evil.example" not in response.headers.get("Location", "")
    assert not 300 <= response.status_code < 400
