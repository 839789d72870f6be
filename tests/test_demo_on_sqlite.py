"""`make run` on a bare machine: SQLite and an eager Celery, no DATABASE_URL. The demo study goes through the bulk
import and the reminder scan, whose fast paths are PostgreSQL's (COPY); SQLite takes their portable paths."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_make_run_loads_the_demo_and_scans_on_sqlite(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "PYTEST_XDIST_WORKER"}}
    env.update(DJANGO_SETTINGS_MODULE="itp_trial.settings.local", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
               LANGUAGE_CODE="en")
    manage(env, "migrate", "--noinput")
    loaded = manage(env, "load_demo")
    assert "imported 20 patient(s), 141 visit(s)" in loaded
    assert "reminder(s) created" in loaded
    assert manage(env, "scan_reminders").startswith("0 reminder(s) created")  # the demo's scan already made them
