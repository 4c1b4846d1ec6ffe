"""python server.py serves with waitress, honours PORT, refuses invalid knowledge."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(tmp_path, env_extra, *args):
    env = {**os.environ, "FAQBOT_DB": str(tmp_path / "db.sqlite3"), "FAQBOT_RATE_LIMIT": "off", **env_extra}
    return subprocess.Popen([sys.executable, str(PROJECT / "server.py"), *args], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_healthy(port, proc, limit=15.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                return r.headers, json.loads(r.read())
        except OSError:
            time.sleep(0.1)
    raise AssertionError("server did not answer /healthz")


def test_server_serves_from_port_env(tmp_path):
    port = free_port()
    proc = start(tmp_path, {"PORT": str(port)})
    try:
        headers, body = wait_healthy(port, proc)
        assert body["status"] == "ok" and body["entries"] > 25
        assert "Server" not in headers or "waitress" not in headers.get("Server", "")
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/chat", method="POST",
                                         data=json.dumps({"message": "is it safe"}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as r:
            assert json.loads(r.read())["type"] == "answer"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_invalid_knowledge_never_starts_serving(tmp_path, knowledge_dir):
    (knowledge_dir / "faq.yaml").write_text("entries:\n  - id: x\n")
    proc = start(tmp_path, {"FAQBOT_KNOWLEDGE": str(knowledge_dir)}, "--port", str(free_port()))
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert "faq.yaml:2:" in output


def test_sighup_reloads_the_knowledge(tmp_path, knowledge_dir):
    import signal

    port = free_port()
    proc = start(tmp_path, {"PORT": str(port), "FAQBOT_KNOWLEDGE": str(knowledge_dir),
                            "FAQBOT_RELOAD_SECONDS": "3600"})
    try:
        wait_healthy(port, proc)
        clinic = knowledge_dir / "clinic.yaml"
        clinic.write_text(clinic.read_text().replace("+1 555 0100", "+1 555 0142"))
        proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        phone = None
        while time.monotonic() < deadline and phone != "+1 555 0142":
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/clinic", timeout=2) as r:
                phone = json.loads(r.read())["phone"]
            time.sleep(0.1)
        assert phone == "+1 555 0142"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
