"""One way to write a date wherever a person reads one: "31 augusti 2026" (and with a
time "31 augusti 2026 kl. 14:05"), on every page and in the PDF. Machine-readable places
keep ISO dates: `<time datetime>`, form inputs and the spreadsheet export."""

import re
import subprocess
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from effektkedjor.models import Kedjerad, Lagesrapport, Rapportperiod

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# "31 augusti 2026", "1 januari 2026"
SWEDISH_DATE = re.compile(
    r"\b\d{1,2} (januari|februari|mars|april|maj|juni|juli|augusti|september|oktober"
    r"|november|december) \d{4}\b"
)
# What a person reads: the text of the page, without the values in form fields.
VISIBLE_TEXT_JS = "() => document.body.innerText"


def _iso_dates_shown(page: Page) -> list[str]:
    text = page.evaluate(VISIBLE_TEXT_JS)
    return [line.strip() for line in text.splitlines() if ISO_DATE.search(line)]


def test_pages_write_dates_one_way(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    current = Rapportperiod.current()
    assert current is not None
    # A report on the row in the current period, corrected once, so the row's history
    # lists a change of the report's date.
    report = Lagesrapport.objects.filter(rad=row, period=current).first()
    if report is None:
        report = Lagesrapport.objects.create(
            rad=row, period=current, status="pagar", bedomning="enligt_plan"
        )
    report.datum = current.start
    report.save()
    closed = Rapportperiod.objects.filter(stangd=True).order_by("start").first()
    assert closed is not None

    sign_in(page, "stadsdirektor")
    paths = [
        f"/rader/{row.pk}/",
        "/rapporter/",
        f"/rapporter/{current.pk}/forutsattningar-for-arbete/",
        f"/rapporter/{closed.pk}/",
        "/instrumentpanel/",
        "/omraden/forutsattningar-for-arbete/",
    ]
    shown: dict[str, list[str]] = {}
    for path in paths:
        page.goto(live_server.url + path)
        if found := _iso_dates_shown(page):
            shown[path] = found
    sign_in(page, "tjansteperson")
    page.goto(live_server.url + "/mina-rader/")
    if found := _iso_dates_shown(page):
        shown["/mina-rader/"] = found
    assert shown == {}, f"Datum skrivna som ÅÅÅÅ-MM-DD: {shown}"

    # The row page writes its reports' dates the Swedish way, each in a <time> element
    # that keeps the ISO date for machines.
    sign_in(page, "stadsdirektor")
    page.goto(live_server.url + f"/rader/{row.pk}/")
    reports = page.locator("table", has=page.get_by_text("Alla lägesrapporter för raden"))
    first = reports.locator("tbody tr").first.locator("time")
    assert ISO_DATE.fullmatch(first.get_attribute("datetime") or "")
    assert SWEDISH_DATE.fullmatch(first.inner_text().strip())

    # The committee report names its period's dates the same way.
    page.goto(live_server.url + f"/rapporter/{current.pk}/")
    start = timezone.localdate().replace(month=1, day=1)
    assert f"{start.day} januari {start.year}" in page.locator("main").inner_text()


def test_the_pdf_writes_dates_one_way(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any, tmp_path: Any
) -> None:
    current = Rapportperiod.current()
    assert current is not None
    sign_in(page, "namndledamot")
    response = page.request.get(
        f"{live_server.url}/rapporter/{current.pk}/forutsattningar-for-arbete/pdf/"
    )
    assert response.status == 200
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert ISO_DATE.findall(text) == []
    assert SWEDISH_DATE.search(text)
