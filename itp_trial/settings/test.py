"""Test settings: the machine's real PostgreSQL and Redis (never SQLite, never a mocked broker).

DATABASE_URL and CELERY_BROKER_URL come from the environment. Under pytest the devservers plugin sets them before
these settings load: the configured servers, else the local ones on 127.0.0.1, else embedded servers it starts.
"""

import os
import uuid

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itp_trial")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
os.environ.setdefault("EMAIL_URL", "locmem://")

from .base import *  # noqa: E402,F403

SECRET_KEY = "test-only-not-secret"
# Requests without Accept-Language (the test client) get English; tests of the Chinese pages ask for zh-hans.
LANGUAGE_CODE = "en"
DEBUG = False
# Own names, so suites sharing the machine's services (or parallel runs) do not collide.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME", "test_itp_trial_suite")}  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
STATIC_ROOT = None  # static files come from the finders in tests
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = False
# A task of a killed worker comes back ~2.5 s after a new worker starts (Redis visibility timeout), not in an hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "visibility_timeout": 2,  # noqa: F405
                                   "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
# Parallel runs (pytest-xdist): each worker process has its own queues in the broker's Redis database, so one
# worker's Celery tests never consume, purge or redeliver another's tasks. The worker id comes from the
# environment, which the Celery workers the tests start as subprocesses inherit: they share their test's keys.
if os.environ.get("PYTEST_XDIST_WORKER"):
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"itp-test-{os.environ['PYTEST_XDIST_WORKER']}:"
# Test-only hook: while this file exists the reminder scan waits inside its transaction (inbox.scan).
INBOX_SCAN_PAUSE_FILE = os.environ.get("INBOX_SCAN_PAUSE_FILE", "")
# Each run reads and writes its own permission entries: user ids and creation times repeat between runs' test
# databases (frozen clocks), so a shared Redis must not hand one run's cached roles to another.
CACHES["permissions"]["KEY_PREFIX"] = f"itp-test-{uuid.uuid4().hex}"  # noqa: F405
