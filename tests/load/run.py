"""`make loadtest`: many people at once against the production server, and nothing lost.

On the PostgreSQL database in $DATABASE_URL (make loadtest starts a throwaway cluster):
migrates, fills it with the scale data if it is empty (`generate_scale_data`: 40 areas ×
60 rows, ~70,000 reports, 300 users), starts the real `make serve` (production settings,
gunicorn with $WEB_CONCURRENCY workers, the task worker) on 127.0.0.1:$LOAD_PORT, and
runs Locust headless: $LOAD_USERS area owners (default 50) for $LOAD_TIME (default 2m)
who sign in through the sign-in form and look at the dashboard with filters, open area
pages, edit chain rows and report status (tests/load/locustfile.py).

Afterwards it checks in the database that every edit and report the server accepted is
there: each accepted report's marker exactly once, each accepted edit's marker in its
row's current text (an edit is only accepted on top of the previous one, so a lost
update would drop a marker), and no refused edit's marker. It prints the figures per
request type and exits non-zero on any failed request or anything missing. Refusals of
stale saves (optimistic locking) are counted apart: they are correct answers.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("LOAD_PORT", "8010"))
BASE = f"http://127.0.0.1:{PORT}"
USERS = int(os.environ.get("LOAD_USERS", "50"))
RUN_TIME = os.environ.get("LOAD_TIME", "2m")
# Sign-in hashes the password (about 0.3 s of CPU): a stampede would measure only that.
SPAWN_RATE = os.environ.get("LOAD_SPAWN_RATE", "2")
PASSWORD = "skala"  # generate_scale_data's default
EDIT_ROWS = 3  # per area: few, so that the area's two owners sometimes collide
REPORT_ROWS = 20
MARKER = re.compile(r"last-[0-9a-f]{8}-u\d{3}-\d{4}")

WORK = Path(tempfile.mkdtemp(prefix="effektkedjor-last-"))
ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": os.environ.get("LOAD_SECRET_KEY") or uuid.uuid4().hex * 2,
    # Plain HTTP on loopback: with HTTPS on, every request would be redirected.
    "HTTPS": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DB_CONN_MAX_AGE": "60",
    "STATIC_ROOT": str(WORK / "static"),
    "HOST": "127.0.0.1",
    "PORT": str(PORT),
    # Two cores: two workers a core, as requests wait on PostgreSQL part of the time.
    "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "4"),
}


def manage(*args: str) -> str:
    run = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True
    )
    return run.stdout


def setup_django() -> None:
    os.environ.update({k: ENV[k] for k in ("DEBUG", "SECRET_KEY", "HTTPS", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boras_social.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_plan() -> dict[str, Any]:
    """The accounts the simulated users sign in as: the areas' owners, two per area, in
    area order, so that users pair up on the same areas; each with its area's rows."""
    from effektkedjor.models import Kedjerad
    from malomraden.models import Malomrade, Omradesansvarig, Organisation

    accounts = []
    owners = (
        Omradesansvarig.objects.filter(person__anvandare__isnull=False)
        .select_related("malomrade", "person__anvandare")
        .order_by("malomrade__ordning", "ordning")
    )
    for owner in owners:
        rows = list(
            Kedjerad.objects.filter(malomrade=owner.malomrade)
            .order_by("ordning", "id")
            .values_list("id", flat=True)[:REPORT_ROWS]
        )
        accounts.append(
            {
                "username": owner.person.anvandare.get_username(),  # type: ignore[union-attr]
                "area": owner.malomrade.slug,
                "edit_rows": rows[:EDIT_ROWS],
                "report_rows": rows,
            }
        )
    if not accounts:
        sys.exit("loadtest: the database has no area owners with accounts (not scale data?)")
    return {
        "password": PASSWORD,
        "accounts": accounts,
        "areas": list(Malomrade.objects.values_list("slug", flat=True)),
        "organisations": list(Organisation.objects.values_list("slug", flat=True)),
    }


def serve() -> subprocess.Popen[bytes]:
    """The real `make serve`, in its own process group so that it stops as a whole."""
    log = open(WORK / "serve.log", "wb")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"loadtest: make serve stopped:\n{tail(WORK / 'serve.log')}")
        try:
            urllib.request.urlopen(BASE + "/halsa/", timeout=2).read()  # noqa: S310 - loopback
        except OSError:
            time.sleep(0.5)
            continue
        # Warm up every worker (URLs, templates) so that the first users do not pay for it.
        for _ in range(4 * int(ENV["WEB_CONCURRENCY"])):
            urllib.request.urlopen(BASE + "/konto/logga-in/", timeout=30).read()  # noqa: S310
        return server
    stop(server)
    sys.exit(f"loadtest: make serve did not answer:\n{tail(WORK / 'serve.log')}")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def figures(name: str, entries: list[dict[str, Any]]) -> str:
    """One line: requests, failures, median and 95th percentile over the entries.
    Locust keeps response times rounded (to 10 ms above 100 ms, 100 ms above 1 s)."""
    times: Counter[int] = Counter()
    for entry in entries:
        times.update({int(ms): n for ms, n in entry["response_times"].items()})
    ordered = sorted(times.elements())
    count = sum(e["num_requests"] for e in entries)
    failed = sum(e["num_failures"] for e in entries)
    median = ordered[len(ordered) // 2] if ordered else 0
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else 0
    return f"{name:<18} {count:>6} {failed:>8} {median:>9} {p95:>7}"


def verify(records: list[dict[str, Any]], run: str) -> dict[str, int]:
    from effektkedjor.models import Kedjerad, Lagesrapport

    by_kind: dict[str, list[dict[str, Any]]] = {
        "edit": [],
        "refused": [],
        "report": [],
        "failure": [],
    }
    for entry in records:
        by_kind[entry["kind"]].append(entry)

    prefix = f"last-{run}-"
    # A row has one report per period, corrected by later saves: every accepted save is
    # one version of it in the history.
    in_reports = Counter(
        m
        for text in Lagesrapport.history.filter(kommentar__contains=prefix).values_list(
            "kommentar", flat=True
        )
        for m in MARKER.findall(text)
    )
    reports_found = sum(1 for e in by_kind["report"] if in_reports[e["marker"]] == 1)

    rows = {e["row"] for e in by_kind["edit"] + by_kind["refused"]}
    texts = dict(Kedjerad.objects.filter(pk__in=rows).values_list("pk", "resurser"))
    in_rows = {m for text in texts.values() for m in MARKER.findall(text) if m.startswith(prefix)}
    edits_found = sum(1 for e in by_kind["edit"] if e["marker"] in texts.get(e["row"], ""))
    refused_applied = sum(1 for e in by_kind["refused"] if e["marker"] in in_rows)
    recorded = {e["marker"] for e in by_kind["edit"]}
    return {
        "edits_accepted": len(by_kind["edit"]),
        "edits_found": edits_found,
        "edits_refused": len(by_kind["refused"]),
        "refused_but_applied": refused_applied,
        "edits_unrecorded": len(in_rows - recorded - {e["marker"] for e in by_kind["refused"]}),
        "reports_accepted": len(by_kind["report"]),
        "reports_found": reports_found,
        "reports_unrecorded": len(set(in_reports) - {e["marker"] for e in by_kind["report"]}),
    }


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("loadtest: set DATABASE_URL to a PostgreSQL database (make loadtest does)")
    manage("migrate", "--noinput", "-v0")
    setup_django()
    from malomraden.models import Program

    if not Program.objects.exists():
        started = time.monotonic()
        print(manage("generate_scale_data").strip(), flush=True)
        print(f"scale_data seconds={time.monotonic() - started:.1f}", flush=True)
    plan = build_plan()
    (WORK / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    record = WORK / "accepted.jsonl"
    record.touch()
    run = uuid.uuid4().hex[:8]

    server = serve()
    try:
        print(
            f"loadtest users={USERS} time={RUN_TIME} workers={ENV['WEB_CONCURRENCY']} "
            f"server={BASE} (make serve)",
            flush=True,
        )
        with open(WORK / "locust.log", "wb") as log:
            locust = subprocess.run(
                [
                    *(str(ROOT / ".venv" / "bin" / "locust"), "-f", "tests/load/locustfile.py"),
                    *("--headless", "--users", str(USERS), "--spawn-rate", SPAWN_RATE),
                    *("--run-time", RUN_TIME, "--stop-timeout", "30", "--host", BASE),
                    *("--json-file", str(WORK / "locust"), "--loglevel", "WARNING"),
                ],
                cwd=ROOT,
                env={
                    **ENV,
                    "LOAD_PLAN": str(WORK / "plan.json"),
                    "LOAD_RECORD": str(record),
                    "LOAD_RUN_ID": run,
                },
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
    finally:
        stop(server)

    # The JSON file is written after the last user has finished (--stop-timeout); the CSV
    # files are not, and would miss the requests of the final seconds.
    if not (WORK / "locust.json").exists():
        sys.exit(f"loadtest: Locust did not finish:\n{tail(WORK / 'locust.log')}")
    entries = json.loads((WORK / "locust.json").read_text(encoding="utf-8"))
    print(f"{'request':<18} {'count':>6} {'failures':>8} {'median_ms':>9} {'p95_ms':>7}")
    for entry in sorted(entries, key=lambda e: e["name"]):
        print(figures(entry["name"], [entry]))
    print(figures("all", entries))
    failures = sum(e["num_failures"] for e in entries)
    requests = sum(e["num_requests"] for e in entries)
    seconds = max(e["last_request_timestamp"] or 0 for e in entries) - min(
        e["start_time"] for e in entries
    )
    records = [json.loads(x) for x in record.read_text(encoding="utf-8").splitlines() if x]
    found = verify(records, run)
    print(
        f"summary requests={requests} req_per_s={requests / seconds:.1f} "
        f"failures={failures} "
        + " ".join(f"{k}={v}" for k, v in found.items())
        + f" locust_exit={locust.returncode}",
        flush=True,
    )
    lost = (
        found["edits_found"] < found["edits_accepted"]
        or found["reports_found"] < found["reports_accepted"]
        or found["refused_but_applied"] > 0
    )
    if failures or lost or locust.returncode != 0:
        print(tail(WORK / "locust.log"), file=sys.stderr)
        reasons = Counter(f"{e['name']}: {e['error']}" for e in records if e["kind"] == "failure")
        for reason, n in reasons.most_common(20):
            print(f"failed {n}× {reason}", file=sys.stderr)
        print(f"loadtest: FAILED (logs in {WORK})", file=sys.stderr)
        sys.exit(1)
    print("loadtest: OK – no failed request, every accepted edit and report is in the database")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
