"""HTTP benchmark: POST /api/chat against GET /healthz on the same server, with wrk.

Usage: python bench/load.py [--seconds 5] [--connections 16]

Runs waitress (python server.py) and gunicorn (the production configuration in
the README) in turn on a free loopback port, each from a first start. The
figure that matters is the chat/healthz ratio: how much of a request's cost is
the bot's own work. The endpoints alternate over several rounds and the medians
are reported: on a shared machine one round can be far off.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LUA = """wrk.method = "POST"
wrk.body = '{"message": "is it safe?"}'
wrk.headers["Content-Type"] = "application/json"
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(port: int) -> float:
    """Seconds until /healthz answers."""
    start = time.monotonic()
    while time.monotonic() - start < 20:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return time.monotonic() - start
        except OSError:
            time.sleep(0.02)
    raise SystemExit("server did not start")


def resident_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def wrk(url: str, seconds: int, connections: int, script: str | None) -> tuple[float, str, str]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    return rps, p50, p99


def servers(port: int) -> dict[str, list[str]]:
    """Each server as the README documents it: `python server.py` with its defaults, and gunicorn."""
    return {
        "waitress": [sys.executable, "server.py", "--port", str(port)],
        "gunicorn": [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "gthread",
                     "--threads", "1", "--bind", f"127.0.0.1:{port}", "server:app"],
    }


def warm(base: str) -> None:
    """A few chats, so that every worker has loaded its index before anything is timed."""
    for _ in range(20):
        request = urllib.request.Request(f"{base}/api/chat", data=b'{"message": "hi"}',
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).read()
    time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "chat.lua"
        script.write_text(LUA)
        print(f"{'server':9s} {'endpoint':9s} {'req/s':>9s} {'p50':>9s} {'p99':>9s}   (median of {args.rounds} rounds)")
        for name in ("waitress", "gunicorn"):
            port = free_port()
            folder = Path(scratch) / name  # a first start: no fitted index kept from before
            env = {**os.environ, "FAQBOT_DB": str(folder / "db.sqlite3"), "FAQBOT_RATE_LIMIT": "off"}
            env.pop("FAQBOT_CACHE", None)
            proc = subprocess.Popen(servers(port)[name], cwd=PROJECT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                ready = wait(port)
                base = f"http://127.0.0.1:{port}"
                warm(base)
                # Rounds alternate, so that a slow spell of a shared machine falls on both endpoints.
                rounds = [(wrk(f"{base}/healthz", args.seconds, args.connections, None),
                           wrk(f"{base}/api/chat", args.seconds, args.connections, str(script)))
                          for _ in range(args.rounds)]
                rss = resident_mb(proc.pid)
            finally:
                proc.terminate()
                proc.wait(timeout=20)
            health = sorted((r[0] for r in rounds), key=lambda x: x[0])[len(rounds) // 2]
            chat = sorted((r[1] for r in rounds), key=lambda x: x[0])[len(rounds) // 2]
            for endpoint, (rps, p50, p99) in (("healthz", health), ("chat", chat)):
                print(f"{name:9s} {endpoint:9s} {rps:9.0f} {p50:>9s} {p99:>9s}")
            ratios = sorted(c[0] / h[0] for h, c in rounds)
            ratio = chat[0] / health[0]
            print(f"{name:9s} chat/healthz throughput ratio {ratio:.2f} (rounds {ratios[0]:.2f}-{ratios[-1]:.2f}; "
                  f"target at least 0.5: {'met' if ratio >= 0.5 else 'not met'})", flush=True)
            if name == "waitress":
                print(f"waitress  ready in {ready:.2f} s on a first start (target under 2 s), resident {rss:.0f} MB "
                      f"after the load (target under 150 MB)", flush=True)


if __name__ == "__main__":
    main()
