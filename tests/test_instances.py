"""Several server processes on one PostgreSQL database (and one Redis for rate limits): whichever answers, the
conversation goes on."""

import contextlib
import csv
import hashlib
import hmac
import http.client
import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.settings import SettingsError, read_settings
from bot.web import create_app
from tests.test_server import free_port, start, wait_healthy

SECRET = "s3cret"


def call(port, path, payload, headers=None):
    """POST JSON; (status, body or None)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(payload).encode(),
                                     method="POST", headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, None


def chat(port, message, session=None):
    status, body = call(port, "/api/chat", {"message": message, **({"session_id": session} if session else {})})
    assert status == 200
    return body


def text(port, sender, body, message_id):
    """What the JSON SMS webhook of this server texts back."""
    payload = json.dumps({"from": sender, "text": body, "id": message_id}).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), payload, hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/sms/inbound", data=payload, method="POST",
                                     headers={"Content-Type": "application/json", "X-Faqbot-Signature": signature})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["reply"]


def two_servers(tmp_path, database):
    ports = [free_port(), free_port()]
    env = {"FAQBOT_DB": database, "FAQBOT_SMS_SECRET": SECRET}
    procs = [start(tmp_path, {**env, "PORT": str(port)}) for port in ports]
    for port, proc in zip(ports, procs):
        wait_healthy(port, proc)
    return ports, procs


def stop(procs):
    for proc in procs:
        proc.kill()
        proc.communicate(timeout=20)


def test_a_conversation_hops_between_two_servers(tmp_path, pg_url):
    (a, b), procs = two_servers(tmp_path, pg_url)
    try:
        first = chat(a, "what are the side effects")
        follow_up = chat(b, "do those go away?", first["session_id"])
        assert follow_up["match"]["id"] == "side_effects_duration"
        menu = chat(b, "is it safe")
        pick = chat(a, "2", menu["session_id"])
        assert pick["type"] == "answer" and pick["match"]["question"] == menu["suggestions"][1]
        assert call(b, "/api/feedback", {"reply_id": first["reply_id"], "helpful": False})[0] == 204
        assert call(a, "/api/feedback", {"reply_id": "no-such-reply", "helpful": True})[0] == 404
    finally:
        stop(procs)
    result = CliRunner().invoke(main, ["stats", "--db", pg_url])
    assert result.exit_code == 0, result.output
    assert "turns: 4" in result.output and "helpful: 0% of 1" in result.output


def test_sms_state_is_shared_between_two_servers(tmp_path, pg_url):
    (a, b), procs = two_servers(tmp_path, pg_url)
    try:
        menu = text(a, "+15557654321", "what are the side effects", "m1")
        assert "Reply 1" in menu
        assert text(b, "+15557654321", "m1 again", "m1") == menu  # the gateway's retry reached the other server
        assert "few days" in text(b, "+15557654321", "1", "m2")
        assert text(a, "+15557654321", "STOP", "m3") == ""
        assert text(b, "+15557654321", "is it safe", "m4") == ""  # opted out, whichever server reads it
        assert "subscribed again" in text(b, "+15557654321", "START", "m5")
        assert "safe" in text(a, "+15557654321", "is it safe", "m6")
    finally:
        stop(procs)
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT COUNT(*) FROM turns WHERE channel = 'sms'").fetchone() == (3,)


# Messages each worker sends after one server is killed: half of them go to the dead one.
AFTER_KILL = 40


def kill_server(proc):
    """SIGKILL a server and its workers at once, as a machine that dies would: a worker whose master
    alone was killed goes on answering until it notices, later under steady load."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # (a process that ended meanwhile)
            continue
        if int(fields[1]) == proc.pid:
            children.append(int(stat.parent.name))
    for pid in [proc.pid, *children]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_every_answered_turn_is_in_the_shared_log_when_a_server_is_killed(tmp_path, pg_url):
    (a, b), procs = two_servers(tmp_path, pg_url)
    answered: list[str] = []
    failed: list[str] = []
    killed = threading.Event()

    def load(worker):
        # Until a while after the kill (however fast the servers answer before it), at most 20 s.
        deadline, after, n = time.monotonic() + 20, 0, 0
        while time.monotonic() < deadline and after < AFTER_KILL:
            n += 1
            after += killed.is_set()
            port = (a, b)[n % 2]
            message = f"is it safe {worker}-{n}"
            try:
                status, _ = call(port, "/api/chat", {"message": message})
            except (OSError, http.client.HTTPException):  # the killed server: refused or cut off, never answered
                failed.append(message)
                continue
            (answered if status == 200 else failed).append(message)

    try:
        threads = [threading.Thread(target=load, args=(w,)) for w in range(3)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        kill_server(procs[0])
        killed.set()
        for t in threads:
            t.join(timeout=40)
    finally:
        stop(procs)
    assert len(answered) > 20 and failed  # both servers answered, then one went away mid-load
    out = tmp_path / "log.csv"
    result = CliRunner().invoke(main, ["export", str(out), "--since", "1d", "--db", pg_url])
    assert result.exit_code == 0, result.output
    exported = {row["message"] for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert set(answered) <= exported


def test_a_bad_database_setting_stops_the_server_in_one_line(tmp_path):
    for setting, says in [("postgresql://faqbot:s3cret@127.0.0.1:1/faqbot", "cannot use the PostgreSQL database"),
                          ("postgresql://faqbot:s3cret@127.0.0.1:port/faqbot", "not a valid postgresql:// URL"),
                          ("mysql://faqbot:s3cret@127.0.0.1/faqbot", "FAQBOT_DB")]:
        proc = start(tmp_path, {"FAQBOT_DB": setting}, "--port", str(free_port()))
        output, _ = proc.communicate(timeout=60)
        assert proc.returncode == 2, output
        refusal = [line for line in output.splitlines() if line.startswith("faqbot: ")]
        assert len(refusal) == 1 and says in refusal[0], output
        assert "Traceback" not in output and "s3cret" not in output
    assert not (tmp_path / "postgresql:").exists()


def test_rate_limits_are_shared_through_redis(knowledge_dir, tmp_path, redis_server):
    config = {"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_RATE_LIMIT": "3/minute",
              "FAQBOT_RATE_LIMIT_STORAGE": redis_server}
    first = create_app({**config, "FAQBOT_DB": str(tmp_path / "a.sqlite3")}).test_client()
    second = create_app({**config, "FAQBOT_DB": str(tmp_path / "b.sqlite3")}).test_client()
    statuses = [client.post("/api/chat", json={"message": "is it safe?"}).status_code
                for client in (first, second, first, second)]
    assert statuses == [200, 200, 200, 429]  # one visitor's limit, whichever instance they reach


def test_rate_limits_are_shared_through_postgresql_without_a_limit_store(tmp_path, pg_url):
    """FAQBOT_DB is PostgreSQL and no FAQBOT_RATE_LIMIT_STORAGE: two servers (two workers each) count one visitor
    together in that database, so the 6th request of a 5/minute limit is refused whichever server gets it."""
    ports = [free_port(), free_port()]
    env = {"FAQBOT_DB": pg_url, "FAQBOT_RATE_LIMIT": "5/minute", "FAQBOT_WORKERS": "2"}
    procs = [start(tmp_path, {**env, "PORT": str(port)}) for port in ports]
    try:
        for port, proc in zip(ports, procs):
            wait_healthy(port, proc)
        statuses = [call(ports[n % 2], "/api/chat", {"message": "is it safe?"})[0] for n in range(10)]
    finally:
        stop(procs)
    assert statuses == [200] * 5 + [429] * 5


def test_an_unusable_rate_limit_store_stops_the_start(knowledge_dir, tmp_path):
    config = {"FAQBOT_KNOWLEDGE": str(knowledge_dir), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
              "FAQBOT_RATE_LIMIT": "3/minute"}
    with pytest.raises(SettingsError, match="cannot reach redis://127.0.0.1:1$"):
        create_app({**config, "FAQBOT_RATE_LIMIT_STORAGE": "redis://:s3cret@127.0.0.1:1"})
    with pytest.raises(SettingsError, match="FAQBOT_RATE_LIMIT_STORAGE='mongo://x': expected nothing"):
        read_settings({"FAQBOT_RATE_LIMIT_STORAGE": "mongo://x"})
