# Two commands: `make run` (demo on SQLite, eager Celery) and `make test` (the whole suite).
# `make run-postgres`: the demo on embedded PostgreSQL and Redis with a real Celery worker and beat.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run run-postgres test lint bench services-check clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

run-postgres: $(STAMP)
	$(PY) scripts/run_postgres.py

# Real PostgreSQL and Redis: the ones DATABASE_URL / CELERY_BROKER_URL name, else the local ones on 127.0.0.1
# when they answer, else embedded servers that the run starts and removes (devservers); Debian's Chromium.
test: $(STAMP) services-check
	$(PY) -m pytest

services-check: $(STAMP)
	$(PY) scripts/check_services.py

bench: $(STAMP)
	$(PY) benchmarks/export.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache test-artifacts
