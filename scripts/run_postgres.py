"""`make run-postgres`: the demo on an embedded PostgreSQL and Redis, with a real Celery worker and beat.

It always starts servers of its own (the demo data never goes into a database you configured) and keeps
nothing: Ctrl-C stops the web server, the worker, beat and both servers and removes their data.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import devservers  # noqa: E402

ADDRESS = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")


def main() -> int:
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    servers = devservers.EmbeddedServers.start(database="itp_trial", broker_db="0")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "itp_trial.settings.local", "PYTHONUNBUFFERED": "1",
           "DATABASE_URL": servers.urls["DATABASE_URL"], "CELERY_BROKER_URL": servers.urls["CELERY_BROKER_URL"]}
    print(f"PostgreSQL {servers.versions['PostgreSQL']} at {servers.urls['DATABASE_URL']}")
    print(f"Redis {servers.versions['Redis']} at {servers.urls['CELERY_BROKER_URL']}")
    children: list[subprocess.Popen] = []
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True)
        celery = [sys.executable, "-m", "celery", "-A", "itp_trial"]
        for command in ([*celery, "worker", "-P", "solo", "-l", "INFO", "--without-gossip", "--without-mingle"],
                        [*celery, "beat", "-l", "INFO", "-s", str(servers.run_dir / "celerybeat-schedule")],
                        [*manage, "runserver", "--noreload", ADDRESS]):
            children.append(subprocess.Popen(command, cwd=ROOT, env=env))
        print(f"Demo at http://{ADDRESS}/ with a Celery worker and beat; Ctrl-C stops everything.", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return 1  # one of them stopped by itself: stop the rest
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
        servers.stop()


if __name__ == "__main__":
    sys.exit(main())
