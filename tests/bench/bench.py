"""`make bench`: latency of the main pages at scale, under a production server.

Serves the application with gunicorn and production settings (DEBUG off) on the
PostgreSQL database in $DATABASE_URL, fills it with the scale data if it is empty
(`generate_scale_data`: 40 areas × 60 rows, 30 periods, ~70,000 reports), warms up, then
times each page with one client, one request at a time. Prints one line per page:

    name median_ms=… p95_ms=… floor_ratio=… queries=…

and a summary line last. The floor is a minimal Django view (/halsa/) on the same server:
what any request costs before the page does its own work. A benchmark, not a test: it
prints figures and does not fail on a slow machine.
"""

import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
WARMUP = int(os.environ.get("BENCH_WARMUP", "10"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "50"))
PASSWORD = "skala"

ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DB_CONN_MAX_AGE": "60",
    "QUERY_COUNT_HEADER": "true",
}


class Session:
    """A signed-in browser, without a browser: cookies, CSRF token, timings."""

    def __init__(self, username: str) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.get("/konto/logga-in/")
        self.post("/konto/logga-in/", {"username": username, "password": PASSWORD})
        if "sessionid" not in {c.name for c in self.cookies}:
            sys.exit(f"bench: could not sign in as {username}")

    @property
    def csrf(self) -> str:
        return next(c.value or "" for c in self.cookies if c.name == "csrftoken")

    def _open(self, request: urllib.request.Request) -> tuple[float, int, str, str]:
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                body = response.read().decode()
                status, queries = response.status, response.headers.get("X-Query-Count", "?")
        except urllib.error.HTTPError as error:
            body, status, queries = error.read().decode(), error.code, "?"
        return (time.perf_counter() - started) * 1000, status, queries, body

    def get(self, path: str) -> tuple[float, int, str, str]:
        return self._open(urllib.request.Request(BASE + path))  # noqa: S310 - loopback only

    def post(
        self, path: str, data: dict[str, str], htmx: bool = False
    ) -> tuple[float, int, str, str]:
        headers = {"X-CSRFToken": self.csrf, "Referer": BASE + path}
        if htmx:
            headers["HX-Request"] = "true"
        request = urllib.request.Request(  # noqa: S310 - loopback only
            BASE + path, data=urllib.parse.urlencode(data).encode(), headers=headers
        )
        return self._open(request)


def manage(*args: str) -> str:
    run = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True
    )
    return run.stdout


def measure(name: str, call: object, floor: float | None) -> dict[str, float]:
    timings, queries = [], "?"
    for i in range(WARMUP + SAMPLES):
        ms, status, queries, _ = call()  # type: ignore[operator]
        if status >= 400:
            sys.exit(f"bench: {name} answered {status}")
        if i >= WARMUP:
            timings.append(ms)
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    ratio = f"{median / floor:.1f}" if floor else "1.0"
    print(
        f"{name} median_ms={median:.1f} p95_ms={p95:.1f} floor_ratio={ratio} queries={queries}",
        flush=True,
    )
    return {"median": median, "p95": p95}


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench: set DATABASE_URL to a PostgreSQL database (make bench does)")
    manage("migrate", "--noinput", "-v0")
    counts = manage(
        "shell",
        "--no-imports",
        "-c",
        "from malomraden.models import Program; print(Program.objects.count())",
    )
    if counts.strip() == "0":
        started = time.monotonic()
        print(manage("generate_scale_data").strip(), flush=True)
        print(f"scale_data seconds={time.monotonic() - started:.1f}", flush=True)

    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "boras_social.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/halsa/", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        director, official = Session("skala-direktor"), Session("skala-tj-001")
        _, _, _, mine = official.get("/mina-rader/")
        row_ids = [int(x) for x in re.findall(r'id="lage-(\d+)"', mine)]
        if not row_ids:
            sys.exit("bench: the official has no rows")
        period = manage(
            "shell",
            "--no-imports",
            "-c",
            "from effektkedjor.models import Rapportperiod as P; print(P.current().pk)",
        ).strip()
        posts = iter(range(10**6))

        def report() -> tuple[float, int, str, str]:
            row = row_ids[next(posts) % len(row_ids)]
            data = {
                "period": period,
                "datum": time.strftime("%Y-%m-%d"),
                "status": "pagar",
                "bedomning": "enligt_plan",
                "kommentar": "Mätning",
            }
            return official.post(f"/rader/{row}/rapportera/", data, htmx=True)

        floor = measure("floor", lambda: director.get("/halsa/"), None)["median"]
        results = {
            "dashboard": measure("dashboard", lambda: director.get("/instrumentpanel/"), floor),
            "area_page": measure("area_page", lambda: director.get("/omraden/omrade-01/"), floor),
            "mina_rader": measure("mina_rader", lambda: official.get("/mina-rader/"), floor),
            "report_post": measure("report_post", report, floor),
        }
        # PDF reports: the seed programme (on its own SQLite database) and one area at scale.
        seed_db = ROOT / ".bench-seed.sqlite3"
        seed_db.unlink(missing_ok=True)
        seed_env = {**ENV, "DATABASE_URL": f"sqlite:///{seed_db}"}
        for command in (["migrate", "-v0"], ["load_program"], ["create_demo", "--force"]):
            subprocess.run(
                [PYTHON, "manage.py", *command],
                cwd=ROOT,
                env=seed_env,
                check=True,
                capture_output=True,
            )
        timing = str(ROOT / "tests" / "bench" / "pdf_timing.py")
        subprocess.run([PYTHON, timing, "pdf_seed_programme"], cwd=ROOT, env=seed_env, check=True)
        subprocess.run(
            [PYTHON, timing, "pdf_area_at_scale", "omrade-01"], cwd=ROOT, env=ENV, check=True
        )
        seed_db.unlink(missing_ok=True)

        targets = {"dashboard": 100, "area_page": 100, "mina_rader": 100, "report_post": 50}
        met = [n for n, r in results.items() if r["median"] < targets[n]]
        print(
            f"summary pages={len(results)} median_targets_met={len(met)}/{len(results)} "
            f"floor_ms={floor:.1f} rows=2400 samples={SAMPLES}",
            flush=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
