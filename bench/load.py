"""HTTP benchmark: GET /healthz and POST /api/chat on `python server.py`, with wrk, at 1, 16 and 64 connections.

Usage: python bench/load.py [--seconds 3] [--rounds 3] [--connections 1,16,64] [--project DIR] [-- SERVER ARGS]

Starts `python server.py` as the README documents it (its defaults, on a free
loopback port, from a first start), then runs wrk against each endpoint at each
connection count, alternating endpoints and counts over several rounds so that
a slow spell of a shared machine falls on all of them. Chat requests cycle
through varied questions (answers, clarifications, hand-offs, small talk, long
and misspelt ones). Reports the median req/s and p99 of the rounds, and
whether each endpoint is at least as fast at 16 and 64 connections as at 1
and chat's p99 at 64 is under 250 ms.
"""

from __future__ import annotations

import argparse
import json
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
QUESTIONS = [
    "is it safe?", "how long does the redness last", "does it hurt", "how much does it cost",
    "can men have it", "what are the side effects", "hello", "thanks!", "will it help my wrinkles",
    "whats the recovery like", "can i do it while pregnant", "is there any downtime after the treatment",
    "my skin is bleeding after the laser", "which parts of the body can be treated",
    "how long till i see results", "what laser do you use", "is it better than a facelift",
    "can it reduce cellulite", "who is a good candidate", "does it work on dark skin",
    "I've had two kids and the skin on my stomach is loose, can laser tightening do anything for that?",
    "waht is the recovery like", "can I book an appointment", "what is the weather like today",
]
P99_TARGET_MS = 250.0


def lua_script(questions: list[str]) -> str:
    """A wrk script that posts the questions in turn."""
    bodies = ", ".join(json.dumps(json.dumps({"message": q})) for q in questions)
    return f"""local bodies = {{{bodies}}}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, "/api/chat", nil, bodies[i])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(port: int, proc: subprocess.Popen[bytes]) -> float:
    """Seconds until /healthz answers."""
    start = time.monotonic()
    while time.monotonic() - start < 30:
        if proc.poll() is not None:
            raise SystemExit("server exited before answering")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return time.monotonic() - start
        except OSError:
            time.sleep(0.02)
    raise SystemExit("server did not start")


def wrk(url: str, seconds: int, connections: int, script: str | None) -> tuple[float, float]:
    """(req/s, p99 in ms); any error or timeout counted by wrk fails the run."""
    threads = min(2, connections)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    if "Socket errors" in out or "Non-2xx" in out:
        raise SystemExit(f"errors under load:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", out, re.M).groups()
    return rps, float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def warm(base: str) -> None:
    """Every question a few times, so that every worker has loaded what it needs before anything is timed."""
    for question in QUESTIONS * 4:
        request = urllib.request.Request(f"{base}/api/chat", data=json.dumps({"message": question}).encode(),
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).read()
    time.sleep(4)  # the English dictionary loads a few seconds after start


def median(values: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """Median req/s and p99, and the range of req/s."""
    rates = sorted(v[0] for v in values)
    p99s = sorted(v[1] for v in values)
    return rates[len(rates) // 2], p99s[len(p99s) // 2], rates[0], rates[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", default="1,16,64")
    parser.add_argument("--project", type=Path, default=PROJECT,
                        help="the checkout whose server.py runs (another one, to compare before and after)")
    parser.add_argument("server_args", nargs="*", help="more arguments for server.py")
    args = parser.parse_args()
    counts = [int(c) for c in args.connections.split(",")]
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "chat.lua"
        script.write_text(lua_script(QUESTIONS))
        port = free_port()
        env = {**os.environ, "FAQBOT_DB": str(Path(scratch) / "db.sqlite3"), "FAQBOT_RATE_LIMIT": "off"}
        env.pop("FAQBOT_CACHE", None)  # a first start: no fitted index kept from before
        proc = subprocess.Popen([sys.executable, "server.py", "--port", str(port), *args.server_args], cwd=args.project,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results: dict[tuple[str, int], list[tuple[float, float]]] = {}
        try:
            ready = wait(port, proc)
            base = f"http://127.0.0.1:{port}"
            warm(base)
            for _ in range(args.rounds):
                for connections in counts:
                    results.setdefault(("healthz", connections), []).append(
                        wrk(f"{base}/healthz", args.seconds, connections, None))
                    results.setdefault(("chat", connections), []).append(
                        wrk(f"{base}/api/chat", args.seconds, connections, str(script)))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"{args.project}: python server.py {' '.join(args.server_args)}: ready in {ready:.2f} s on a first start; "
          f"wrk, median of {args.rounds} alternating rounds of {args.seconds} s")
    print(f"{'endpoint':9s} {'conns':>5s} {'req/s':>8s} {'p99 ms':>8s}   req/s range")
    for endpoint in ("healthz", "chat"):
        for connections in counts:
            rps, p99, low, high = median(results[(endpoint, connections)])
            print(f"{endpoint:9s} {connections:5d} {rps:8.0f} {p99:8.1f}   {low:.0f}-{high:.0f}")
    verdicts = []
    for endpoint in ("healthz", "chat"):
        single = median(results[(endpoint, counts[0])])[0]
        slower = [c for c in counts[1:] if median(results[(endpoint, c)])[0] < single]
        verdicts.append(f"{endpoint} at least as fast as at {counts[0]}: "
                        + ("met" if not slower else f"not met at {', '.join(map(str, slower))}"))
    top = counts[-1]
    p99 = median(results[("chat", top)])[1]
    verdicts.append(f"chat p99 at {top} under {P99_TARGET_MS:.0f} ms: {'met' if p99 < P99_TARGET_MS else 'not met'}")
    print("; ".join(verdicts))


if __name__ == "__main__":
    main()
