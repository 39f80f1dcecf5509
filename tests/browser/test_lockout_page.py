"""The lockout page after too many wrong passwords is Swedish and passes the page checks."""

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import HtmlChecker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lockout_page_is_accessible(
    page: Page,
    live_server: Any,
    demo_users: None,
    check_accessibility: Any,
    html_checker: HtmlChecker,
) -> None:
    for _ in range(5):
        page.goto(f"{live_server.url}/konto/logga-in/")
        page.get_by_label("Användarnamn").fill("tjansteperson")
        page.get_by_label("Lösenord").fill("fel-lösenord")
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "För många inloggningsförsök"
    assert "tillfälligt spärrad" in page.get_by_role("alert").inner_text()
    check_accessibility(page)
    html_checker.add(page.url, page.content())
    assert html_checker.errors() == []
