"""Serve faqbot with waitress: python server.py [--host H] [--port P]."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys

from bot.settings import SettingsError
from bot.web import create_app
from bot.yamlfile import KnowledgeError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app()
    except (KnowledgeError, SettingsError) as exc:
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
        signal.signal(signal.SIGHUP, lambda *_: watcher.check(force=True))
    from waitress import serve

    print(f"faqbot serving on http://{args.host}:{args.port}", flush=True)
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="")
    return 0


def __getattr__(name: str) -> object:
    """`server:app` for other WSGI servers (gunicorn), built on first use."""
    if name == "app":
        app = create_app()
        globals()["app"] = app
        return app
    raise AttributeError(name)


if __name__ == "__main__":
    sys.exit(main())
