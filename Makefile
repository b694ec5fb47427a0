# Labinov: `make run` serves the demo as production does, `make dev` with Django's development server,
# `make test` runs every test (SQLite, PostgreSQL, browser).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export LABINOV_DEV := 1

.PHONY: run dev test install system-deps venv messages messages-update demo test-sqlite test-postgres test-e2e bench clean serve

# A Python >= 3.12 (Django 6.1 needs it): the first of python3.13, python3.12, python3 that is new enough.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; done)

install: system-deps $(VENV)/.installed messages

system-deps:
	@bash scripts/system-deps.sh

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Labinov needs Python 3.12 or newer (Django 6.1). Install python3.12 or python3.13 and run again." >&2; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

messages: $(VENV)/.installed
	@cd src/labinov && ../../$(PY) -m django compilemessages --settings=labinov.settings -v0

# After changing user-visible strings: refresh the Indonesian catalogue, then translate the new entries.
messages-update: $(VENV)/.installed
	cd src/labinov && ../../$(PY) -m django makemessages -l id --settings=labinov.settings -i "*/migrations/*" --no-location --no-obsolete

# Production settings on plain HTTP at $(HOST):$(PORT): DEBUG off (an unknown URL is a plain 404 page),
# a random SECRET_KEY kept in var/secret_key (made on the first run, never committed), gunicorn with
# 2 workers, static files served by the app (whitenoise). No HTTPS redirect, HSTS or secure-only
# cookies, since there is no TLS here; docs/deploy.md has the settings for a real server.
RUN_ENV = env -u LABINOV_DEV DEBUG=0 SECRET_KEY="$$(cat var/secret_key)" \
	SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 SECURE_COOKIES=0

run: install var/secret_key
	$(PY) -m labinov.cli migrate --noinput -v0
	$(PY) -m labinov.cli load_demo
	$(RUN_ENV) $(PY) -m labinov.cli collectstatic --noinput -v0
	@echo
	@echo "Labinov is served at http://$(HOST):$(PORT)/ : log in at http://$(HOST):$(PORT)/login/ with an account above (Ctrl+C stops it)"
	@echo
	@# the background worker (imports, PDFs, index rebuilds) runs beside the web server and stops with it
	$(RUN_ENV) $(PY) -m labinov.cli db_worker --interval 1 > var/worker.log 2>&1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(RUN_ENV) $(VENV)/bin/gunicorn labinov.wsgi:application --bind $(HOST):$(PORT) --workers 2 \
		--access-logfile - --error-logfile - --log-level warning

var/secret_key:
	@mkdir -p var
	@umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@echo "Made a random SECRET_KEY in $@ (kept for the next runs; delete it to log everyone out)"

# Development: Django's development server with DEBUG=1 (error pages with tracebacks, code reloads).
# Keep it on 127.0.0.1: a DEBUG page shows settings and the URL list to whoever reaches it.
dev: install
	$(PY) -m labinov.cli migrate --noinput -v0
	$(PY) -m labinov.cli load_demo
	@echo
	@echo "Labinov (development) is served at http://$(HOST):$(PORT)/ : log in at http://$(HOST):$(PORT)/login/ with an account above (Ctrl+C stops it)"
	@echo
	DEBUG=1 $(PY) -m labinov.cli db_worker --interval 1 > var/worker.log 2>&1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	DEBUG=1 $(PY) -m labinov.cli runserver $(HOST):$(PORT)

# The whole suite on SQLite and on a PostgreSQL 15 cluster the script starts and stops itself (side by
# side: one core each), then the browser tests.
test: install
	bash scripts/test-all.sh $(PY)

# Benchmarks print numbers and ratios against their targets; they are not part of make test.
bench: install
	$(PY) bench/run.py
	$(PY) bench/bench_similarity.py
	$(PY) bench/bench_import.py
	$(PY) bench/bench_commitments.py
	$(PY) bench/bench_duplicates.py --sweep
	$(PY) bench/bench_duplicates_scale.py
	$(PY) bench/bench_pages.py --scale 10k
	$(PY) bench/bench_iid.py
	$(PY) bench/bench_catalogue.py

clean:
	rm -rf $(VENV) var build src/*.egg-info
