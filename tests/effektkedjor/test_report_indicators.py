"""The committee report's indicators (issue 13): per area, each indicator's status, chart
and table, on the page and in the PDF; frozen with the period when it closes, so that a
later fetch from Kolada (a real HTTP server on loopback) never changes a closed report."""

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from effektkedjor.models import Indikator, Indikatorvarde, Periodbild
from effektkedjor.services.indicators import fetch_indicators
from effektkedjor.services.reports import close_period
from tests.builders import make_indicator
from tests.conftest import have_command, require_tool
from tests.effektkedjor.test_kolada import Answer, FakeKolada, page, row
from tests.effektkedjor.test_kolada import kolada as kolada
from tests.personas import World, make_world

pytestmark = pytest.mark.django_db

NAME = "Elever i åk 9 som är behöriga till yrkesprogram (%)"


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    require_tool(have_command("pdftotext"), "pdftotext (apt-get install poppler-utils)")
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf)
    raw = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(raw.stdout.split())


def _indicator(w: World) -> Indikator:
    ind = make_indicator(
        w.area,
        effects=[w.effect],
        namn=NAME,
        kalla="kolada",
        kolada_kpi="N15428",
        enhet="procent",
        kon_uppdelat=True,
        baslinje_ar=2020,
        baslinje_varde=Decimal(80),
        baslinje_kommentar="Ca 200 elever om året lämnar åk 9 utan behörighet.",
        mal_ar=2030,
        mal_varde=Decimal(90),
        marginal=Decimal(1),
    )
    for year, kon, value in [
        (2020, "T", "80"),
        (2023, "T", "83.5"),
        (2024, "T", "84"),
        (2024, "K", "86.2"),
        (2024, "M", "81.9"),
    ]:
        Indikatorvarde.objects.create(
            indikator=ind, ar=year, kon=kon, varde=Decimal(value), kalla="kolada"
        )
    return ind


def _area_page(client: Client, w: World) -> str:
    url = reverse("effektkedjor:rapport_omrade", args=[w.period.pk, w.area.slug])
    # Numbers and their units are held together by no-break spaces.
    return client.get(url).content.decode().replace("\u00a0", " ")


def _area_pdf(client: Client, w: World, tmp_path: Path) -> str:
    url = reverse("effektkedjor:rapport_omrade_pdf", args=[w.period.pk, w.area.slug])
    return _pdf_text(client.get(url).content, tmp_path)


def test_the_report_shows_each_indicator_with_status_chart_and_table(client: Client) -> None:
    w = make_world()
    _indicator(w)
    make_indicator(w.other_area, namn="Trångboddhet (%)", values={2024: 15})
    client.force_login(w.users["member"])
    html = _area_page(client, w)
    assert "Nyckeltal: rör sig effekterna?" in html
    assert f'<th scope="row">{NAME}</th>' in html
    assert "84 % (2024)" in html
    assert "+4 procentenheter, bättre (från 80 % 2020)" in html
    assert "40 % av vägen till målet 2030" in html
    assert "I fas" in html and "Källa: Kolada" in html and "Källa: Kolada (N15428)" in html
    assert "Om utgångsläget: Ca 200 elever om året lämnar åk 9 utan behörighet." in html
    assert "Mäter: I Borås ska alla ha utbildning på gymnasienivå." in html
    # The chart is an image with a title and its numbers in words; the table beside it.
    assert re.search(r'<svg class="diagram diagram--linje"[^>]*role="img"', html)
    assert '<title id="rapport-nyckeltal-arbete-' in html
    assert "Totalt: 2020 80 %, 2023 83,5 %, 2024 84 %" in html.replace("\u2212", "-")
    table = html[html.index(f"<caption>{NAME}, värden per år</caption>") :]
    table = table[: table.index("</table>")]
    assert re.findall(r'<th scope="col">([^<]+)</th>', table) == [
        "År",
        "Totalt",
        "Kvinnor",
        "Män",
        "Linjen mot målet",
    ]
    assert '<tr><th scope="row">2024</th><td>84 %</td><td>86,2 %</td><td>81,9 %</td>' in table
    # Only the area's own indicators.
    assert "Trångboddhet" not in html


def test_an_area_without_indicators_says_so(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["member"])
    assert "Målområdet har inga nyckeltal." in _area_page(client, w)


def test_a_closed_report_keeps_its_indicators_whatever_a_later_fetch_brings(
    client: Client, tmp_path: Path, kolada: FakeKolada
) -> None:
    w = make_world()
    ind = _indicator(w)
    client.force_login(w.users["member"])
    close_period(period=w.period)
    html_before = _area_page(client, w)
    pdf_before = _area_pdf(client, w, tmp_path)
    assert "84 % (2024)" in html_before
    assert NAME in pdf_before and "Källa: Kolada" in pdf_before
    assert "86,2 %" in pdf_before  # the table's women's value

    # Kolada revises 2024 and publishes 2025; the fetch stores it.
    kolada.kpi("N15428")
    kolada.on(
        "data/kpi/N15428/municipality/1490/year/2024,2025",
        Answer(
            body=page(
                row("N15428", 2024, ("T", 85.1), ("K", 87.0), ("M", 83.0)),
                row("N15428", 2025, ("T", 88.8), ("K", 90.0), ("M", 87.5)),
            )
        ),
    )
    log = fetch_indicators(client=kolada.client(), years=[2024, 2025])
    assert log.lyckades and log.antal_andrade == 6
    assert ind.varden.get(ar=2024, kon="T").varde == Decimal("85.1")

    # The closed report reads as it did, on the page and in the PDF.
    assert _article(_area_page(client, w)) == _article(html_before)
    assert _area_pdf(client, w, tmp_path) == pdf_before
    snapshot = Periodbild.objects.get(period=w.period).data
    (frozen,) = snapshot["omraden"][0]["nyckeltal"]
    assert frozen["senaste"] == "84\u00a0%" and frozen["senaste_ar"] == "2024"

    # An open period's report shows the fetched figures at once.
    live = reverse("effektkedjor:rapport_omrade", args=[w.closed_period.pk, w.area.slug])
    w.closed_period.stangd = False
    w.closed_period.save()
    assert "88,8\u00a0% (2025)" in client.get(live).content.decode()


def _article(html: str) -> str:
    """The report itself (the page around it has a fresh nonce each time)."""
    return html[html.index('<article class="rapport">') : html.index("</article>")]


def test_a_report_frozen_before_indicators_existed_shows_none(client: Client) -> None:
    w = make_world()
    close_period(period=w.period)
    bild = Periodbild.objects.get(period=w.period)
    for area in bild.data["omraden"]:
        del area["nyckeltal"]  # as the snapshots taken before issue 13 are
    bild.save()
    _indicator(w)  # added later: not part of the closed report
    client.force_login(w.users["member"])
    html = _area_page(client, w)
    assert "Effektkedja och läge" in html
    assert "Nyckeltal: rör sig effekterna?" not in html and NAME not in html
