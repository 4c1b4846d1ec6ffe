"""Serve faqbot with gunicorn's pre-forked workers: python server.py [--host H] [--port P] [--workers N]."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import socket
import sys
from typing import Any

from bot import fitter
from bot.sessions import StoreError
from bot.settings import SettingsError, cache_folder, read_settings
from bot.yamlfile import KnowledgeError

# A request still running this long after SIGTERM is cut (none is begun after it).
DRAIN_SECONDS = 10
# A folder kept in memory (Linux), for the workers' heartbeat files.
HEARTBEAT_FOLDER = "/dev/shm"


def port_number(text: str, name: str) -> int:
    """A TCP port from 1 to 65535, or SettingsError naming where it came from."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise SettingsError(f"{name}={text!r}: expected a port number from 1 to 65535")
    return int(text)


def check_free(host: str, port: int) -> None:
    """Refuse in one line an address this machine cannot listen on, before anything is loaded."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            probe.bind(address)
    except OSError as exc:  # in use, not an address of this machine, or a name that does not resolve
        reason = exc.strerror or str(exc)
        raise SettingsError(f"cannot listen on {host}:{port}: {reason}") from None


def options(app: Any, host: str, port: int, workers: int) -> dict[str, Any]:
    """gunicorn's settings: pre-forked synchronous workers sharing one loaded app."""
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    watcher = app.extensions["faqbot"]
    return {
        "bind": [address],
        "workers": workers,
        # One request at a time per process: the bot's work holds the GIL, so threads
        # would only pass it back and forth (measured, see the README). Synchronous workers
        # close each connection, so the next request goes to whichever worker is free; with
        # gthread's kept-alive connections a busy worker kept its clients waiting
        # (chat p99 at 64 connections 285 ms against 211 ms).
        "worker_class": "sync",
        # The app (and its index) is loaded once, before the workers fork: a fast start, shared memory.
        "preload_app": True,
        "graceful_timeout": DRAIN_SECONDS,
        "timeout": 30,
        # Only FAQBOT_TRUST_PROXY decides whether X-Forwarded-* are believed.
        "forwarded_allow_ips": "",
        "control_socket_disable": True,
        # Each worker's heartbeat file is touched every second: on a disk-backed temporary folder
        # that can stall a worker (gunicorn's own advice), so it lives in memory where it can.
        "worker_tmp_dir": HEARTBEAT_FOLDER if os.access(HEARTBEAT_FOLDER, os.W_OK) else None,
        "post_fork": lambda arbiter, worker: watcher.forked(),
        # A worker stopping tries once more to store the STOPs its database could not take (else logs them).
        "worker_exit": lambda arbiter, worker: app.extensions["faqbot_sms"].flush(force=True),
        # SIGHUP: the knowledge is loaded again here, then gunicorn forks new workers from it.
        "on_reload": lambda arbiter: watcher.check(force=True),
        "when_ready": lambda arbiter: print(f"faqbot serving on http://{address} with {workers} workers",
                                            flush=True),
    }


def loopback(host: str) -> bool:
    """Whether every address `host` stands for is this machine's loopback (reachable from here only)."""
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:  # (check_free has refused a name that does not resolve)
        return False
    return all(ipaddress.ip_address(str(address[0]).split("%")[0]).is_loopback for *_, address in found)


def warnings(settings: dict[str, Any], host: str = "127.0.0.1") -> list[str]:
    """What an operator should know at start: serving straight to the network, and the SMS settings."""
    found = []
    if not settings["FAQBOT_TRUST_PROXY"] and not loopback(host):
        # A synchronous worker reads each request itself: a client sending slowly holds it for up to 30 s.
        found.append(f"Listening on {host} with no proxy in front (FAQBOT_TRUST_PROXY is not set): slow clients "
                     "can hold every worker. Serve the internet through deploy/faqbot.nginx.conf and set "
                     "FAQBOT_TRUST_PROXY=1 (README, Production).")
    if not settings["TWILIO_AUTH_TOKEN"]:
        if settings["FAQBOT_SMS_ALLOW_UNSIGNED"]:
            found.append("!!! FAQBOT_SMS_ALLOW_UNSIGNED is on: the SMS webhook accepts UNSIGNED requests. "
                         "Development only. !!!")
        else:
            found.append("TWILIO_AUTH_TOKEN is not set: the SMS webhook will refuse every request.")
    if (settings["TWILIO_AUTH_TOKEN"] or settings["FAQBOT_SMS_SECRET"]) and not settings["FAQBOT_PHONE_SALT"]:
        # A short salt beside the hashes lets a copy of the database be matched against every phone number.
        found.append("FAQBOT_PHONE_SALT is not set: texters' numbers are hashed with a salt kept in the same "
                     "database, so a copy of it could be matched against phone numbers. Set FAQBOT_PHONE_SALT "
                     "to a long random value, kept apart from the database (see the README).")
    return found


def serve(app: Any, host: str, port: int, workers: int) -> None:
    """Run gunicorn until SIGTERM or SIGINT (it exits the process)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options(app, host, port, workers).items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    Server().run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", help="default: PORT in the environment, else 8000")
    parser.add_argument("--workers", help="worker processes (default: FAQBOT_WORKERS)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if args.port is not None:
            port = port_number(args.port, "--port")
        else:
            port = port_number(os.environ.get("PORT", "8000"), "PORT")
        settings = read_settings()
        workers = settings["FAQBOT_WORKERS"]
        if args.workers is not None:
            if not args.workers.isdigit() or int(args.workers) < 1:
                raise SettingsError(f"--workers={args.workers!r}: expected a whole number above 0")
            workers = int(args.workers)
        check_free(args.host, port)
        cache = cache_folder(settings)
        if cache is not None:  # fitting begins in a child while this process imports the rest
            fitter.start(cache)
        from bot.web import create_app

        app = create_app()
    except KnowledgeError as exc:  # every problem of the folder, on one line
        print(f"faqbot: {'; '.join(exc.problems)}", file=sys.stderr)
        return 2
    except (SettingsError, StoreError) as exc:
        print(f"faqbot: {exc}", file=sys.stderr)
        return 2
    for warning in warnings(settings, args.host):
        logging.warning(warning)
    serve(app, args.host, port, workers)
    return 0


def __getattr__(name: str) -> object:
    """`server:app` for other WSGI servers, built on first use."""
    if name == "app":
        from bot.web import create_app

        app = create_app()
        globals()["app"] = app
        return app
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
