"""`make bench`: latency of the main pages at scale, under a production server.

Serves the application with gunicorn and production settings (DEBUG off) on the
database in $DATABASE_URL (PostgreSQL for `make bench`; an SQLite file works too, for
the quick test), fills it with the scale data if it is empty (`generate_scale_data`: by
default 40 areas × 60 rows, 30 periods, ~70,000 reports), warms up, then times each page
with one client, one request at a time. Prints one line per page:

    name median_ms=… p95_ms=… floor_ratio=… queries=…

then one line per PDF report (tests/bench/pdf_timing.py) and a summary line last. The
floor is a minimal Django view (/halsa/) on the same server: what any request costs
before the page does its own work. A benchmark, not a test: it prints figures and does
not fail on a slow machine. It does fail, with a message, when a page does not answer as
it should (an error, a redirect off the server, a report that was not saved), so that
tests/bench/test_bench.py, which runs it with a handful of samples on a small data set,
notices when it breaks.

    python tests/bench/bench.py [--samples N] [--warmup N] [--areas N] [--rows N]
        [--periods N] [--users N] [--report-share X] [--pdf-repeat N] [--workers N]
        [--port N]
"""

import argparse
import http.cookiejar
import importlib
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.client import HTTPMessage
from pathlib import Path
from typing import IO, NoReturn

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.pdf_timing import time_report  # noqa: E402
from tests.load.pages import form_fields, report_saved  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "skala"  # generate_scale_data's default
HTMX = {"HX-Request": "true"}

# The production settings, but for these (read from the environment by settings.py).
SETTINGS = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key",
    # Plain HTTP on loopback, as the load test serves it: with HTTPS on (the default when
    # DEBUG is off) every request would be redirected to https://, which nothing answers.
    "HTTPS": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DB_CONN_MAX_AGE": "60",
    "QUERY_COUNT_HEADER": "true",
    # Plain static file names instead of collectstatic's manifest: the benchmark fetches
    # no static file, a manifest lookup is one dict lookup per {% static %}, and
    # collecting (and compressing) the admin's files would take a minute of every run.
    "STATIC_MANIFEST": "false",
}

# Time in ms, status, X-Query-Count, body, headers (named as the server sent them).
Answer = tuple[float, int, str, str, dict[str, str]]


def options(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--samples",
        type=int,
        default=int(env("BENCH_SAMPLES", "50")),
        help="timed requests per page (at least 2; BENCH_SAMPLES, default 50)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=int(env("BENCH_WARMUP", "10")),
        help="untimed requests per page first (BENCH_WARMUP, default 10)",
    )
    scale = parser.add_argument_group(
        "data size", "passed to generate_scale_data when the database is empty"
    )
    scale.add_argument("--areas", type=int, default=int(env("BENCH_AREAS", "40")))
    scale.add_argument("--rows", type=int, default=int(env("BENCH_ROWS", "60")), help="per area")
    scale.add_argument("--periods", type=int, default=int(env("BENCH_PERIODS", "30")))
    scale.add_argument("--users", type=int, default=int(env("BENCH_USERS", "300")))
    scale.add_argument(
        "--report-share",
        type=float,
        default=float(env("BENCH_REPORT_SHARE", "0.97")),
        help="share of rows with a report in each period",
    )
    parser.add_argument(
        "--pdf-repeat",
        type=int,
        default=int(env("BENCH_PDF_REPEAT", "3")),
        help="timed renders per PDF report after a warm-up; 0: one cold render "
        "(BENCH_PDF_REPEAT, default 3)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(env("BENCH_WORKERS", "2")),
        help="gunicorn workers (BENCH_WORKERS, default 2)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(env("BENCH_PORT", "8765")),
        help="the server's port on 127.0.0.1 (BENCH_PORT, default 8765)",
    )
    args = parser.parse_args(argv)
    if args.samples < 2:
        parser.error("--samples must be at least 2 (a median and a p95 need two)")
    return args


def fail(message: str) -> NoReturn:
    sys.exit(f"bench: {message}")


class StayOnServer(urllib.request.HTTPRedirectHandler):
    """Follows redirects within the benchmark's server only: a redirect elsewhere (to
    https://, say) is a broken set-up, reported as such instead of as an SSL error."""

    def __init__(self, base: str) -> None:
        self.base = base

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not newurl.startswith(self.base + "/"):
            fail(f"{req.full_url} redirected to {newurl}, off the plain HTTP server")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Session:
    """A signed-in browser, without a browser: cookies, CSRF token, timings."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), StayOnServer(base)
        )
        self.get("/konto/logga-in/")
        self.post("/konto/logga-in/", {"username": [username], "password": [PASSWORD]})
        if "sessionid" not in {c.name for c in self.cookies}:
            fail(f"could not sign in as {username}")

    @property
    def csrf(self) -> str:
        return next(c.value or "" for c in self.cookies if c.name == "csrftoken")

    def _open(self, request: urllib.request.Request) -> Answer:
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                body = response.read().decode()
                status, headers = response.status, dict(response.headers.items())
        except urllib.error.HTTPError as error:
            body, status, headers = error.read().decode(), error.code, dict(error.headers.items())
        ms = (time.perf_counter() - started) * 1000
        return ms, status, headers.get("X-Query-Count", "?"), body, headers

    def get(self, path: str, htmx: bool = False) -> Answer:
        request = urllib.request.Request(  # noqa: S310 - loopback only
            self.base + path, headers=HTMX if htmx else {}
        )
        return self._open(request)

    def post(self, path: str, data: dict[str, list[str]], htmx: bool = False) -> Answer:
        headers = {"X-CSRFToken": self.csrf, "Referer": self.base + path}
        if htmx:
            headers |= HTMX
        request = urllib.request.Request(  # noqa: S310 - loopback only
            self.base + path,
            data=urllib.parse.urlencode(data, doseq=True).encode(),
            headers=headers,
        )
        return self._open(request)


def prepare(o: argparse.Namespace) -> tuple[int, str]:
    """Migrates the database and fills it with the scale data if it is empty, in this
    process (each Django start costs seconds); returns its row count and first area."""
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boras_social.settings")
    django.setup()
    from django.db import connections

    from effektkedjor.models import Kedjerad
    from malomraden.models import Malomrade, Program

    call_command("migrate", verbosity=0)
    if not Program.objects.exists():
        started, out = time.monotonic(), io.StringIO()
        call_command(
            "generate_scale_data",
            areas=o.areas,
            rows=o.rows,
            periods=o.periods,
            users=o.users,
            report_share=o.report_share,
            stdout=out,
        )
        print(out.getvalue().strip(), flush=True)
        print(f"scale_data seconds={time.monotonic() - started:.1f}", flush=True)
    rows, first = Kedjerad.objects.count(), Malomrade.objects.order_by("ordning").first()
    if first is None:
        fail("the database has a programme but no areas (not scale data?)")
    connections.close_all()
    return rows, first.slug


def measure(
    name: str, call: Callable[[], Answer], floor: float | None, o: argparse.Namespace
) -> float:
    """Prints the page's line; returns its median in ms."""
    timings, queries = [], "?"
    for i in range(o.warmup + o.samples):
        ms, status, queries, _, _ = call()
        if status >= 400:
            fail(f"{name} answered {status}")
        if i >= o.warmup:
            timings.append(ms)
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    ratio = f"{median / floor:.1f}" if floor else "1.0"
    print(
        f"{name} median_ms={median:.1f} p95_ms={p95:.1f} floor_ratio={ratio} queries={queries}",
        flush=True,
    )
    return median


def serve(base: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "boras_social.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    # Generous: on a busy machine the workers take a while to import the application.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            fail(f"gunicorn stopped (exit {server.returncode})")
        try:
            urllib.request.urlopen(base + "/halsa/", timeout=5).read()  # noqa: S310 - loopback
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    fail(f"gunicorn did not answer on {base} within two minutes")


class SeedPdf:
    """The seed programme's PDF, timed in a process of its own on an SQLite database of
    its own (tests/bench/pdf_timing.py --wait). It loads the programme and WeasyPrint
    while the server starts, and renders only when told to, after the pages are timed."""

    def __init__(self, work: Path, repeat: int) -> None:
        command = [PYTHON, str(ROOT / "tests" / "bench" / "pdf_timing.py")]
        command += ["pdf_seed_programme", "--load-seed", "--wait", "--repeat", str(repeat)]
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'seed.sqlite3'}"}
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def _failed(self) -> NoReturn:
        self.process.kill()
        fail(f"pdf_timing.py pdf_seed_programme failed (exit {self.process.wait()})")

    def wait_until_ready(self) -> None:
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            self._failed()

    def line(self) -> str:
        out, _ = self.process.communicate("go\n", timeout=600)
        if self.process.returncode:
            self._failed()
        return out.strip()


def bench(o: argparse.Namespace, work: Path) -> None:
    rows, area = prepare(o)
    # Untimed set-up side by side, while this process mostly waits for the server to start
    # and sign the users in: the seed programme's PDF process, and WeasyPrint's import
    # (seconds) for the area's PDF.
    seed_pdf = SeedPdf(work, o.pdf_repeat)
    try:
        measure_all(o, seed_pdf, rows, area)
    finally:
        if seed_pdf.process.poll() is None:
            seed_pdf.process.kill()
            seed_pdf.process.wait()


def measure_all(o: argparse.Namespace, seed_pdf: SeedPdf, rows: int, area: str) -> None:
    weasyprint = threading.Thread(target=importlib.import_module, args=["weasyprint"], daemon=True)
    weasyprint.start()
    base = f"http://127.0.0.1:{o.port}"
    server = serve(base, o.port, o.workers)
    try:
        director, official = Session(base, "skala-direktor"), Session(base, "skala-tj-001")
        seed_pdf.wait_until_ready()
        weasyprint.join()
        _, _, _, mine, _ = official.get("/mina-rader/")
        # The rows the official may report on now (the page links their report forms).
        row_ids = sorted({int(x) for x in re.findall(r'href="/rader/(\d+)/rapportera/', mine)})
        if not row_ids:
            fail("the official has no row to report on in Mina rader")
        posts = iter(range(10**6))

        def report() -> Answer:
            # The form as the browser gets it (untimed: it carries the CSRF token and what
            # a save needs, such as the version of a report being corrected), then the
            # timed save, which must come back saved.
            path = f"/rader/{row_ids[next(posts) % len(row_ids)]}/rapportera/"
            fields = form_fields(official.get(path, htmx=True)[3])
            fields |= {
                "status": ["pagar"],
                "bedomning": ["enligt_plan"],
                "kommentar": ["Mätning"],
            }
            answer = official.post(path, fields, htmx=True)
            if not report_saved(answer[1], answer[4]):
                fail(f"report_post: {path} was not saved (status {answer[1]})")
            return answer

        floor = measure("floor", lambda: director.get("/halsa/"), None, o)
        medians = {
            "dashboard": measure("dashboard", lambda: director.get("/instrumentpanel/"), floor, o),
            "area_page": measure("area_page", lambda: director.get(f"/omraden/{area}/"), floor, o),
            "mina_rader": measure("mina_rader", lambda: official.get("/mina-rader/"), floor, o),
            "report_post": measure("report_post", report, floor, o),
        }
    finally:
        server.terminate()
        server.wait(timeout=10)

    # PDF reports, one after the other: the seed programme and one area at scale (here).
    print(seed_pdf.line(), flush=True)
    print(time_report("pdf_area_at_scale", area, o.pdf_repeat), flush=True)

    targets = {"dashboard": 100, "area_page": 100, "mina_rader": 100, "report_post": 50}
    met = [n for n, median in medians.items() if median < targets[n]]
    print(
        f"summary pages={len(medians)} median_targets_met={len(met)}/{len(medians)} "
        f"floor_ms={floor:.1f} rows={rows} samples={o.samples}",
        flush=True,
    )


def main() -> None:
    o = options()
    if not os.environ.get("DATABASE_URL"):
        fail("set DATABASE_URL to the database to fill and time (make bench starts PostgreSQL)")
    with tempfile.TemporaryDirectory(prefix="effektkedjor-bench-") as work:
        # An empty STATIC_ROOT: WhiteNoise warns on every start when there is none.
        (Path(work) / "static").mkdir()
        os.environ.update(SETTINGS, STATIC_ROOT=str(Path(work) / "static"))
        bench(o, Path(work))


if __name__ == "__main__":
    main()
