"""An area owner exports their area, edits the file in a spreadsheet program (here:
openpyxl), imports it, previews and confirms; a file without IDs: an edited activity
made a change of its row, rows not in the file kept or removed, with and without
JavaScript."""

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from effektkedjor.models import Kedjerad
from tests.browser.conftest import HtmlChecker

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


def _edited_without_ids(tmp_path: Path) -> tuple[Path, str]:
    """The area's export as someone keeps it like the slides: no ID column, one activity
    reworded, one row left out. Returns the file and the activity left out."""
    exporter = Client()
    exporter.force_login(User.objects.get(username="omradesansvarig"))
    content = exporter.get("/export/rader.xlsx", {"omrade": "forutsattningar-for-arbete"}).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    headings = [c.value for c in sheet[1]]
    activity = headings.index("Aktivitet") + 1
    for line in range(2, sheet.max_row + 1):
        if sheet.cell(line, activity).value == "Uppsökande verksamhet":
            sheet.cell(
                line, activity
            ).value = "Uppsökande verksamhet i samverkan med Arbetsförmedlingen"
    # A row that may be removed: none of its reports is in a closed period.
    left_out = next(
        r.aktivitet
        for r in Kedjerad.objects.filter(malomrade__slug="forutsattningar-for-arbete")
        .exclude(rapporter__period__stangd=True)
        .order_by("-ordning")
    )
    for line in range(sheet.max_row, 1, -1):
        if sheet.cell(line, activity).value == left_out:
            sheet.delete_rows(line)
    sheet.delete_cols(headings.index("ID") + 1)
    path = tmp_path / "som-bilderna.xlsx"
    book.save(path)
    return path, str(left_out)


def test_an_edited_activity_becomes_a_change_and_rows_not_in_the_file_are_listed(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: HtmlChecker,
    tmp_path: Path,
) -> None:
    """Issue 12, point 3 (with JavaScript: a changed choice redraws the preview)."""
    edited, left_out = _edited_without_ids(tmp_path)
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    count = Kedjerad.objects.count()

    sign_in(page, "omradesansvarig")
    page.goto(live_server.url + "/omraden/forutsattningar-for-arbete/import/")
    page.get_by_label("Kalkylblad (.xlsx eller .csv)").set_input_files(str(edited))
    page.get_by_role("button", name="Förhandsgranska").click()
    status = page.get_by_role("status").first
    expect(status).to_contain_text("1 ny, 0 ändrade")
    expect(status).to_contain_text("2 rader i målområdet finns inte i filen och behålls")
    expect(page.get_by_text("Läste bladet Förutsättningar för arbete")).to_be_visible()
    missing = page.get_by_role("list", name="Finns inte i filen")
    expect(missing.get_by_role("checkbox", name=f"Ta bort ”{left_out}”")).not_to_be_checked()
    expect(missing).to_contain_text("Uppsökande verksamhet")
    check_accessibility(page)
    html_checker.add("förhandsgranskning med val", page.content())

    page.get_by_role("radio", name="Ändring av ”Uppsökande verksamhet”").check()
    expect(status).to_contain_text("0 nya, 1 ändrad")  # redrawn in place
    expect(page.get_by_role("radio", name="Ändring av ”Uppsökande verksamhet”")).to_be_checked()
    expect(page.get_by_role("table")).to_contain_text(
        "”Uppsökande verksamhet” → ”Uppsökande verksamhet i samverkan med Arbetsförmedlingen”"
    )
    expect(status).to_contain_text("1 rad i målområdet finns inte i filen")
    check_accessibility(page)
    html_checker.add("förhandsgranskning, ändring vald", page.content())

    page.get_by_role("button", name="Bekräfta inläsningen (0 nya, 1 ändrad)").click()
    expect(page.get_by_role("status").first).to_contain_text("1 ändrad")
    row.refresh_from_db()
    assert row.aktivitet == "Uppsökande verksamhet i samverkan med Arbetsförmedlingen"
    assert Kedjerad.objects.count() == count  # no duplicate, and the left-out row is kept
    assert Kedjerad.objects.filter(aktivitet=left_out).exists()
    assert html_checker.errors() == []


def test_the_choices_work_without_javascript(
    browser: Browser,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    tmp_path: Path,
) -> None:
    edited, left_out = _edited_without_ids(tmp_path)
    count = Kedjerad.objects.count()
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    sign_in(page, "omradesansvarig")
    page.goto(live_server.url + "/omraden/forutsattningar-for-arbete/import/")
    page.get_by_label("Kalkylblad (.xlsx eller .csv)").set_input_files(str(edited))
    page.get_by_role("button", name="Förhandsgranska").click()
    page.get_by_role("radio", name="Ändring av ”Uppsökande verksamhet”").check()
    page.get_by_role("checkbox", name=f"Ta bort ”{left_out}”").check()
    page.get_by_role("button", name="Uppdatera förhandsgranskningen").click()
    status = page.get_by_role("status").first
    expect(status).to_contain_text("0 nya, 1 ändrad")
    expect(status).to_contain_text("1 av dem tas bort")
    page.get_by_role("button", name="Bekräfta inläsningen (0 nya, 1 ändrad, 1 borttagen)").click()
    expect(page.get_by_role("status").first).to_contain_text("1 borttagen")
    assert Kedjerad.objects.count() == count - 1
    assert not Kedjerad.objects.filter(aktivitet=left_out).exists()
    context.close()
