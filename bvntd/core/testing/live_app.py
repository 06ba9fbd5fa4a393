"""Run the real app in a subprocess for browser tests: a fresh database, gunicorn, production settings.

pytest-django's `live_server` needs a transactional test database that it empties with a flush between
tests, and the append-only triggers on ComplaintEvent refuse that flush. So the browser tests talk to the
app the way a user would: a separate gunicorn serving a database made for the run (a temp SQLite file, or a
new database on the PostgreSQL server named by DATABASE_URL), dropped at the end.

    with live_app() as app:
        page.goto(app.url + "/khieu-nai/moi/")
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse, urlunparse

from cryptography.fernet import Fernet

REPO_ROOT = Path(__file__).resolve().parents[3]
START_TIMEOUT_SECONDS = 30
COMMAND_TIMEOUT_SECONDS = 180


@dataclass
class LiveApp:
    url: str  # http://127.0.0.1:<port>, no trailing slash
    env: dict[str, str]
    workdir: Path
    log_path: Path

    def manage(self, *args: str) -> str:
        """Run a manage.py command against the app's database; returns its output."""
        return _run([sys.executable, "manage.py", *args], self.env)

    def log(self, tail: int = 4000) -> str:
        """The end of gunicorn's output (requests are not logged, errors and tracebacks are)."""
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except FileNotFoundError:
            return ""


@contextlib.contextmanager
def live_app(*, workers: int = 2) -> Iterator[LiveApp]:
    """Make a database, migrate it, load the reference data and the personas (demo password), collect
    static files, start gunicorn on a free port and yield once it answers. Everything is undone on exit."""
    workdir = Path(tempfile.mkdtemp(prefix="bvntd-browser-"))
    database = server = None
    try:
        database = _Database.create(os.environ.get("DATABASE_URL", ""), workdir)
        env = _app_env(database.url, workdir)
        _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
        _run([sys.executable, "manage.py", "load_reference", "-v0"], env)
        _run([sys.executable, "-c", _CREATE_PERSONAS], env)
        # STATIC_ROOT is the shared var/static; collecting is idempotent and WhiteNoise serves from there.
        _run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        port = _free_port()
        log_path = workdir / "gunicorn.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "5",
                    # The default control socket is one fixed path in $HOME, shared by concurrent runs.
                    "--no-control-socket",
                ],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        app = LiveApp(url=f"http://127.0.0.1:{port}", env=env, workdir=workdir, log_path=log_path)
        _wait_until_up(app, server)
        yield app
    finally:
        if server is not None:
            _stop(server)
        if database is not None:
            database.drop()
        if os.environ.get("BVNTD_KEEP_LIVE_APP") != "1":
            shutil.rmtree(workdir, ignore_errors=True)


_CREATE_PERSONAS = (
    "import django; django.setup(); from bvntd.core.personas import create_personas; create_personas()"
)

# Variables the app reads that we set; their *_FILE twins would win over our values, so they are dropped.
_OVERRIDDEN = (
    "DATABASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
    "SECURE_COOKIES",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "TASK_BACKEND",
    "EMAIL_BACKEND",
    "MEDIA_ROOT",
)


def _app_env(database_url: str, workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    for name in _OVERRIDDEN:
        env.pop(f"{name}_FILE", None)
    media = workdir / "media"
    media.mkdir()
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONUNBUFFERED="1",
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=Fernet.generate_key().decode(),  # any long random string will do
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        BLIND_INDEX_KEY=Fernet.generate_key().decode(),
        SECURE_COOKIES="0",  # plain http on 127.0.0.1
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS="",
        SITE_URL="http://127.0.0.1",
        TASK_BACKEND="django.tasks.backends.immediate.ImmediateBackend",  # no worker needed
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MEDIA_ROOT=str(media),
    )
    return env


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        command,
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command[1:])} failed with exit code {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        )
    return result.stdout


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(app: LiveApp, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {server.returncode}:\n{app.log()}")
        try:
            with urllib.request.urlopen(app.url + "/", timeout=2) as response:  # noqa: S310 - our own http URL
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            _stop(server)
            raise RuntimeError(
                f"gunicorn did not answer on {app.url} within {START_TIMEOUT_SECONDS} s:\n{app.log()}"
            )
        time.sleep(0.1)


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()  # SIGTERM: gunicorn's graceful shutdown
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=5)


@dataclass
class _Database:
    url: str
    postgres_admin: dict | None = None  # connection parameters of the server's maintenance database
    name: str = ""

    @classmethod
    def create(cls, configured_url: str, workdir: Path) -> "_Database":
        parsed = urlparse(configured_url)
        if parsed.scheme not in {"postgres", "postgresql"}:
            return cls(url=f"sqlite:///{workdir / 'browser.sqlite3'}")
        import psycopg
        from psycopg import sql

        name = f"bvntd_browser_{os.getpid()}"
        admin = _postgres_admin_params(parsed)
        with psycopg.connect(**admin, autocommit=True) as connection:
            _terminate_and_drop(connection, name)  # left over from a crashed run with the same pid
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = urlunparse(parsed._replace(path=f"/{name}"))
        return cls(url=url, postgres_admin=admin, name=name)

    def drop(self) -> None:
        if self.postgres_admin is None:
            return
        import psycopg

        with psycopg.connect(**self.postgres_admin, autocommit=True) as connection:
            _terminate_and_drop(connection, self.name)


def _postgres_admin_params(parsed) -> dict:
    """Connection parameters for running CREATE/DROP DATABASE: the server's `postgres` database, or the
    database in the URL when `postgres` is not open to this user."""
    import psycopg

    params = {
        "host": parsed.hostname or "",
        "port": parsed.port or "",
        "user": unquote(parsed.username or ""),
        "password": unquote(parsed.password or ""),
        **dict(parse_qsl(parsed.query)),
    }
    params = {key: value for key, value in params.items() if value != ""}
    for dbname in ("postgres", unquote(parsed.path.lstrip("/"))):
        try:
            psycopg.connect(**params, dbname=dbname, connect_timeout=5).close()
        except psycopg.OperationalError as error:
            last_error = error
            continue
        return {**params, "dbname": dbname}
    raise RuntimeError(f"cannot connect to PostgreSQL to create the browser-test database: {last_error}")


def _terminate_and_drop(connection, name: str) -> None:
    from psycopg import sql

    connection.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        [name],
    )
    connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
