# Two commands: `make run` (demo on SQLite, eager Celery) and `make test` (the whole suite).
# `make run-postgres`: the demo on embedded PostgreSQL and Redis with a real Celery worker and beat.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run run-postgres test checks lint bench services-check clean messages compile-messages

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP) compile-messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

run-postgres: $(STAMP) compile-messages
	$(PY) scripts/run_postgres.py

# Real PostgreSQL and Redis: the ones DATABASE_URL / CELERY_BROKER_URL name, else the local ones on 127.0.0.1
# when they answer, else embedded servers that the run starts and removes (devservers); Debian's Chromium.
# In parallel (pytest-xdist): one worker per core, at most TEST_WORKERS_MAX; each worker has its own test database
# (pytest-django's _gw<n> suffix) and broker keys (itp_trial/settings/test.py). TEST_WORKERS=0 runs in one process.
# --dist loadfile: the tests of one file run on one worker, one after the other (the broker-fault stack tests share
# STACK_FAULT_REDIS_DB, which each empties). Not loadgroup: with pytest 9, xdist 3.8 ignores xdist_group marks.
TEST_WORKERS ?= auto
TEST_WORKERS_MAX ?= 4
test: $(STAMP) compile-messages services-check checks
	$(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses $(TEST_WORKERS_MAX) --dist loadfile

# Lint, migrations in step with the models, and Django's deployment checks under the production settings
# (placeholder secret and database: `check --deploy` reads settings only).
DEPLOY_CHECK_ENV := DJANGO_SETTINGS_MODULE=itp_trial.settings.production \
	SECRET_KEY=deploy-check-only-3f9c1a7be24d8e60b5c7a9d2e4f6081b3d5c7e9f1a2b4c6d8e0f \
	DATABASE_URL=postgres://deploy-check@127.0.0.1:5432/deploy-check
checks: $(STAMP)
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=itp_trial.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_CHECK_ENV) $(PY) manage.py check --deploy --fail-level WARNING

services-check: $(STAMP)
	$(PY) scripts/check_services.py

# Side by side with a bare Django project (benchmarks/bare) on the same PostgreSQL and gunicorn settings; the
# table goes to benchmarks/results.md. Needs wrk (Debian: apt-get install wrk).
bench: $(STAMP)
	$(PY) benchmarks/export.py
	$(PY) benchmarks/visit_save.py
	$(PY) benchmarks/import_study.py
	$(PY) benchmarks/reminder_scan.py

# Translations: the committed locale/zh_Hans .po files are compiled by every run (pure Python, no gettext tools).
compile-messages: $(STAMP)
	$(PY) scripts/compile_messages.py

# After marking strings: refresh the catalogues from the code (needs GNU gettext), then translate the new entries.
MAKEMESSAGES := $(PY) manage.py makemessages --locale zh_Hans --no-location --no-obsolete \
	--ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'static/vendor/*' --ignore 'benchmarks/*' --ignore '*/tests/*' --ignore 'tests/*' \
	--ignore 'devservers/*' --ignore 'scripts/*' --ignore 'conftest.py'
messages: $(STAMP)
	DJANGO_SETTINGS_MODULE=itp_trial.settings.local $(MAKEMESSAGES)
	DJANGO_SETTINGS_MODULE=itp_trial.settings.local $(MAKEMESSAGES) --domain djangojs
	sed -i '/^"POT-Creation-Date: /d' locale/*/LC_MESSAGES/*.po

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache test-artifacts
