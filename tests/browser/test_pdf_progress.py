"""Making a PDF report shows that it is being made: while the request is in flight the
link is aria-busy and "Rapporten skapas …" is shown beside it and announced through the
page's live region; then the file is downloaded and the page says it is done. A report
too large to make in the request leads to the task worker's order page, as before;
without JavaScript the link is an ordinary download."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from effektkedjor import reports
from effektkedjor.models import Rapportperiod
from tests.browser.conftest import HtmlChecker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREA = "forutsattningar-for-arbete"


def _current() -> Rapportperiod:
    period = Rapportperiod.current()
    assert period is not None
    return period


def test_the_whole_programme_pdf_says_it_is_being_made(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    tmp_path: Path,
    check_accessibility: Any,
    html_checker: HtmlChecker,
) -> None:
    period = _current()
    sign_in(page, "namndledamot")
    page.goto(live_server.url + "/rapporter/")
    link = page.get_by_role("region", name=period.namn).get_by_role(
        "link", name=f"pdf för hela programmet, {period.namn}"
    )
    with page.expect_download(timeout=60_000) as download_info:
        link.click()
        # In flight: the whole programme takes seconds to make.
        status = link.locator("xpath=following-sibling::*[1]")
        expect(status).to_have_text("Rapporten skapas … det kan ta några sekunder.")
        expect(status).to_be_visible()
        expect(link).to_have_attribute("aria-busy", "true")
        expect(page.locator("#live")).to_have_text("Rapporten skapas … det kan ta några sekunder.")
        check_accessibility(page)
    download = download_info.value
    assert download.suggested_filename == reports.filename(period, None)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    expect(status).to_have_text("Rapporten är klar och har laddats ner.")
    expect(page.locator("#live")).to_have_text("Rapporten är klar och har laddats ner.")
    expect(link).not_to_have_attribute("aria-busy", "true")
    check_accessibility(page)
    html_checker.add(page.url, page.content())
    assert html_checker.errors() == []


def test_the_area_pdf_from_the_report_page(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    period = _current()
    sign_in(page, "namndledamot")
    page.goto(f"{live_server.url}/rapporter/{period.pk}/{AREA}/")
    button = page.get_by_role("link", name="Ladda ner som pdf")
    with page.expect_download(timeout=60_000) as download_info:
        button.click()
        expect(button).to_have_attribute("aria-busy", "true")
        expect(page.locator("main").get_by_text("Rapporten skapas …")).to_be_visible()
    assert download_info.value.suggested_filename.startswith(f"effektkedjor-{AREA}-")
    expect(
        page.locator("main").get_by_text("Rapporten är klar och har laddats ner.")
    ).to_be_visible()


def test_a_large_report_still_goes_to_its_order_page(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any, settings: Any
) -> None:
    settings.PDF_SYNC_MAX_ROWS = 1
    period = _current()
    sign_in(page, "namndledamot")
    page.goto(f"{live_server.url}/rapporter/{period.pk}/")
    page.get_by_role("link", name="Ladda ner som pdf").click()
    page.wait_for_url("**/rapporter/bestallningar/*/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pdf-rapport")


@pytest.fixture
def page_without_js(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def test_without_javascript_the_link_downloads(
    page_without_js: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    page = page_without_js
    period = _current()
    sign_in(page, "namndledamot")
    page.goto(f"{live_server.url}/rapporter/{period.pk}/{AREA}/")
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="Ladda ner som pdf").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
