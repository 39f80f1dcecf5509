"""The server keeps working when the database restarts under it: while PostgreSQL is
down every request gets a clean Swedish 503 page at once, and when it is back the same
workers and the same signed-in session carry on."""

import contextlib
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from tests.builders import make_user
from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
DOWN_TEXT = "Tjänsten är tillfälligt otillgänglig"
PASSWORD = "Omstart-2026-databas"  # a throwaway cluster's only user


def _postgres_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder, like .ci/with-postgres."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="effektkedjor-omstart-"))
        self.port = _free_port()
        shutil.chown(self.dir, "postgres", "postgres")
        self._as_postgres(
            "initdb", "-D", str(self.dir / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8"
        )
        self.start()
        subprocess.run(
            [
                *("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"),
                *("-qc", "CREATE DATABASE effektkedjor"),
            ],
            check=True,
            capture_output=True,
        )
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/effektkedjor"

    def _as_postgres(self, tool: str, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self.bin / tool), *args],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        data, log = str(self.dir / "data"), str(self.dir / "log")
        self._as_postgres("pg_ctl", "-D", data, "-l", log, "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres("pg_ctl", "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    bin_dir = _postgres_bin()
    require_tool(
        bin_dir is not None and os.geteuid() == 0 and shutil.which("psql") is not None,
        "PostgreSQL (initdb, pg_ctl, psql) och root",
    )
    assert bin_dir is not None
    started = Cluster(bin_dir)
    try:
        yield started
    finally:
        started.remove()


class Browser:
    """A signed-in user without a browser: cookies and the CSRF token of the form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - loopback

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body))  # noqa: S310

    def _open(self, request: urllib.request.Request) -> tuple[int, str, dict[str, str]]:
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def sign_in(self, username: str, password: str) -> None:
        _, page, _ = self.get("/konto/logga-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the sign-in page has no CSRF token"
        status, page, _ = self.post(
            "/konto/logga-in/",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
        )
        assert status == 200 and "Logga ut" in page, "could not sign in"


def _children(pid: int) -> set[int]:
    """The process ids of the gunicorn master's workers."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def test_requests_fail_cleanly_while_the_database_is_down_and_recover(cluster: Cluster) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "DEBUG": "false",
        "SECRET_KEY": "omstart-test-secret-key",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "false",
        "DB_CONN_MAX_AGE": "60",
    }
    python = str(ROOT / ".venv" / "bin" / "python")

    def manage(*args: str) -> str:
        return subprocess.run(
            [python, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def task_status(task_id: str) -> str:
        return manage(
            "shell",
            "--no-imports",
            "-c",
            "from django_tasks_db.models import DBTaskResult; "
            f"print(DBTaskResult.objects.get(id='{task_id}').status)",
        ).strip()

    def enqueue() -> str:
        # A PDF order that does not exist: the task fails at once, which is enough to
        # show the worker took it from the queue.
        return manage(
            "shell",
            "--no-imports",
            "-c",
            "from effektkedjor.tasks import make_pdf; print(make_pdf.enqueue(0).id)",
        ).strip()

    def wait_until_taken(task_id: str) -> str:
        for _ in range(60):
            status = task_status(task_id)
            if status not in {"READY", "RUNNING"}:
                return status
            time.sleep(0.5)
        return status

    manage("migrate", "--noinput", "-v0")
    manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user('omstart', password='{PASSWORD}')",
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            *(str(ROOT / ".venv" / "bin" / "gunicorn"), "boras_social.wsgi:application"),
            *("--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "critical"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # The task worker as `make serve` runs it, retrying quickly for the test.
    worker = subprocess.Popen(
        [python, "manage.py", "task_worker", "--retry-seconds", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_until_taken(enqueue()) == "FAILED"
        browser = Browser(f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                browser.get("/halsa/")
                break
            except OSError:
                time.sleep(0.1)
        browser.sign_in("omstart", PASSWORD)
        # Several requests per phase, so that both workers (and their kept
        # connections) are exercised, whichever one gunicorn hands each request to.
        for _ in range(4):
            status, page, _ = browser.get("/mina-rader/")
            assert status == 200 and "Mina rader" in page
        workers = _children(server.pid)
        assert len(workers) == 2

        cluster.stop("fast")
        for _ in range(4):
            started = time.monotonic()
            status, page, headers = browser.get("/mina-rader/")
            assert time.monotonic() - started < 3, "the server hung on the stopped database"
            assert status == 503
            assert DOWN_TEXT in page and "Försök igen om en liten stund" in page
            assert headers["Retry-After"] == "30"
        # The health check touches no table: the load balancer keeps the server in.
        assert browser.get("/halsa/")[0] == 200
        # Away for a few seconds, as a real restart is: long enough for the task worker,
        # which looks for work every second, to run into it.
        time.sleep(3)

        cluster.start()
        for _ in range(4):
            status, page, _ = browser.get("/mina-rader/")
            assert status == 200 and "Mina rader" in page and "Logga ut" in page
        assert _children(server.pid) == workers, "a worker was restarted"
        # The task worker outlived the restart and takes new work again.
        assert worker.poll() is None, "the task worker died with the database"
        assert wait_until_taken(enqueue()) == "FAILED"
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=10)
        worker.wait(timeout=10)


@pytest.mark.django_db
def test_database_error_inside_the_middleware_gives_the_503_page(client: Client) -> None:
    """The session is read by the middleware before any view runs: a database error
    there must give the same page, not the generic error page."""
    client.raise_request_exception = False  # the client would re-raise what Django handled
    client.force_login(make_user("olle"))
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/mina-rader/")
    assert response.status_code == 503
    assert DOWN_TEXT in response.content.decode()
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_database_error_in_a_view_gives_the_503_page(client: Client) -> None:
    client.raise_request_exception = False
    client.force_login(make_user("olle"))
    with mock.patch(
        "effektkedjor.views.status.Rapportperiod.current",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = client.get("/mina-rader/")
    assert response.status_code == 503
    assert DOWN_TEXT in response.content.decode()


@pytest.mark.django_db
def test_other_errors_still_give_the_500_page(client: Client) -> None:
    client.raise_request_exception = False
    client.force_login(make_user("olle"))
    with mock.patch(
        "effektkedjor.views.status.Rapportperiod.current", side_effect=ValueError("bug")
    ):
        response = client.get("/mina-rader/")
    assert response.status_code == 500
    assert DOWN_TEXT not in response.content.decode()
