"""The production recipe: deploy/faqbot.nginx.conf run by a real nginx in front of a real `python server.py`.

Each test starts both on loopback ports, with the recipe's own configuration
(only its ports, name and certificate swapped for the test's: a certificate
made now with openssl), and talks TLS to nginx as a visitor's browser or the
SMS gateway would.
"""

from __future__ import annotations

import contextlib
import getpass
import http.client
import json
import os
import shutil
import socket
import sqlite3
import ssl
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from tests.test_server import free_port, wait_healthy

PROJECT = Path(__file__).resolve().parent.parent
RECIPE = PROJECT / "deploy" / "faqbot.nginx.conf"
NAME = "bot.clinic.example"
TOKEN = "12345"


@dataclass
class Deployment:
    port: int  # nginx's TLS port
    http_port: int  # its plain HTTP port
    folder: Path
    context: ssl.SSLContext

    def connect(self, source: str = "127.0.0.1", timeout: float = 10) -> Visitor:
        return Visitor(NAME, self.port, context=self.context, source_address=(source, 0), timeout=timeout)

    def request(self, method: str, path: str, body: object = None, headers: dict[str, str] | None = None,
                source: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
        connection = self.connect(source)
        try:
            headers = headers or {}
            connection.request(method, path, body=body, headers=headers, encode_chunked="Transfer-Encoding" in headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def chat(self, message: str, source: str = "127.0.0.1", headers: dict[str, str] | None = None) -> int:
        body = json.dumps({"message": message}).encode()
        return self.request("POST", "/api/chat", body, {"Content-Type": "application/json", **(headers or {})},
                            source)[0]

    def turns(self) -> int:
        with contextlib.closing(sqlite3.connect(self.folder / "db.sqlite3")) as db:
            return int(db.execute("SELECT COUNT(*) FROM turns").fetchone()[0])


class Visitor(http.client.HTTPSConnection):
    """An HTTPS connection to the name NAME (sent in TLS and Host) at 127.0.0.1, from a chosen loopback address."""

    def __init__(self, host: str, port: int, context: ssl.SSLContext, source_address: tuple[str, int],
                 timeout: float) -> None:
        super().__init__(host, port, context=context, source_address=source_address, timeout=timeout)
        self.tls = context

    def connect(self) -> None:
        plain = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source_address)
        self.sock = self.tls.wrap_socket(plain, server_hostname=self.host)


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={NAME}",
                    "-addext", f"subjectAltName=DNS:{NAME}"], check=True, capture_output=True)
    return cert, key


def recipe_for_test(bot_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """The recipe with the test's ports and certificate; each swapped part must be there to swap."""
    text = RECIPE.read_text()
    swaps = [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{bot_port};"),
        ("listen 80", f"listen 127.0.0.1:{http_port}"),
        ("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl"),
        (f"/etc/letsencrypt/live/{NAME}/fullchain.pem", str(cert)),
        (f"/etc/letsencrypt/live/{NAME}/privkey.pem", str(key)),
    ]
    for old, new in swaps:
        assert old in text, f"the recipe no longer has {old!r}"
        text = text.replace(old, new)
    return "\n".join(line for line in text.splitlines() if "listen [::]" not in line)


def main_config(folder: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf gives the recipe, with this test's own paths."""
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""  # as root, workers would be www-data
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                              "uwsgi", "scgi"))
    return f"""{user}
worker_processes auto;
pid {folder / 'nginx.pid'};
daemon off;
events {{ worker_connections 768; }}
http {{
    access_log off;
    error_log {folder / 'error.log'};
    sendfile on;
    tcp_nopush on;
    default_type application/octet-stream;
{temp}
    include {folder / 'faqbot.conf'};
}}
"""


def wait_port(port: int, proc: subprocess.Popen[str], what: str) -> None:
    for _ in range(200):
        assert proc.poll() is None, f"{what} exited: {proc.communicate()[0]}"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} is not listening")


def stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    try:
        return proc.communicate(timeout=20)[0] or ""
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()[0] or ""


@contextlib.contextmanager
def deployed(tmp_path: Path, env: dict[str, str], https_port: int = 0) -> Iterator[Deployment]:
    """python server.py with `env` (trusting one proxy unless it says otherwise) behind the recipe's nginx."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    bot_port, http_port, https_port = free_port(), free_port(), https_port or free_port()
    server_env = {**os.environ, "FAQBOT_DB": str(tmp_path / "db.sqlite3"), "FAQBOT_TRUST_PROXY": "1", **env}
    if "FAQBOT_RATE_LIMIT" not in env:  # the default limit, whatever the test run's environment says
        server_env.pop("FAQBOT_RATE_LIMIT", None)
    server = subprocess.Popen([sys.executable, str(PROJECT / "server.py"), "--port", str(bot_port)], env=server_env,
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    proxy = None
    try:
        folder = tmp_path / "nginx"
        folder.mkdir()
        cert, key = certificate(folder)
        (folder / "faqbot.conf").write_text(recipe_for_test(bot_port, http_port, https_port, cert, key))
        (folder / "nginx.conf").write_text(main_config(folder))
        proxy = subprocess.Popen([nginx, "-e", str(folder / "error.log"), "-p", str(folder),
                                  "-c", str(folder / "nginx.conf")],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        wait_healthy(bot_port, server)
        wait_port(https_port, proxy, "nginx")
        yield Deployment(https_port, http_port, tmp_path, ssl.create_default_context(cafile=str(cert)))
    finally:
        if proxy is not None:
            stop(proxy)
        stop(server)


def test_slow_clients_do_not_delay_anyone_else(tmp_path):
    # Straight on the server, 100 clients sending headers a byte a second shut everyone out.
    with deployed(tmp_path, {"FAQBOT_RATE_LIMIT": "off"}) as site:
        head = f"POST /api/chat HTTP/1.1\r\nHost: {NAME}\r\nContent-Type: application/json\r\n"
        body = json.dumps({"message": "is it safe?"})
        # Half send their headers a byte a second, half their whole headers and then the body a byte a second.
        scripts = [(head + f"Content-Length: {len(body)}\r\n\r\n" + body).encode() for _ in range(100)]
        scripts += [body.encode() for _ in range(100)]
        slow = []
        for n in range(200):
            connection = site.connect(timeout=30)
            connection.connect()
            if n >= 100:
                connection.sock.sendall((head + f"Content-Length: {len(body)}\r\n\r\n").encode())
            slow.append(connection.sock)
        stop_sending = threading.Event()

        def trickle() -> None:
            for second in range(30):
                for sock, script in zip(slow, scripts):
                    with contextlib.suppress(OSError):
                        sock.send(script[second:second + 1])
                if stop_sending.wait(1.0):
                    return

        trickler = threading.Thread(target=trickle)
        trickler.start()
        took, statuses = [], []
        try:
            time.sleep(1.5)  # every slow client has begun
            for question in ["is it safe?", "does it hurt", "how long does the redness last"] * 4:
                started = time.monotonic()
                statuses.append(site.chat(question))
                took.append(time.monotonic() - started)
        finally:
            stop_sending.set()
            trickler.join(timeout=10)
            for sock in slow:
                sock.close()
    assert statuses == [200] * 12
    assert statistics.median(took) < 1.0, took


def test_an_oversized_body_is_refused_and_never_stored(tmp_path):
    with deployed(tmp_path, {"FAQBOT_RATE_LIMIT": "off"}) as site:
        big = json.dumps({"message": "is it safe? " * 20000}).encode()  # 240 KB
        status, headers, body = site.request("POST", "/api/chat", big, {"Content-Type": "application/json"})
        assert status == 413
        assert json.loads(body)["error"]["code"] == "body_too_large"

        def chunks() -> Iterator[bytes]:  # no length given: refused once past the limit
            for _ in range(60):
                yield b"x" * 4096

        status, _, _ = site.request("POST", "/api/chat", chunks(), {"Content-Type": "application/json",
                                                                    "Transfer-Encoding": "chunked"})
        assert status == 413
        assert site.turns() == 0
        stored = [p for p in (tmp_path / "nginx" / "client_body").rglob("*") if p.is_file()]
        assert stored == []
        assert site.chat("is it safe?") == 200 and site.turns() == 1


def test_each_visitor_has_a_limit_of_their_own_through_the_proxy(tmp_path):
    with deployed(tmp_path, {"FAQBOT_RATE_LIMIT": "3/minute"}) as site:
        first = [site.chat("hi", source="127.0.0.2") for _ in range(4)]
        second = [site.chat("hi", source="127.0.0.3") for _ in range(2)]
        # An address a visitor writes in X-Forwarded-For is not theirs to choose.
        forged = [site.chat("hi", source="127.0.0.4", headers={"X-Forwarded-For": f"10.0.0.{n}"}) for n in range(4)]
    assert first == [200, 200, 200, 429]
    assert second == [200, 200]
    assert forged == [200, 200, 200, 429]


@pytest.mark.parametrize("trust", ["1", "0"])
def test_the_default_limit_holds_behind_the_proxy(tmp_path, trust):
    # Before, every visitor behind a proxy on this host was 127.0.0.1, which the default limit spared.
    with deployed(tmp_path, {"FAQBOT_TRUST_PROXY": trust}) as site:
        statuses = [site.chat("hi") for _ in range(61)]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429


@pytest.mark.parametrize("public_url", [False, True])
@pytest.mark.parametrize("query", ["", "?clinic=main&note=a%20b"])
def test_a_twilio_signature_validates_through_the_proxy(tmp_path, public_url, query):
    port = free_port()
    url = f"https://{NAME}:{port}/sms/twilio{query}"  # the URL Twilio calls, and signs
    env = {"TWILIO_AUTH_TOKEN": TOKEN, "FAQBOT_RATE_LIMIT": "off"}
    if public_url:  # the README's other way: the public address set, not read from the proxy's headers
        env.update({"FAQBOT_PUBLIC_URL": f"https://{NAME}:{port}", "FAQBOT_TRUST_PROXY": "0"})
    with deployed(tmp_path, env, https_port=port) as site:
        assert_twilio(site, url, query)


def assert_twilio(site: Deployment, url: str, query: str) -> None:
    params = {"From": "+15551234567", "To": "+15550100", "Body": "is it safe?", "MessageSid": "SM1"}

    def post(signed_url: str, sid: str) -> tuple[int, str]:
        sent = {**params, "MessageSid": sid}
        signature = RequestValidator(TOKEN).compute_signature(signed_url, sent)
        status, headers, body = site.request("POST", f"/sms/twilio{query}", urlencode(sent).encode(),
                                             {"Content-Type": "application/x-www-form-urlencoded",
                                              "X-Twilio-Signature": signature})
        return status, body.decode()

    status, body = post(url, "SM1")
    assert status == 200 and "safe" in body
    assert post(url.replace("https://", "http://"), "SM2")[0] == 403
    assert post(url.replace(NAME, "evil.example"), "SM3")[0] == 403


def test_plain_http_is_sent_to_https_at_the_name_never_the_host_header(tmp_path):
    with deployed(tmp_path, {"FAQBOT_RATE_LIMIT": "off"}) as site:
        plain = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
        plain.request("GET", "/api/clinic?x=1", headers={"Host": NAME})
        moved = plain.getresponse()
        assert moved.status == 301 and moved.getheader("Location") == f"https://{NAME}/api/clinic?x=1"
        plain.close()
        for host in ("evil.example", f"{NAME}.evil.example"):  # another name: the connection is closed unanswered
            other = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
            other.request("GET", "/", headers={"Host": host})
            with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
                other.getresponse()
            other.close()
        with pytest.raises(ssl.SSLError):  # and over TLS the handshake is refused
            Visitor("evil.example", site.port, site.context, ("127.0.0.1", 0), 10).connect()
