"""Fail loudly (exit 1) when a service the test suite needs is missing: never skip instead.

Prints which servers the test run uses: the ones DATABASE_URL and CELERY_BROKER_URL name, else the local
defaults when they answer, else the embedded PostgreSQL and Redis that the run starts for itself (devservers).
"""

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import devservers  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def check_configured(choice: devservers.Choice) -> str:
    """Version of the configured (or default) server; raises when it does not answer."""
    if choice.server == "PostgreSQL":
        url = urlparse(choice.url)
        if url.scheme not in {"postgres", "postgresql"}:
            raise ValueError(f"{choice.variable} must point at PostgreSQL for tests, not {url.scheme}")
        with psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username or "postgres",
                             password=url.password, dbname="postgres", connect_timeout=5) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    return redis.Redis.from_url(choice.url, socket_connect_timeout=5).info("server")["redis_version"]


def main() -> int:
    problems, lines = [], []
    for choice in devservers.choose(os.environ):
        try:
            if choice.origin == "embedded":
                version = devservers.embedded_version(choice.server)
            else:
                version = check_configured(choice)
            lines.append(devservers.describe(replace(choice, version=version)))
        except (OSError, RuntimeError, ValueError, subprocess.CalledProcessError, psycopg.Error,
                redis.RedisError) as exc:
            problems.append(f"{devservers.describe(choice)}: unusable: {exc}")
    if shutil.which(CHROMIUM):
        lines.append(f"Chromium at {CHROMIUM}")
    else:
        problems.append(f"Chromium not found at {CHROMIUM} (Debian/Ubuntu: apt-get install chromium; "
                        "or set CHROMIUM to a Chromium or Chrome binary; see README)")
    for line in lines:
        print(f"services-check: {line}")
    for problem in problems:
        print(f"services-check: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
