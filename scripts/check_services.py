"""Fail loudly (exit 1) when a service the test suite needs is missing: never skip instead."""

import os
import shutil
import sys
from urllib.parse import urlparse

import psycopg
import redis

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/itp_trial")
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def main() -> int:
    problems = []
    url = urlparse(DATABASE_URL)
    if url.scheme not in {"postgres", "postgresql"}:
        problems.append(f"DATABASE_URL must point at PostgreSQL for tests, not {url.scheme}")
    else:
        try:
            with psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username or "postgres",
                                 password=url.password, dbname="postgres", connect_timeout=5) as conn:
                conn.execute("select 1")
        except psycopg.Error as exc:
            problems.append(f"PostgreSQL unreachable at {url.hostname}:{url.port or 5432}: {exc}")
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        problems.append(f"Redis unreachable at {BROKER_URL}: {exc}")
    if not shutil.which(CHROMIUM):
        problems.append(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    for problem in problems:
        print(f"services-check: {problem}", file=sys.stderr)
    if not problems:
        print("services-check: PostgreSQL, Redis and Chromium are available")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
