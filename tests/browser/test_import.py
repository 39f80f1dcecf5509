"""An area owner exports their area, edits the file in a spreadsheet program (here:
openpyxl), imports it, previews and confirms."""

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Page, expect

from effektkedjor.models import Kedjerad

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_exports_edits_imports_and_confirms(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    tmp_path: Path,
) -> None:
    exporter = Client()
    exporter.force_login(User.objects.get(username="omradesansvarig"))
    content = exporter.get("/export/rader.xlsx", {"omrade": "forutsattningar-for-arbete"}).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    headings = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headings.index("Resurser") + 1, value="Två handledare, 120 000 kr")
    sheet.append(
        [
            None,
            "Förutsättningar för arbete",
            "Målområdet som helhet",
            "Fler i arbete",
            "Kunskap",
            "Jobbmässa i Borås",
            "ALF och AF",
            "2027-03",
            None,
        ]
    )
    edited = tmp_path / "forutsattningar.xlsx"
    book.save(edited)

    sign_in(page, "omradesansvarig")
    page.goto(live_server.url + "/omraden/forutsattningar-for-arbete/")
    page.get_by_role("link", name="Läs in från kalkylblad").click()
    page.get_by_label("Kalkylblad (.xlsx eller .csv)").set_input_files(str(edited))
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("status").first).to_contain_text("1 ny, 1 ändrad")
    expect(page.get_by_role("table")).to_contain_text("120 000 kr")
    check_accessibility(page)
    assert not Kedjerad.objects.filter(aktivitet="Jobbmässa i Borås").exists()

    page.get_by_role("button", name="Bekräfta inläsningen (1 ny, 1 ändrad)").click()
    expect(page.get_by_role("status").first).to_contain_text("Effektkedjan lästes in")
    new = Kedjerad.objects.for_display().get(aktivitet="Jobbmässa i Borås")
    assert [o.kod for o in new.ansvariga_organisationer.all()] == ["ALF", "AF"]
    assert Kedjerad.objects.get(aktivitet="Uppsökande verksamhet").resurser_belopp == 120000
