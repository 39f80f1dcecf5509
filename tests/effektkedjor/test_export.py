"""Spreadsheet export: the seed's headings, the period's state, no formulas, and a sheet
laid out for reading (named, wrapped, frozen, filtered, numbers as numbers)."""

import io

import openpyxl
import pytest
from django.test import Client

from effektkedjor.models import Kedjerad, Lagesrapport
from effektkedjor.spreadsheets.exporting import sheet_name
from effektkedjor.spreadsheets.importing import preview_import
from effektkedjor.spreadsheets.reading import read_table
from tests.builders import make_effect
from tests.personas import make_world

pytestmark = pytest.mark.django_db

HEADINGS = [
    "Långsiktiga effekter",
    "Kortsiktiga effekter",
    "Prestation",
    "Aktivitet",
    "Ansvar",
    "Tid",
    "Resurser",
]


def test_area_export_as_xlsx_has_the_seed_headings_and_the_period(client: Client) -> None:
    w = make_world()
    Lagesrapport.objects.create(
        rad=w.row, period=w.period, status="pagar", bedomning="risk", kommentar="Två nya samarbeten"
    )
    client.force_login(w.users["member"])
    response = client.get("/export/rader.xlsx", {"omrade": "arbete"})
    assert response["Content-Disposition"].startswith("attachment")
    assert (
        f"effektkedjor-arbete-{w.period.namn.lower().replace(' ', '-').replace('å', 'a')}.xlsx"
        in response["Content-Disposition"]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    headings = list(rows[0])
    assert headings[0] == "ID"
    assert all(h in headings for h in HEADINGS)
    assert f"Status ({w.period.namn})" in headings
    line = dict(zip(headings, rows[1], strict=True))
    assert line["ID"] == w.row.pk
    assert line["Aktivitet"] == "Uppsökande verksamhet"
    assert line["Ansvar"] == "ALF"
    assert line[f"Status ({w.period.namn})"] == "Pågår"
    assert line[f"Bedömning ({w.period.namn})"] == "Risk för avvikelse"
    assert line[f"Kommentar ({w.period.namn})"] == "Två nya samarbeten"
    assert len(rows) == 3


def test_programme_export_as_csv_opens_with_swedish_letters(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["member"])
    response = client.get("/export/rader.csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffID,Målområde,Långsiktiga effekter")
    assert "Översyn av styrande dokument" in text and "Förutsättningar för arbete" in text


@pytest.mark.parametrize(
    "dangerous", ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\tflik", "\rretur"]
)
def test_formulas_are_neutralised_in_every_export(client: Client, dangerous: str) -> None:
    w = make_world()
    Kedjerad.objects.filter(pk=w.row.pk).update(aktivitet=dangerous, prestation=dangerous)
    Lagesrapport.objects.create(
        rad=w.row, period=w.period, status="klar", bedomning="enligt_plan", kommentar=dangerous
    )
    client.force_login(w.users["member"])
    word = dangerous.strip("\t\r")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/export/rader.xlsx").content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value and word in str(c.value)]
    assert len(cells) == 3  # activity, output, comment
    assert all(c.data_type == "s" and str(c.value).startswith("'") for c in cells)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    csv_text = client.get("/export/rader.csv").content.decode().replace('"', "")
    assert csv_text.count("'" + dangerous.replace('"', "")) == 3
    reports = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/export/lagesrapporter/{w.period.pk}.xlsx").content)
    ).active
    neutralised = [c for row in reports.iter_rows() for c in row if str(c.value).startswith("'")]
    assert len(neutralised) == 2  # the activity and the comment
    assert not [c for row in reports.iter_rows() for c in row if c.data_type == "f"]


def test_status_reports_of_a_period(client: Client) -> None:
    w = make_world()
    Lagesrapport.objects.create(
        rad=w.row,
        period=w.period,
        status="klar",
        bedomning="enligt_plan",
        kommentar="Klart",
        forfattare=w.users["official"],
    )
    Lagesrapport.objects.create(rad=w.row, period=w.closed_period, status="pagar", bedomning="risk")
    client.force_login(w.users["member"])
    response = client.get(f"/export/lagesrapporter/{w.period.pk}.csv")
    assert (
        f'filename="lagesrapporter-{w.period.namn.lower().replace(" ", "-").replace("å", "a")}.csv"'
        in response["Content-Disposition"]
    )
    lines = response.content.decode().strip().splitlines()
    assert (
        lines[0]
        == "\ufeffID,Rad-ID,Målområde,Aktivitet,Period,Datum,Status,Bedömning,Kommentar,Författare"
    )
    assert len(lines) == 2 and "Klart" in lines[1] and "Official" in lines[1]


def test_unknown_format_and_anonymous(client: Client) -> None:
    w = make_world()
    assert client.get("/export/rader.xlsx")["Location"].startswith("/konto/logga-in/")
    client.force_login(w.users["member"])
    assert client.get("/export/rader.pdf").status_code == 404
    assert client.get(f"/export/lagesrapporter/{w.period.pk}.exe").status_code == 404


def test_the_xlsx_sheet_is_laid_out_for_reading_and_filtering(client: Client) -> None:
    """Named after the area; wrapped text in bounded widths; the heading row frozen and
    filtered; IDs and amounts as numbers; every long-term effect, one without rows too,
    and the same file imports with zero changes."""
    w = make_world()
    Kedjerad.objects.filter(pk=w.row.pk).update(
        resurser="Två handledare", resurser_belopp=120000, prestation="x" * 300
    )
    lonely = make_effect(w.area, text="I Borås ska ingen rad ännu bidra hit")
    client.force_login(w.users["member"])
    content = client.get("/export/rader.xlsx", {"omrade": "arbete"}).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    assert book.sheetnames == ["Förutsättningar för arbete"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}4"
    widths = [sheet.column_dimensions[c[0].column_letter].width for c in sheet.columns]
    assert max(widths) <= 50 and min(widths) >= 8
    headings = [c.value for c in sheet[1]]
    first = {h: c for h, c in zip(headings, sheet[2], strict=True)}
    assert first["ID"].value == w.row.pk and first["ID"].data_type == "n"
    assert first["Belopp (kr)"].value == 120000 and first["Belopp (kr)"].data_type == "n"
    assert first["Resurser"].value == "Två handledare"
    assert first["Prestation"].alignment.wrap_text
    last = dict(zip(headings, [c.value for c in sheet[4]], strict=True))
    assert last["Långsiktiga effekter"] == lonely.text and last["ID"] is None
    assert last["Aktivitet"] is None and last["Målområde"] == "Förutsättningar för arbete"

    for fmt in ("xlsx", "csv"):
        data = client.get(f"/export/rader.{fmt}", {"omrade": "arbete"}).content
        preview = preview_import(read_table(data, f"export.{fmt}"), w.area)
        assert [line.kind for line in preview.lines] == ["oförändrad", "oförändrad"], fmt
        assert (preview.new_effects, preview.missing) == ([], [])


def test_sheet_names_follow_excels_rules() -> None:
    assert sheet_name("Förutsättningar för arbete") == "Förutsättningar för arbete"
    name = sheet_name("Område: [Norrby]/Hässleholmen * utveckling? \\ 2026 och mer text")
    assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert sheet_name("") == "Effektkedja"


def test_the_programme_and_report_sheets_are_named_too(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["member"])
    book = openpyxl.load_workbook(io.BytesIO(client.get("/export/rader.xlsx").content))
    assert book.sheetnames == ["Hela programmet"]
    url = f"/export/lagesrapporter/{w.period.pk}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    assert book.sheetnames == [f"Lägesrapporter {w.period.namn}"]
