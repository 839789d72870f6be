"""What every side-by-side benchmark shares: scratch databases, the two gunicorn servers, wrk, the rounds, the table.

The product runs with its production settings (DEBUG off, static files collected, plain HTTP on loopback) and
the bare baseline (benchmarks/bare) with the same gunicorn settings, both on the PostgreSQL server DATABASE_URL
names (default: the local one). Each script measures them in turns, A B A B, for ROUNDS rounds, and reports the
product's throughput as a ratio of the baseline's in the same round: the median over the rounds and the spread
(lowest and highest). Environment: BENCH_ROUNDS (3), BENCH_SECONDS (5 per measurement), BENCH_WORKERS (2).
"""

import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SERVER_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
RESULTS = ROOT / "benchmarks" / "results.md"
# wrk's report, as one JSON line: requests, seconds, latency percentiles (ms), responses that were not 2xx/3xx
WRK_DONE = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('WRK {"requests": %d, "seconds": %.6f, "p50": %.3f, "p99": %.3f, "bad": %d, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    summary.errors.status, errors))
end
"""


def database_url(name: str) -> str:
    parsed = urlparse(SERVER_URL)
    return urlunparse(parsed._replace(path=f"/{name}"))


class ScratchDatabase:
    """A database created for one run and dropped after it (`with ScratchDatabase("label") as url:`)."""

    def __init__(self, label: str):
        self.name = f"bench_{label}_{os.getpid()}"

    def _admin(self):
        parsed = urlparse(SERVER_URL)
        return psycopg.connect(host=parsed.hostname or "127.0.0.1", port=parsed.port or 5432,
                               user=parsed.username or "postgres", password=parsed.password,
                               dbname="postgres", autocommit=True)

    def __enter__(self) -> str:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return database_url(self.name)

    def __exit__(self, *exc) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def product_env(db_url: str, static_root: str) -> dict:
    """The production settings, on plain HTTP on loopback (as the stack test runs them)."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "itp_trial.settings.production", "DATABASE_URL": db_url,
            "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", uuid.uuid4().hex * 2), "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false",
            "SECURE_PROXY_SSL_HEADER": "false", "STATIC_ROOT": static_root, "LOG_LEVEL": "WARNING",
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7"),
            "EMAIL_URL": "locmem://", "PYTHONPATH": str(ROOT)}


def bare_env(db_url: str) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.bare.settings", "DATABASE_URL": db_url,
            "SECRET_KEY": uuid.uuid4().hex * 2, "PYTHONPATH": str(ROOT)}


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "-m", "django", *args], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def prepare_product(db_url: str, static_root: str) -> dict:
    env = product_env(db_url, static_root)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    return env


def prepare_bare(db_url: str) -> dict:
    env = bare_env(db_url)
    manage(env, "migrate", "--run-syncdb", "--noinput")
    return env


class Server:
    """gunicorn with the product's configuration (gunicorn.conf.py: sync workers, keep-alive, access log...) and
    WORKERS workers on a free loopback port: the same settings for both projects. Its output goes to a file."""

    def __init__(self, name: str, app: str, env: dict):
        self.name, self.app, self.env = name, app, env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--workers", str(WORKERS),
             "--bind", f"127.0.0.1:{self.port}", self.app],
            env=self.env, cwd=ROOT, start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)
                return self
            except urllib.error.HTTPError:
                return self  # it answers (the bare project has no /healthz)
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not start")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)
            self.log.close()


@dataclass
class Run:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    bad: int


def wrk(url: str, script: str, connections: int, seconds: int = SECONDS) -> Run:
    """wrk with `connections` connections on 2 threads for `seconds`, driven by the Lua `script`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script + WRK_DONE)
    try:
        out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
                              "-s", file.name, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(file.name)
    report = json.loads(next(line for line in out.splitlines() if line.startswith("WRK "))[4:])
    return Run(report["requests"] / report["seconds"], report["p50"], report["p99"],
               report["bad"] + report["errors"])


@dataclass
class Comparison:
    what: str
    connections: int
    product: list[Run]
    bare: list[Run]

    @property
    def ratios(self) -> list[float]:
        return [p.requests_per_s / b.requests_per_s for p, b in zip(self.product, self.bare, strict=True)]

    def row(self) -> str:
        ratios = self.ratios
        return (f"| {self.what} | {self.connections} | {len(ratios)} | {statistics.median(ratios):.3f} | "
                f"{min(ratios):.3f}–{max(ratios):.3f} | "
                f"{statistics.median(r.requests_per_s for r in self.product):.0f} | "
                f"{statistics.median(r.requests_per_s for r in self.bare):.0f} | "
                f"{statistics.median(r.p99_ms for r in self.product):.0f} | "
                f"{statistics.median(r.p99_ms for r in self.bare):.0f} | "
                f"{sum(r.bad for r in self.product)} |")


def interleave(what: str, connections: int, product, bare) -> Comparison:
    """A B A B: `product()` and `bare()` (each returning a Run) in turns, ROUNDS times."""
    comparison = Comparison(what, connections, [], [])
    for number in range(1, ROUNDS + 1):
        comparison.product.append(product())
        comparison.bare.append(bare())
        p, b = comparison.product[-1], comparison.bare[-1]
        print(f"  {what} c={connections} round {number}: product {p.requests_per_s:.1f}/s p99 {p.p99_ms:.0f} ms"
              f" (not 2xx/3xx: {p.bad}) | bare {b.requests_per_s:.1f}/s p99 {b.p99_ms:.0f} ms"
              f" | ratio {p.requests_per_s / b.requests_per_s:.3f}", flush=True)
    return comparison


HEADER = ("| path | connections | rounds | median ratio | spread (min–max) | product req/s | bare req/s "
          "| product p99 ms | bare p99 ms | product not 2xx/3xx |\n|---|---|---|---|---|---|---|---|---|---|")


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, load average at the start {load}")


def write_results(section: str, comparisons: list[Comparison], note: str, started_load: str) -> str:
    """Replace `section` in benchmarks/results.md with this run's table; return the table."""
    return write_section(section, HEADER, [c.row() for c in comparisons], note, started_load)


def write_section(section: str, header: str, rows: list[str], note: str, started_load: str) -> str:
    """Replace `section` in benchmarks/results.md with a table (`header`, then `rows`); return it."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    table = "\n".join([f"## {section}", "", f"Measured {when}; {started_load}. {note}", "", header, *rows, ""])
    text = RESULTS.read_text() if RESULTS.exists() else (
        "# Benchmarks\n\nWritten by `make bench`. Ratio: the product's throughput over the bare baseline's in the "
        "same round (1.000 = as fast); spread: the lowest and highest ratio over the rounds.\n\n")
    start = text.find(f"## {section}\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + table + ("" if end < 0 else text[end + 1:])
    else:
        text = text.rstrip("\n") + "\n\n" + table
    RESULTS.write_text(text)
    return table


def need_wrk() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")
