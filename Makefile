# The two commands a newcomer needs: `make sandbox` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install system-deps postgresql sandbox test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Leadline needs Python 3.11+"'
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium drives the web chat page test (Playwright's own browser download
# cannot work offline); Debian's PostgreSQL server runs the storage and end-to-end tests
# on PostgreSQL too (pytest-postgresql starts a throwaway server per test session).
system-deps: postgresql
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing chromium (Debian package) for the browser test"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The PostgreSQL server alone: the tests and the benchmarks start throwaway ones.
postgresql:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
		echo "Installing postgresql (Debian package) for the PostgreSQL tests and benchmarks"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

sandbox: install
	$(BIN)/leadline sandbox

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# The suite runs on as many workers as the machine has cores, up to four: end-to-end
# tests mostly wait on the bot, so two workers halve the time even on two cores. Each
# worker starts its own throwaway PostgreSQL server; worksteal keeps the long tests from
# ending up queued behind each other. `make pytest PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

pytest: install system-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal

test: lint typecheck pytest

# Matching and search on SQLite and on a throwaway PostgreSQL server, the nudge sweep, then
# the real bot under load against the sandbox and an echo bot (docs/PERFORMANCE.md;
# `$(BIN)/python -m bench.load --quick` alone takes under three minutes).
bench: install postgresql
	$(BIN)/python -m bench
	$(BIN)/python -m bench.load

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache sandbox-data
