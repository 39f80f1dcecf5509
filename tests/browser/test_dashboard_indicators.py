"""The dashboard's "Rör sig effekterna?" in a browser (issue 13): the demo's indicators per
area by status, a number leads to the indicators behind it and on to an indicator's page;
axe and the Nu checker pass on both pages, at a desktop's and a phone's width."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_effects_section_counts_and_leads_to_the_indicators(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: Any,
) -> None:
    sign_in(page, "namndledamot")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/instrumentpanel/")
        section = page.locator(
            "section", has=page.get_by_role("heading", name="Rör sig effekterna?")
        )
        table = section.get_by_role("table", name="Nyckeltal per målområde och status")
        expect(table).to_be_visible()
        # The demo: Förutsättningar för arbete has five indicators, three on track and two
        # off track (example data).
        line = table.get_by_role("row", name="Förutsättningar för arbete")
        expect(line.get_by_role("cell")).to_have_text(
            [
                "5 nyckeltal för Förutsättningar för arbete",
                "3 i fas, Förutsättningar för arbete",
                "2 inte i fas, Förutsättningar för arbete",
                "0",
            ]
        )
        expect(table.get_by_role("row", name="Hela programmet")).to_be_visible()
        check_accessibility(page)
        html_checker.add("/instrumentpanel/", page.content())
        # The table fits the page (or scrolls within its frame) at either width.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    line = page.get_by_role("row", name="Förutsättningar för arbete").first
    line.get_by_role("link", name="2 inte i fas, Förutsättningar för arbete").click()
    expect(page.get_by_role("heading", name="Nyckeltal: inte i fas", level=1)).to_be_visible()
    listing = page.get_by_role("table")
    expect(listing.get_by_role("row")).to_have_count(3)  # the heading row and two
    expect(listing).to_contain_text("Källa: Exempeldata – inte Borås verkliga siffror")
    check_accessibility(page)
    html_checker.add("/instrumentpanel/nyckeltal/", page.content())

    name = "Arbetslösa 18–24 år, öppet arbetslösa och i program, andel (%)"
    listing.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    assert html_checker.errors() == []
