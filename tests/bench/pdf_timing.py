"""Time one committee report as PDF, beside a floor: WeasyPrint rendering a plain table
with the same number of rows. bench.py calls `time_report` for an area on the scale data
(in its own process, where Django is set up) and runs this file for the seed programme,
on a database of its own:

    DATABASE_URL=sqlite:///… python tests/bench/pdf_timing.py NAME [AREA-SLUG]
                                                   [--repeat N] [--load-seed] [--wait]

--load-seed first fills the (new) database with the seed programme and the demo
accounts, as `make run` does; with --wait it then prints `ready` and renders only when a
line comes on standard input (bench.py sets it up while it prepares the pages). Prints `NAME pages=… seconds=… floor_seconds=… rows=…`
(medians of N renders after a warm-up; N is 3 unless given; with 0, one cold render).
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def seconds(work: Callable[[], Any], repeat: int) -> float:
    """The median time of `repeat` runs after one untimed warm-up run (fonts, Pango); with
    `repeat` 0, the time of one cold run."""
    started = time.perf_counter()
    work()
    cold = time.perf_counter() - started
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) if timings else cold


def time_report(name: str, area_slug: str | None, repeat: int) -> str:
    """The report's line: the whole programme's report, or the area's, in the current
    period (or the first, if none is current). Needs Django set up."""
    import weasyprint

    from effektkedjor import reports
    from effektkedjor.models import Rapportperiod
    from malomraden.models import Malomrade

    area = Malomrade.objects.get(slug=area_slug) if area_slug else None
    period = Rapportperiod.current() or Rapportperiod.objects.first()
    assert period is not None
    rows = pages = 0

    def render() -> None:
        nonlocal rows, pages
        data = reports.report_data(period, area)
        rows, pages = reports.row_count(data), reports.render_pdf(data, hela=area is None)[1]

    report_seconds = seconds(render, repeat)
    cells = "".join(
        f"<tr><td>Rad {i}</td><td>Kortsiktig effekt</td><td>Prestation</td><td>Aktivitet {i}</td>"
        f"<td>Ansvar</td><td>Pågår</td></tr>"
        for i in range(rows)
    )
    head = "<th>K</th>" * 6
    plain = (
        "<html lang='sv'><title>Golv</title>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table></html>"
    )
    floor = seconds(lambda: weasyprint.HTML(string=plain).write_pdf(pdf_variant="pdf/ua-1"), repeat)
    return (
        f"{name} pages={pages} seconds={report_seconds:.2f} floor_seconds={floor:.2f} rows={rows}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Time one committee report as PDF.")
    parser.add_argument("name")
    parser.add_argument("area", nargs="?", help="an area's slug; the whole programme if left out")
    parser.add_argument("--repeat", type=int, default=3, help="timed renders (0: one cold render)")
    parser.add_argument("--load-seed", action="store_true", help="load the seed programme first")
    parser.add_argument(
        "--wait",
        action="store_true",
        help="when set up, print 'ready' and render only after a line on standard input",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boras_social.settings")
    import django
    from django.core.management import call_command
    from django.test import override_settings

    django.setup()
    if args.load_seed:
        # A throwaway database for one report: its tables straight from the models, as
        # `pytest --nomigrations` makes them (1 s instead of 6 s of migrations), and a fast
        # password hasher for the demo accounts, which nobody signs in to here.
        from django.apps import apps

        quick = override_settings(
            MIGRATION_MODULES={app.label: None for app in apps.get_app_configs()},
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        )
        with open(os.devnull, "w") as quiet, quick:
            call_command("migrate", run_syncdb=True, verbosity=0, stdout=quiet)
            call_command("load_program", stdout=quiet)
            call_command("create_demo", "--force", stdout=quiet)
    if args.wait:
        import weasyprint  # noqa: F401 - a few seconds, spent before the caller's go-ahead

        print("ready", flush=True)
        if not sys.stdin.readline():
            return  # the caller stopped before the go-ahead
    print(time_report(args.name, args.area, args.repeat), flush=True)


if __name__ == "__main__":
    main()
