"""`make bench` keeps working: its script runs as `make bench` runs it (production settings,
none of the test run's own overrides from tests/environment.py, such as HTTPS=false) with
a handful of samples on a small data set, and prints every line it should.

It broke once without anyone noticing: the production settings turned HTTPS on when
DEBUG is off, the benchmark's server then redirected every request to https://, and the
script died with an SSL error before its first figure. The figures themselves are not
checked (a benchmark does not fail on a slow machine); their shape is, and a page that
errs, redirects away or does not save a report stops the script (tests/bench/bench.py).

The database is a new one beside the suite's: an SQLite file, or a second database on the
suite's PostgreSQL server (dropped afterwards), so the script migrates and fills it as
`make bench` does an empty database.
"""

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from tests.conftest import ROOT

# About 20 s of CPU: three samples per page, two areas of ten rows, one cold PDF each.
QUICK = [
    *("--samples", "3", "--warmup", "1", "--workers", "1", "--pdf-repeat", "0"),
    *("--areas", "2", "--rows", "10", "--periods", "3", "--users", "20"),
    # Half the rows unreported, so that the official has some to report on.
    *("--report-share", "0.5"),
]
# What tests/environment.py sets for the test run only; `make bench` has none of it.
TEST_RUN_ONLY = {
    "DEBUG",
    "SECRET_KEY",
    "HTTPS",
    "STATIC_MANIFEST",
    "TEST_SQLITE_NAME",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
MS = r"\d+\.\d"
PAGE = rf"median_ms={MS} p95_ms={MS} floor_ratio={MS} queries=\d+"
PDF = r"pages=[1-9]\d* seconds=\d+\.\d\d floor_seconds=\d+\.\d\d rows=[1-9]\d*"
EXPECTED_LINES = [
    r"Skaldata: 2 målområden, 20 rader, 3 perioder, \d+ lägesrapporter, 20 användare .*",
    rf"scale_data seconds={MS}",
    *(
        rf"{page} {PAGE}"
        for page in ("floor", "dashboard", "area_page", "mina_rader", "report_post")
    ),
    rf"pdf_seed_programme {PDF}",
    rf"pdf_area_at_scale {PDF}",
    rf"summary pages=4 median_targets_met=[0-4]/4 floor_ms={MS} rows=20 samples=3",
]


def _pg_params(name: str) -> dict[str, Any]:
    db = settings.DATABASES["default"]
    params = {"dbname": name, "host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
    params["password"] = db["PASSWORD"]
    return {k: v for k, v in params.items() if v}


@pytest.fixture
def bench_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database for the script: a file on SQLite; on PostgreSQL, a second
    database on the suite's server, dropped afterwards."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        return
    name = f"test_{db['NAME']}_bench"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(**_pg_params("postgres"), autocommit=True) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    auth = quote(db["USER"], safe="") + (
        ":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else ""
    )
    yield f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    with psycopg.connect(**_pg_params("postgres"), autocommit=True) as admin:
        admin.execute(drop)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_benchmark_prints_every_figure_on_a_small_data_set(bench_database_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in TEST_RUN_ONLY}
    env["DATABASE_URL"] = bench_database_url
    run = subprocess.run(
        [sys.executable, "tests/bench/bench.py", *QUICK, "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    output = f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}"
    assert run.returncode == 0, output
    lines = run.stdout.splitlines()
    assert len(lines) == len(EXPECTED_LINES), output
    for line, expected in zip(lines, EXPECTED_LINES, strict=True):
        assert re.fullmatch(expected, line), f"{line!r} is not {expected!r}\n{output}"
