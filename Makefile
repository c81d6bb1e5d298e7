# Saqshy: `make demo` runs the live Astana demo, `make test` runs every check.
# Each step leaves a stamp so a second run skips what is already done.

PORT ?= 8000
HOST ?= 127.0.0.1
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
VAR := var
export DJANGO_SETTINGS_MODULE := saqshy.settings

DEMO_ENV := DEBUG=false SECRET_KEY="$$(cat $(VAR)/secret_key)" ALLOWED_HOSTS=127.0.0.1,localhost \
	SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SAQSHY_DEMO_HINT=true
TEST_ENV := DEBUG=true DATABASE_URL="$(DATABASE_URL)"

PO_FILES := $(wildcard saqshy/locale/*/LC_MESSAGES/django.po saqshy/*/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
STATIC_SOURCES := $(shell find saqshy -path '*/static/*' -type f 2>/dev/null)
BUNDLE := $(shell find data -type f 2>/dev/null)
DEMO_CODE := $(shell find saqshy/demo -name '*.py' -not -path '*/tests/*' 2>/dev/null)

.PHONY: demo prod test setup pango lint typecheck imports migrations-check schema-check pytest messages bundle chromium clean help

help:
	@echo "make demo   set up on first run, then start the live Astana demo on SQLite"
	@echo "make test   set up and run ruff, mypy, import-linter, migrations check and pytest"

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VAR)/secret_key:
	mkdir -p $(VAR)
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

%.mo: %.po
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	msgfmt --check-format -o $@ $<

messages: $(MO_FILES)

# WeasyPrint (roster PDFs) needs Pango from the system.
pango:
	@ldconfig -p | grep -q 'libpangoft2-1.0' || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0)

setup: $(VENV)/.installed node_modules/.installed $(VAR)/secret_key $(MO_FILES) pango

staticfiles/.collected: $(VENV)/.installed node_modules/.installed $(VAR)/secret_key $(STATIC_SOURCES)
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	touch $@

$(VAR)/.demo-loaded: $(VENV)/.installed $(VAR)/secret_key $(BUNDLE) $(DEMO_CODE)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo --i-know-this-is-not-production
	$(DEMO_ENV) $(PY) manage.py render_tiles --region astana --region almaty
	touch $@

# The New Year's Eve simulator runs beside the server (log in var/simulator.log): it waits
# for the server, plays the night over the API, and stops with it (trap, or on its own when
# the server has been gone for 30 s). SIMULATE=0 starts the server alone.
SIMULATE ?= 1
# The MQTT ingest consumer (var/ingest.log) starts when the broker at MQTT_URL answers.
export BROKER_UP := import os, socket, urllib.parse as u; a = u.urlsplit(os.environ.get("MQTT_URL") or "mqtt://127.0.0.1:1883"); socket.create_connection((a.hostname or "127.0.0.1", a.port or 1883), 1)

demo: setup staticfiles/.collected $(VAR)/.demo-loaded
	$(DEMO_ENV) $(PY) manage.py migrate --noinput --verbosity 0
	@$(DEMO_ENV) $(PY) manage.py demo_welcome --address http://$(HOST):$(PORT)/
	@echo "Background worker (plan runs): log in $(VAR)/worker.log"; \
	$(DEMO_ENV) $(PY) manage.py db_worker >$(VAR)/worker.log 2>&1 & worker=$$!; \
	ingest=; \
	if $(PY) -c "$$BROKER_UP" 2>/dev/null; then \
		echo "MQTT ingest consumer: log in $(VAR)/ingest.log"; \
		$(DEMO_ENV) $(PY) manage.py ingest_mqtt >$(VAR)/ingest.log 2>&1 & ingest=$$!; \
	else echo "No MQTT broker at $${MQTT_URL:-mqtt://127.0.0.1:1883}: the demo ingests device messages in-process"; fi; \
	echo "Device-health sweeper (offline sensors, visit tasks): log in $(VAR)/health.log"; \
	$(DEMO_ENV) $(PY) manage.py device_health >$(VAR)/health.log 2>&1 & health=$$!; \
	echo "Late daily reports escalate to the secretariat's board: log in $(VAR)/escalations.log"; \
	$(DEMO_ENV) $(PY) manage.py escalate_reports >$(VAR)/escalations.log 2>&1 & health="$$health $$!"; \
	echo "Public alert feeds (SAQSHY_CAP_FEEDS) read every 5 minutes: log in $(VAR)/cap.log"; \
	$(DEMO_ENV) $(PY) manage.py ingest_cap --feeds --every 300 >$(VAR)/cap.log 2>&1 & health="$$health $$!"; \
	trap 'kill $$worker $$ingest $$health 2>/dev/null' EXIT INT TERM; \
	if [ "$(SIMULATE)" = 1 ]; then \
		echo "New Year's Eve simulator: log in $(VAR)/simulator.log (SIMULATE=0 to turn off)"; \
		$(DEMO_ENV) $(PY) manage.py simulate_nye --url http://$(HOST):$(PORT)/ --start 22:30 \
			--log $(VAR)/simulator.log & sim=$$!; \
		echo "Device simulator (alarms, heartbeats, telemetry): log in $(VAR)/devices.log"; \
		$(DEMO_ENV) $(PY) manage.py simulate_devices --start 22:30 --log $(VAR)/devices.log & dev=$$!; \
		trap 'kill $$worker $$ingest $$health $$sim $$dev 2>/dev/null' EXIT INT TERM; \
	fi; \
	$(DEMO_ENV) $(BIN)/uvicorn saqshy.asgi:application --host $(HOST) --port $(PORT) \
		--log-level warning --no-access-log

# The production layout (Procfile, docs/deployment.md): several web processes (gunicorn with
# uvicorn workers) sharing the Redis channel layer, two MQTT consumers, the task worker and the
# other workers, on PostgreSQL; honcho starts and stops them together. WEB copies of gunicorn
# (ports PORT, PORT+1, ...) with WEB_CONCURRENCY worker processes each. The database is created
# if absent and migrated; it holds no demo data (load some with load_demo or generate_national).
PROD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/saqshy
PROD_REDIS_URL ?= redis://127.0.0.1:6379/0
WEB ?= 1
WEB_CONCURRENCY ?= 2
# Plain HTTP on this machine; set COOKIES_SECURE=true behind TLS.
COOKIES_SECURE ?= false
PROD_ENV := DEBUG=false SECRET_KEY="$${SECRET_KEY:-$$(cat $(VAR)/secret_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	DATABASE_URL="$(PROD_DATABASE_URL)" REDIS_URL="$(PROD_REDIS_URL)" \
	SESSION_COOKIE_SECURE=$(COOKIES_SECURE) CSRF_COOKIE_SECURE=$(COOKIES_SECURE) \
	LOG_FORMAT=json SAQSHY_REQUEST_LOG=true DB_POOL_SIZE=$${DB_POOL_SIZE:-16} \
	WEB_CONCURRENCY=$(WEB_CONCURRENCY) HOST=$(HOST)

prod: setup staticfiles/.collected
	$(PROD_ENV) $(PY) deploy/create_database.py
	$(PROD_ENV) $(PY) manage.py migrate --noinput --verbosity 0
	@echo "Production layout on $(PROD_DATABASE_URL): web on http://$(HOST):$(PORT)/ ($(WEB) x $(WEB_CONCURRENCY) processes), health on each process's /healthz and /readyz (ports in the Procfile)"
	$(PROD_ENV) $(BIN)/honcho start -f Procfile -p $(PORT) -c web=$(WEB)

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(TEST_ENV) $(BIN)/mypy saqshy benchmarks

imports: setup
	$(BIN)/lint-imports

migrations-check: setup
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

# PYTEST_ARGS narrows a run (CI's PostgreSQL pass leaves out what never touches its database).
PYTEST_ARGS ?=
pytest: setup chromium staticfiles/.collected
	$(TEST_ENV) $(BIN)/pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

schema-check: setup
	$(TEST_ENV) $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

test: lint typecheck imports migrations-check schema-check pytest

bundle: setup
	$(PY) -c "from pathlib import Path; from saqshy.demo.bundle import build_bundle; print(build_bundle(Path('../shared/data'), Path('data')))"

clean:
	rm -rf $(VAR) staticfiles
