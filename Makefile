# make run: set up and serve on http://127.0.0.1:8000 ; make test: the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench check chromium npm postgresql redis nginx wrk clean

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.testdeps: $(VENV)/.runtime
	$(PY) -m pip install -q -e '.[test]'
	touch $@

run: $(VENV)/.runtime
	$(PY) server.py --host $(HOST) --port $(PORT)

# Debian's chromium for the browser tests (Playwright's own download is not used).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# Debian's PostgreSQL and Redis: the tests start throwaway servers of their own
# from these binaries (on loopback, in a temporary folder) and stop them after.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; }

redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server; }

# Debian's nginx (and openssl for a test certificate): the tests run deploy/'s recipe in front of the server.
nginx:
	@{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx openssl; }

lint: $(VENV)/.testdeps
	$(VENV)/bin/ruff check bot tests bench server.py

# npm (Debian's when missing) installs axe-core, which audits the widget in the browser tests.
npm:
	@command -v npm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm; }

# The exact version pinned in package-lock.json, into ./node_modules (ignored by git).
node_modules/.installed: package.json package-lock.json | npm
	npm ci --no-audit --no-fund --silent
	touch $@

test: $(VENV)/.testdeps chromium node_modules/.installed postgresql redis nginx lint
	$(PY) -m pytest -q

check: $(VENV)/.runtime
	$(VENV)/bin/faqbot check

# Debian's wrk drives the HTTP benchmark.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }

bench: $(VENV)/.testdeps wrk
	$(PY) bench/engine.py
	$(PY) bench/load.py
	$(PY) bench/init.py

clean:
	rm -rf $(VENV) var .pytest_cache node_modules
