"""Export of indicator values (issue 13): an area's or the programme's indicators, one line
per value with its source ("Källa"), Swedish headings, numbers as numbers, no formulas,
in a fixed number of queries; linked from Rapporter and the area page."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from effektkedjor.models import Indikator, Indikatorvarde
from tests.builders import make_indicator
from tests.personas import World, make_world

pytestmark = pytest.mark.django_db

HEADINGS = [
    "Målområde",
    "Nyckeltal",
    "Långsiktiga effekter",
    "Enhet",
    "Riktning",
    "År",
    "Period",
    "Kön",
    "Värde",
    "Källa",
    "Kolada-KPI",
    "Kommun (Kolada-id)",
    "Hämtad eller inmatad",
    "Utgångsläge, år",
    "Utgångsläge",
    "Mål, år",
    "Mål",
]


def _indicators(w: World) -> tuple[Indikator, Indikator, Indikator]:
    kolada = make_indicator(
        w.area,
        effects=[w.effect],
        namn="Arbetslösa 18–65 år, andel (%)",
        kalla="kolada",
        kolada_kpi="N03920",
        enhet="procent",
        riktning="lagre",
        baslinje_ar=2016,
        baslinje_varde=Decimal("8.00"),
        mal_ar=2030,
        mal_varde=Decimal(6),
    )
    for year, kon, value in [(2023, "T", "7.10"), (2024, "T", "7.30"), (2024, "K", "6.70")]:
        Indikatorvarde.objects.create(
            indikator=kolada, ar=year, kon=kon, varde=Decimal(value), kalla="kolada"
        )
    Indikatorvarde.objects.create(indikator=kolada, ar=2025, kon="T", varde=None, kalla="kolada")
    own = make_indicator(
        w.area,
        namn="Förvärvsarbetande på Norrby (antal)",
        kalla_text="Exempeldata – inte Borås verkliga siffror",
        values={2024: 190},
    )
    empty = make_indicator(w.area, namn="Språkscreening, åk F (%)")
    make_indicator(w.other_area, namn="Trångboddhet (%)", values={2024: 15})
    return kolada, own, empty


def _lines(content: bytes) -> list[dict[str, object]]:
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.values)
    assert list(rows[0]) == HEADINGS
    return [dict(zip(HEADINGS, r, strict=True)) for r in rows[1:]]


def test_an_areas_indicator_values_as_xlsx_with_their_source(client: Client) -> None:
    w = make_world()
    _indicators(w)
    client.force_login(w.users["member"])
    response = client.get("/export/nyckeltal.xlsx", {"omrade": "arbete"})
    assert response.status_code == 200
    assert 'filename="nyckeltal-arbete.xlsx"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Nyckeltal"]
    lines = _lines(response.content)
    # Only this area's: four values of the Kolada indicator, one of the own, and a line
    # for the indicator without values.
    assert [(x["Nyckeltal"], x["År"], x["Kön"]) for x in lines] == [
        ("Arbetslösa 18–65 år, andel (%)", 2023, "Totalt"),
        ("Arbetslösa 18–65 år, andel (%)", 2024, "Kvinnor"),
        ("Arbetslösa 18–65 år, andel (%)", 2024, "Totalt"),
        ("Arbetslösa 18–65 år, andel (%)", 2025, "Totalt"),
        ("Förvärvsarbetande på Norrby (antal)", 2024, "Totalt"),
        ("Språkscreening, åk F (%)", None, None),
    ]
    first = lines[0]
    assert first["Målområde"] == "Förutsättningar för arbete"
    assert first["Långsiktiga effekter"] == "I Borås ska alla ha utbildning på gymnasienivå"
    assert first["Värde"] == 7.1 and isinstance(first["Värde"], float)  # a number, not text
    assert (first["Enhet"], first["Riktning"]) == ("%", "Lägre är bättre")
    assert (first["Källa"], first["Kolada-KPI"], first["Kommun (Kolada-id)"]) == (
        "Kolada",
        "N03920",
        "1490",
    )
    assert (first["Utgångsläge, år"], first["Utgångsläge"], first["Mål, år"], first["Mål"]) == (
        2016,
        8,
        2030,
        6,
    )
    assert lines[3]["Värde"] is None  # Kolada's missing value stays missing
    assert lines[4]["Värde"] == 190
    assert lines[4]["Källa"] == "Exempeldata – inte Borås verkliga siffror"
    assert lines[5]["Källa"] == "Borås Stad"


def test_the_programmes_indicator_values_as_csv_with_swedish_letters(client: Client) -> None:
    w = make_world()
    _indicators(w)
    client.force_login(w.users["member"])
    response = client.get("/export/nyckeltal.csv")
    assert 'filename="nyckeltal-hela-programmet.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffMålområde,Nyckeltal,Långsiktiga effekter,Enhet,Riktning,År")
    assert "Trångboddhet (%)" in text and "Boende" in text
    assert ",7.1,Kolada,N03920," in text
    assert "Exempeldata – inte Borås verkliga siffror" in text


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)"])
def test_formulas_are_neutralised(client: Client, dangerous: str) -> None:
    w = make_world()
    make_indicator(w.area, namn=dangerous, kalla_text=dangerous, values={2024: 1})
    client.force_login(w.users["member"])
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/export/nyckeltal.xlsx").content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value and dangerous in str(c.value)]
    assert len(cells) == 2  # the name and the source
    assert all(c.data_type == "s" and str(c.value).startswith("'") for c in cells)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    csv_text = client.get("/export/nyckeltal.csv").content.decode().replace('"', "")
    assert csv_text.count("'" + dangerous.replace('"', "")) == 2


def test_unknown_format_area_and_anonymous(client: Client) -> None:
    w = make_world()
    assert client.get("/export/nyckeltal.xlsx")["Location"].startswith("/konto/logga-in/")
    client.force_login(w.users["member"])
    assert client.get("/export/nyckeltal.pdf").status_code == 404
    assert client.get("/export/nyckeltal.csv", {"omrade": "finns-inte"}).status_code == 404


def test_the_export_runs_a_fixed_number_of_queries(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["member"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/export/nyckeltal.xlsx").status_code == 200
        return len(ctx.captured_queries)

    _indicators(w)
    small = count()
    for n in range(6):
        make_indicator(
            w.other_area if n % 2 else w.area,
            effects=[w.effect] if n % 2 == 0 else None,
            values={2020 + y: y for y in range(5)},
        )
    assert count() == small


def test_rapporter_and_the_area_page_link_to_the_export(client: Client) -> None:
    w = make_world()
    make_indicator(w.area, namn="Valdeltagande (%)", values={2022: 81})
    client.force_login(w.users["member"])
    reports = client.get("/rapporter/").content.decode()
    assert 'href="/export/nyckeltal.xlsx"' in reports and 'href="/export/nyckeltal.csv"' in reports
    area = client.get(w.area.get_absolute_url()).content.decode()
    assert 'href="/export/nyckeltal.xlsx?omrade=arbete"' in area
    assert 'href="/export/nyckeltal.csv?omrade=arbete"' in area
