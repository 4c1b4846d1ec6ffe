"""Fixtures mirror the assembly: knowledge_dir -> bot -> app -> client."""

from __future__ import annotations

import functools
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot import Bot
from bot.sessions import Store, open_store
from bot.web import create_app

PROJECT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def shared_index_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """One folder of fitted indexes for the whole run: every app would otherwise fit its own."""
    monkeypatch.setenv("FAQBOT_CACHE", str(tmp_path_factory.getbasetemp() / "index-cache"))


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge that a test may edit."""
    target = tmp_path / "knowledge"
    shutil.copytree(PROJECT / "knowledge", target)
    return target


@pytest.fixture(scope="session")
def shipped_bot() -> Bot:
    """The shipped knowledge, loaded once (sessions in memory)."""
    return Bot.load(PROJECT / "knowledge")


@pytest.fixture
def bot(knowledge_dir: Path) -> Bot:
    return Bot.load(knowledge_dir)


@pytest.fixture
def app(knowledge_dir: Path, tmp_path: Path):
    return create_app({
        "FAQBOT_KNOWLEDGE": str(knowledge_dir),
        "FAQBOT_DB": str(tmp_path / "faqbot.sqlite3"),
        "FAQBOT_RATE_LIMIT": "off",
        "TWILIO_AUTH_TOKEN": "",
    })


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright
    from widgetpage import ARGS, CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server(app):
    """The app on a real HTTP server, for the browser."""
    from widgetpage import Server

    running = Server(app)
    yield running
    running.stop()


@pytest.fixture
def page(browser):
    """A fresh browser context; uncaught script errors are collected in page.errors."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    yield page
    context.close()


def _as_cluster_owner(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its tools as the packaged 'postgres' user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster from Debian's packages, on a free loopback port; its admin URL."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    assert found, "PostgreSQL is not installed: `make test` installs Debian's postgresql package"
    bin_dir = Path(found[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="faqbot-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = functools.partial(subprocess.run, check=True, capture_output=True, text=True)
    run(_as_cluster_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                           "--encoding=UTF8", "--no-sync"]))
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
               "-c max_connections=300 -c fsync=off")
    run(_as_cluster_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options,
                           "-w", "-t", "60", "start"]))
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_cluster_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the throwaway cluster."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield f"{postgres_server}/{name}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where FAQBOT_DB points: a SQLite file, then a PostgreSQL database; a test using it runs on both."""
    if request.param == "sqlite":
        return str(tmp_path / "db.sqlite3")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def make_store(database: str) -> Iterator[Callable[[], Store]]:
    """Opens stores on `database` (several may share it), closed after the test."""
    opened: list[Store] = []

    def make() -> Store:
        opened.append(open_store(database))
        return opened[-1]

    yield make
    for store in opened:
        store.close()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway Redis from Debian's package, on a free loopback port, keeping nothing on disk; its URL."""
    binary = shutil.which("redis-server")
    assert binary, "Redis is not installed: `make test` installs Debian's redis-server package"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder),
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
