"""Serve faqbot with waitress: python server.py [--host H] [--port P]."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time

from bot import fitter
from bot.sessions import StoreError
from bot.settings import SettingsError, cache_folder, read_settings
from bot.yamlfile import KnowledgeError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    # One worker thread: the bot's work holds the GIL, so more threads only hand
    # it back and forth (measured: about a fifth less chat throughput with 2 to 8).
    # waitress's own thread still buffers slow clients, and reloads run apart.
    parser.add_argument("--threads", type=int, default=1, help="worker threads (default 1; see the README)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        cache = cache_folder(read_settings())
        if cache is not None:  # fitting begins in a child while this process imports the rest
            fitter.start(cache)
        from bot.web import create_app

        app = create_app()
    except (KnowledgeError, SettingsError, StoreError) as exc:
        print(f"faqbot: {exc}", file=sys.stderr)
        return 2
    settings = app.config["FAQBOT"]
    if not settings["TWILIO_AUTH_TOKEN"]:
        if settings["FAQBOT_SMS_ALLOW_UNSIGNED"]:
            logging.warning("!!! FAQBOT_SMS_ALLOW_UNSIGNED is on: the SMS webhook accepts UNSIGNED requests. "
                            "Development only. !!!")
        else:
            logging.warning("TWILIO_AUTH_TOKEN is not set: the SMS webhook will refuse every request.")
    if hasattr(signal, "SIGHUP"):  # reload the knowledge on demand: kill -HUP <pid>
        watcher = app.extensions["faqbot"]
        signal.signal(signal.SIGHUP, lambda *_: watcher.check_soon(force=True))
    print(f"faqbot serving on http://{args.host}:{args.port}", flush=True)
    serve(app, args.host, args.port, args.threads)
    return 0


def serve(app: object, host: str, port: int, threads: int, drain_seconds: float = 10.0) -> None:
    """Serve with waitress until SIGTERM/SIGINT, then stop accepting and finish what is in flight."""
    from waitress import create_server, wasyncore
    from waitress.channel import HTTPChannel

    server = create_server(app, host=host, port=port, threads=threads, ident="")
    stopping: list[float] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.append(time.monotonic()))
    while True:
        wasyncore.loop(timeout=0.2, map=server._map, use_poll=True, count=1)
        if not stopping:
            continue
        if server.accepting:  # first pass after the signal: no new connections
            server.accepting = False
            server.del_channel()
            server.socket.close()
        busy = [c for c in list(server._map.values()) if isinstance(c, HTTPChannel)
                and (c.requests or c.total_outbufs_len or c.request is not None)]
        if not busy or time.monotonic() - stopping[0] > drain_seconds:
            break
    server.task_dispatcher.shutdown(cancel_pending=False, timeout=drain_seconds)
    wasyncore.close_all(server._map)
    logging.info("stopped")


def __getattr__(name: str) -> object:
    """`server:app` for other WSGI servers (gunicorn), built on first use."""
    if name == "app":
        from bot.web import create_app

        app = create_app()
        globals()["app"] = app
        return app
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
