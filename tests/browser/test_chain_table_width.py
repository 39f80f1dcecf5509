"""The editor's chain table (with its Åtgärder column) fits a 1280 px wide screen in every
area: neither the page nor the table's frame scrolls sideways, and the last row's "Ner"
is on screen. On a phone the rows are cards and the page does not scroll sideways
either. Screenshots of the table at 1280, 1366 and 390 px are kept with the test's files
for a person to look at."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from malomraden.models import Malomrade

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWNERS_AREA = "/omraden/forutsattningar-for-arbete/"

WIDTHS_JS = """() => {
    const table = document.querySelector('table.kedja');
    const frame = table.closest('.tabellram');
    return {
        page: document.documentElement.scrollWidth,
        window: document.documentElement.clientWidth,
        table: table.scrollWidth,
        frame: frame.clientWidth,
        frameScroll: frame.scrollWidth,
    };
}"""


def _check_fits(page: Page, where: str) -> None:
    w = page.evaluate(WIDTHS_JS)
    assert w["page"] <= w["window"], f"{where}: sidan är bredare än fönstret: {w}"
    assert w["table"] <= w["frame"], f"{where}: tabellen är bredare än sin ram: {w}"
    assert w["frameScroll"] <= w["frame"], f"{where}: tabellens ram rullar i sidled: {w}"
    last_down = page.locator("table.kedja").get_by_role("button", name="Flytta ner").last
    last_down.scroll_into_view_if_needed()
    expect(last_down).to_be_in_viewport(ratio=1)
    box = last_down.bounding_box()
    assert box is not None and box["x"] + box["width"] <= w["window"], where


def test_the_editors_table_fits_1280_in_every_area(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "omradesansvarig")
    page.goto(live_server.url + OWNERS_AREA)
    _check_fits(page, OWNERS_AREA)
    sign_in(page, "stadsdirektor")  # edits every area
    for area in Malomrade.objects.all():
        page.goto(live_server.url + area.get_absolute_url())
        expect(page.get_by_role("columnheader", name="Åtgärder")).to_be_visible()
        _check_fits(page, area.get_absolute_url())


def test_screenshots_at_1280_1366_and_on_a_phone(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    tmp_path: Path,
    check_accessibility: Any,
) -> None:
    sign_in(page, "omradesansvarig")
    for width in (1280, 1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + OWNERS_AREA)
        w = page.evaluate(WIDTHS_JS)
        assert w["page"] <= w["window"], f"{width}: {w}"
        assert w["table"] <= w["frame"], f"{width}: {w}"
        page.locator("table.kedja").screenshot(path=tmp_path / f"kedjetabell-{width}.png")
        page.screenshot(path=tmp_path / f"omradessida-{width}.png")
    # On the phone the Åtgärder are in each card.
    expect(page.locator("table.kedja thead")).not_to_be_in_viewport()
    expect(page.get_by_role("button", name="Flytta ner").first).to_be_visible()
    check_accessibility(page)
