# Effektkedjor: the two commands are `make run` and `make test` (see README).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
# uv is run as a module of the project's Python (.python-version: 3.13), because a uv
# installed into another pyenv version is not on PATH inside this folder.
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
MANAGE := $(VENV)/bin/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install install-prod run serve test test-sqlite test-postgres lint fmt clean bench loadtest

help:
	@echo "make run    – installera, migrera, läs in programmet och demokonton, starta på http://$(HOST):$(PORT)"
	@echo "make serve  – produktion: gunicorn + uppgiftskö, inställningar från miljön (se README: ”Running it in production”)"
	@echo "make test   – installera och kör hela testsviten (SQLite; även PostgreSQL om TEST_POSTGRES_URL är satt)"
	@echo "make lint   – ruff och mypy"
	@echo "make bench  – prestandamätning med skaldata på PostgreSQL (som root, eller med BENCH_DATABASE_URL)"
	@echo "make loadtest – lasttest med Locust mot make serve och skaldata (LOAD_USERS, LOAD_TIME; som root)"

$(VENV)/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --root-user-action=ignore uv
	$(UV) sync --locked
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

install: $(VENV)/.installed

run: export DEBUG ?= 1
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_program
	$(MANAGE) create_demo
	@echo
	@echo "Effektkedjor startar på http://$(HOST):$(PORT)/ (avsluta med Ctrl+C)"
	@# The task worker (large PDF reports) runs beside the server and stops with it.
	$(MANAGE) task_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# Production: settings from the environment (README, "Running it in production"), gunicorn
# with WEB_CONCURRENCY workers (gunicorn reads it; default 3), static files collected for
# WhiteNoise, migrations applied, and one task worker (task_worker: db_worker that
# outlives a database restart) beside the server on this machine.
# Production installs the runtime dependencies only (no test or load-test tools);
# --inexact leaves a developer's tools in place when serve is run on their machine.
install-prod:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --root-user-action=ignore uv
	$(UV) sync --locked --no-default-groups --inexact

serve: install-prod
	@[ -n "$${SECRET_KEY:-}" ] || { echo "SECRET_KEY är inte satt (se README: ”Running it in production”)." >&2; exit 1; }
	@[ -n "$${DATABASE_URL:-}" ] || { echo "DATABASE_URL är inte satt (se README: ”Running it in production”)." >&2; exit 1; }
	$(MANAGE) check --deploy
	$(MANAGE) migrate_locked
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Effektkedjor startar på http://$(HOST):$(PORT)/ (avsluta med Ctrl+C)"
	$(MANAGE) task_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn boras_social.wsgi --bind $(HOST):$(PORT) \
		--workers $${WEB_CONCURRENCY:-3} --access-logfile - --graceful-timeout 20 --timeout 120

# The suite runs on SQLite; with TEST_POSTGRES_URL (as .ci/run sets it) it runs again on
# PostgreSQL, so both databases are covered by one command.
test: install node_modules/.installed
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$${TEST_POSTGRES_URL:-}" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "TEST_POSTGRES_URL är inte satt: hoppar över körningen mot PostgreSQL."; fi

test-sqlite:
	@echo "== Testsviten mot SQLite =="
	DATABASE_URL= $(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== Testsviten mot PostgreSQL =="
	DATABASE_URL="$${TEST_POSTGRES_URL}" $(VENV)/bin/pytest $(PYTEST_ARGS)

# A benchmark, not a test: prints figures (tests/bench/bench.py; its options, such as
# BENCH_ARGS="--samples 10", are listed by `python tests/bench/bench.py --help`). Uses the
# PostgreSQL database in BENCH_DATABASE_URL, or a throwaway cluster started for the run
# on port 5435 (BENCH_PG_PORT), apart from the test suite's 5433.
bench: install
	@if [ -n "$${BENCH_DATABASE_URL:-}" ]; then \
		DATABASE_URL="$$BENCH_DATABASE_URL" $(VENV)/bin/python tests/bench/bench.py $(BENCH_ARGS); \
	else \
		PG_PORT=$${BENCH_PG_PORT:-5435} .ci/with-postgres \
			bash -c 'DATABASE_URL="$$POSTGRES_URL" $(VENV)/bin/python tests/bench/bench.py $(BENCH_ARGS)'; \
	fi

# A load test, not part of `make test` (it takes minutes): Locust against `make serve` on
# the scale data (tests/load/run.py). Uses LOAD_DATABASE_URL, or a throwaway cluster.
loadtest: install
	@if [ -n "$${LOAD_DATABASE_URL:-}" ]; then \
		DATABASE_URL="$$LOAD_DATABASE_URL" $(VENV)/bin/python tests/load/run.py; \
	else \
		PG_PORT=$${LOAD_PG_PORT:-5436} .ci/with-postgres \
			bash -c 'DATABASE_URL="$$POSTGRES_URL" $(VENV)/bin/python tests/load/run.py'; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(VENV)/bin/mypy .

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .mypy_cache .ruff_cache
