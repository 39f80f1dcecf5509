"""The dashboard in a browser: filters update the panel in place, the address follows
the filters, the back button brings the previous state back, and a number leads to its
rows."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filters_update_in_place_and_the_back_button_works(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
) -> None:
    sign_in(page, "stadsdirektor")
    page.goto(live_server.url + "/instrumentpanel/")
    expect(page.get_by_role("heading", name="Vad går enligt plan?")).to_be_visible()
    check_accessibility(page)
    page.evaluate("() => { window.__ingenOmladdning = true; }")
    summary = page.locator(".sammanfattning")
    expect(summary).to_contain_text("25 rader")

    page.get_by_label("Målområde:", exact=True).select_option(label="Förutsättningar för arbete")
    expect(summary).to_contain_text("10 rader")
    # Screen readers hear the new figures through the page's own live region.
    expect(page.locator("#live")).to_contain_text("Förutsättningar för arbete: 10 rader")
    expect(page.locator("#live")).to_have_count(1)
    assert "omrade=forutsattningar-for-arbete" in page.url
    assert page.evaluate("() => window.__ingenOmladdning === true")
    check_accessibility(page)

    page.go_back()
    expect(page.locator(".sammanfattning")).to_contain_text("25 rader")
    assert "omrade=" not in page.url

    page.go_forward()
    expect(page.locator(".sammanfattning")).to_contain_text("10 rader")
    page.locator(".sammanfattning").get_by_role("link", name="10 rader").click()
    expect(page.get_by_role("heading", name="Rader", level=1)).to_be_visible()
    expect(page.get_by_text("10 rader.")).to_be_visible()
    check_accessibility(page)
