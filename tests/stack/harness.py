"""The production configuration as separate processes, the way docker-compose.yml runs it.

Reads the commands and environment of docker-compose.yml (and the collectstatic step of the Dockerfile), runs
them with this virtualenv's Python against a database created for the run on the local PostgreSQL and a Redis
database of their own, with a local SMTP sink. Every process is started here and stopped here, by its pid.
"""

import email
import email.policy
import http.cookiejar
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import yaml
from aiosmtpd.controller import Controller

BASE_DIR = Path(__file__).resolve().parents[2]
# Per worker in a parallel run: two stack tests may run at once and their processes have the same names.
ARTIFACTS = BASE_DIR / "test-artifacts" / "stack" / os.environ.get("PYTEST_XDIST_WORKER", "")
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
DOCKERFILE = (BASE_DIR / "Dockerfile").read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Timings:
    """Named steps and how long each took, printed and kept in test-artifacts/stack/."""

    def __init__(self, name: str):
        self.name = name
        self.steps: list[tuple[str, float]] = []
        self.started = time.monotonic()

    @contextmanager
    def step(self, label: str):
        started = time.monotonic()
        yield
        self.steps.append((label, round(time.monotonic() - started, 2)))

    def report(self, **figures) -> str:
        total = round(time.monotonic() - self.started, 2)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{self.name}.json").write_text(json.dumps(
            {"steps": [{"step": label, "seconds": seconds} for label, seconds in self.steps], "total": total,
             **figures}, indent=2))
        lines = [f"{seconds:7.2f} s  {label}" for label, seconds in self.steps]
        lines.append(f"{total:7.2f} s  total")
        lines += [f"{key}: {value}" for key, value in figures.items()]
        text = "\n".join(lines)
        print(f"\n== {self.name}\n{text}")
        return text


# ---------------------------------------------------------------- compose and Dockerfile


def _expand(value: str) -> str:
    """${NAME:-default} as compose reads it (from this process's environment, else the default)."""
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: os.environ.get(m.group(1), m.group(2)), str(value))


def compose_environment() -> dict[str, str]:
    return {key: _expand(value) for key, value in COMPOSE["x-app"]["environment"].items()}


def compose_command(service: str, *, replace: dict[str, str] | None = None) -> list[str]:
    """The service's command with this virtualenv's executables (python, gunicorn and celery as modules)."""
    command = COMPOSE["services"][service]["command"]
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    program = {"python": [sys.executable], "gunicorn": [sys.executable, "-m", "gunicorn"],
               "celery": [sys.executable, "-m", "celery"]}[argv[0]]
    rest = [arg for arg in argv[1:]]
    for old, new in (replace or {}).items():
        rest = [arg.replace(old, new) for arg in rest]
    return program + rest


def dockerfile_settings_module() -> str:
    return re.search(r"DJANGO_SETTINGS_MODULE=(\S+)", DOCKERFILE).group(1)


def dockerfile_collectstatic() -> list[str]:
    line = re.search(r"(python manage\.py collectstatic[^\n\\]*)", DOCKERFILE).group(1)
    argv = shlex.split(line)
    return [sys.executable, *argv[1:]]


# ---------------------------------------------------------------- services: database, redis, mail


@contextmanager
def run_database(settings_dict: dict, name: str):
    """A database of its own for this run, created empty and dropped at the end."""
    conninfo = {"host": settings_dict.get("HOST") or "127.0.0.1", "port": settings_dict.get("PORT") or 5432,
                "user": settings_dict.get("USER") or "postgres", "password": settings_dict.get("PASSWORD") or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{conninfo['user']}@{conninfo['host']}:{conninfo['port']}/{name}"
    try:
        yield url, (lambda: psycopg.connect(dbname=name, autocommit=True, **conninfo))
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_url_with_db(broker_url: str, db: int) -> str:
    parsed = urllib.parse.urlparse(broker_url)
    return urllib.parse.urlunparse(parsed._replace(path=f"/{db}"))


@contextmanager
def empty_redis_db(url: str):
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


@dataclass
class Sink:
    """An SMTP server in the test process that keeps what it receives."""

    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": str(message["Subject"]),
                              "body": message.get_body(("plain",)).get_content()})
        return "250 Message accepted"


@contextmanager
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield sink, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


@contextmanager
def hung_broker():
    """A port that accepts connections and never answers (a broker that hangs)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", held
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        server.close()


def closed_port_url() -> str:
    """A broker that is down: nothing listens on this port."""
    return f"redis://127.0.0.1:{free_port()}/0"


# ---------------------------------------------------------------- processes


class Process:
    """One command of the stack, in its own process group, output kept in memory and in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], ready: str | None = None,
                 timeout: float = 120):
        self.name = name
        self.lines: list[str] = []
        self.ready_event = threading.Event()
        self.ready_text = ready
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log = (ARTIFACTS / f"{name}.log").open("w")
        self.proc = subprocess.Popen(argv, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        if ready is not None and not self.ready_event.wait(timeout):
            self.stop()
            raise AssertionError(f"{name} did not become ready:\n{self.tail()}")

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            self.log.write(line)
            self.log.flush()
            if self.ready_text and self.ready_text in line:
                self.ready_event.set()

    def output(self) -> str:
        return "".join(self.lines)

    def tail(self, n: int = 40) -> str:
        return "".join(self.lines[-n:])

    def wait(self, timeout: float) -> int:
        code = self.proc.wait(timeout)
        time.sleep(0.1)  # let the reader thread take the last lines
        return code

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group this test started (gunicorn/celery children)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


def run_step(name: str, argv: list[str], env: dict[str, str], timeout: float = 300) -> Process:
    process = Process(name, argv, env)
    code = process.wait(timeout)
    assert code == 0, f"{name} exited with {code}:\n{process.tail()}"
    return process


@dataclass
class Stack:
    """The environment every command of the stack gets, as compose gives it, with the run's own services."""

    database_url: str
    broker_url: str
    email_url: str
    static_root: Path
    extra: dict[str, str] = field(default_factory=dict)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    processes: list[Process] = field(default_factory=list)

    def env(self, **overrides: str) -> dict[str, str]:
        env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TZ") if key in os.environ}
        env.update(compose_environment())
        env.update({
            "DATABASE_URL": self.database_url, "CELERY_BROKER_URL": self.broker_url, "EMAIL_URL": self.email_url,
            "SECRET_KEY": self.secret_key, "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback: no secure-only cookies, no redirect to HTTPS (see README, Configuration).
            "SECURE_COOKIES": "false", "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(self.static_root), "PYTHONUNBUFFERED": "1", "WEB_CONCURRENCY": "2",
            # The stack tests read the e-mails' English wording; e-mails per recipient language are tested in
            # inbox/tests/test_languages.py.
            "LANGUAGE_CODE": "en",
        })
        env.update(self.extra)
        env.update(overrides)
        return env

    def start(self, name: str, argv: list[str], ready: str | None = None, **overrides: str) -> Process:
        process = Process(name, argv, self.env(**overrides), ready=ready)
        self.processes.append(process)
        return process

    def web(self, name: str = "web", **overrides: str) -> tuple[Process, str]:
        port = free_port()
        process = self.start(name, compose_command("web"), GUNICORN_BIND=f"127.0.0.1:{port}", **overrides)
        url = f"http://127.0.0.1:{port}"

        def up():
            if process.proc.poll() is not None:
                raise AssertionError(f"{name} exited:\n{process.tail()}")
            try:
                return http_get(f"{url}/healthz", timeout=5)[0] in (200, 503)
            except OSError:
                return False

        wait_for(up, 90, f"{name} to answer", interval=0.25)
        return process, url

    def stop_all(self):
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()


# ---------------------------------------------------------------- HTTP without a browser


def http_get(url: str, timeout: float = 10) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class WebSession:
    """A logged-in user over plain HTTP: cookies, the CSRF token and each form's one-time token."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: dict | None = None, timeout: float = 60) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body,
                                         headers={"Referer": self.base_url + path})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def form(self, path: str) -> dict:
        status, _, page = self.request(path)
        assert status == 200, (path, status)
        found = {"csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)}
        token = re.search(r'name="token" value="([^"]+)"', page)  # a new entry's one-time token (casebook)
        if token:
            found["token"] = token.group(1)
        return found

    def login(self, username: str, password: str):
        status, headers, _ = self.request("/login/", {**self.form("/login/"), "username": username,
                                                      "password": password})
        assert status == 302, f"login of {username} answered {status}"


class BrokerProxy:
    """A TCP proxy in front of the real Redis that the test can take down (port closed, connections cut), hang
    (accepts, passes nothing either way) and bring back — the whole stack talks to the broker through it.

    hang_style "stalled": a server that stops answering and resumes (what was held goes through when it is back);
    "blackhole": connections made during the hang are dead for good (a partition): clients must time out."""

    def __init__(self, target_url: str, hang_style: str = "stalled"):
        self.hang_style = hang_style
        parsed = urllib.parse.urlparse(target_url)
        self.target = (parsed.hostname or "127.0.0.1", parsed.port or 6379)
        self.db_path = parsed.path
        self.port = free_port()
        self.mode = "down"
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.closed = threading.Event()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}{self.db_path}"

    def up(self):
        with self.lock:
            self.mode = "up"
        if self.listener is None:
            self._listen()

    def hang(self):
        with self.lock:
            self.mode = "hung"
        if self.listener is None:
            self._listen()

    def down(self):
        with self.lock:
            self.mode = "down"
            listener, self.listener = self.listener, None
            sockets, self.sockets = self.sockets, []
        if listener is not None:
            listener.close()
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self):
        self.closed.set()
        self.down()

    def _listen(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while not self.closed.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self.lock:
                self.sockets.append(client)
                blackholed = self.mode == "hung" and self.hang_style == "blackhole"
            if blackholed:
                continue  # accepted, never answered, never forwarded
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.append(server)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                while self.mode == "hung" and not self.closed.is_set():
                    time.sleep(0.05)  # hold what was said: the broker "hangs" for this connection too
                if self.mode == "down":
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with suppress(OSError):
                    sock.close()
