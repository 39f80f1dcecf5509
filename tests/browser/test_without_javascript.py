"""Everything works without JavaScript too: the same links and forms lead to full pages."""

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from effektkedjor.models import Kedjerad, Lagesrapport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREA = "/omraden/forutsattningar-for-arbete/"


@pytest.fixture
def page_without_js(browser: Browser) -> Any:
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_official_reports_and_edits_without_javascript(
    page_without_js: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    page = page_without_js
    sign_in(page, "tjansteperson")
    assert page.url.endswith("/mina-rader/")
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    # No report for the period yet (the demo data reports about half of the rows).
    Lagesrapport.objects.filter(rad=row, period__aktuell=True).delete()
    page.reload()
    page.locator(f"#rad-{row.pk}").get_by_role("link", name="Rapportera läget").click()
    expect(page.get_by_role("heading", name="Ny lägesrapport")).to_be_visible()
    page.get_by_label("Klar").check()
    page.get_by_label("Enligt plan").check()
    page.get_by_role("button", name="Spara rapporten").click()
    assert page.url.endswith("/mina-rader/")
    expect(page.get_by_role("status").first).to_contain_text("sparades")
    expect(page.locator(f"#rad-{row.pk}")).to_contain_text("Klar")
    assert Lagesrapport.objects.filter(rad=row).latest("skapad").status == "klar"

    page.goto(live_server.url + AREA)
    page.locator(f"#rad-{row.pk}").get_by_role("link", name="Ändra").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ändra raden")
    page.get_by_label("Tid, kommentar").fill("löpande")
    page.get_by_role("button", name="Spara").click()
    assert page.url.endswith(AREA + f"#rad-{row.pk}")
    expect(page.locator(f"#rad-{row.pk}")).to_contain_text("löpande")


def test_owner_moves_and_deletes_without_javascript(
    page_without_js: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    page = page_without_js
    sign_in(page, "omradesansvarig")
    rows = list(
        Kedjerad.objects.filter(malomrade__slug="forutsattningar-for-arbete").order_by("ordning")
    )
    page.goto(live_server.url + AREA)
    page.locator(f"#rad-{rows[1].pk}").get_by_role("button", name="Flytta upp").click()
    order = list(
        Kedjerad.objects.filter(malomrade__slug="forutsattningar-for-arbete")
        .order_by("ordning")
        .values_list("pk", flat=True)
    )
    assert order[:2] == [rows[1].pk, rows[0].pk]
    expect(page.get_by_role("status").first).to_contain_text("flyttades upp")

    # A row without reports in a closed period (those are kept: tested elsewhere).
    Lagesrapport.objects.filter(rad=rows[0], period__stangd=True).delete()
    page.locator(f"#rad-{rows[0].pk}").get_by_role("link", name="Ta bort").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ta bort raden")
    page.get_by_role("button", name="Ta bort").click()
    expect(page.get_by_role("status").first).to_contain_text("togs bort")
    assert not Kedjerad.objects.filter(pk=rows[0].pk).exists()
