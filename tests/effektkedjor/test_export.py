"""Spreadsheet export: the seed's headings, the period's state, and no formulas."""

import io

import openpyxl
import pytest
from django.test import Client

from effektkedjor.models import Kedjerad, Lagesrapport
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
