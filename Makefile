# Two commands: `make run` (demo on SQLite, eager Celery) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench services-check clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Real PostgreSQL and Redis (DATABASE_URL / CELERY_BROKER_URL, default 127.0.0.1) and Debian's Chromium.
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
