"""Time one committee report as PDF, beside a floor: WeasyPrint rendering a plain table
with the same number of rows. Run by bench.py with Django's settings in the environment:

    python tests/bench/pdf_timing.py NAME [AREA-SLUG]

Prints `NAME pages=… seconds=… floor_seconds=… rows=…` (medians of 3 after a warm-up).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boras_social.settings")

import django

django.setup()

import weasyprint  # noqa: E402

from effektkedjor import reports  # noqa: E402
from effektkedjor.models import Rapportperiod  # noqa: E402
from malomraden.models import Malomrade  # noqa: E402


def median_seconds(work: object, repeat: int = 3) -> float:
    work()  # type: ignore[operator]  # warm-up: fonts, Pango
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    name = sys.argv[1]
    area = Malomrade.objects.get(slug=sys.argv[2]) if len(sys.argv) > 2 else None
    period = Rapportperiod.current() or Rapportperiod.objects.first()
    assert period is not None
    data = reports.report_data(period, area)
    rows = reports.row_count(data)
    pages = reports.render_pdf(data, hela=area is None)[1]
    seconds = median_seconds(
        lambda: reports.render_pdf(reports.report_data(period, area), hela=area is None)
    )
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
    floor = median_seconds(lambda: weasyprint.HTML(string=plain).write_pdf(pdf_variant="pdf/ua-1"))
    print(
        f"{name} pages={pages} seconds={seconds:.2f} floor_seconds={floor:.2f} rows={rows}",
        flush=True,
    )


if __name__ == "__main__":
    main()
