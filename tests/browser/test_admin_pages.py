"""The Django admin, as the admin account uses it, passes the same checks as every page:
its index, every model's list, add form and the change form of one object."""

from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import HtmlChecker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pages_pass_axe_and_html_checks(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: HtmlChecker,
) -> None:
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/admin/")
    changelists = sorted(
        {
            urlparse(h).path
            for h in page.eval_on_selector_all(
                "#content-main table a[href]", "els => els.map(e => e.href)"
            )
            # /admin/<app>/<model>/, not app indexes or add links
            if urlparse(h).path.count("/") == 4 and not urlparse(h).path.endswith("/add/")
        }
    )
    assert len(changelists) >= 10
    paths = ["/admin/"]
    for changelist in changelists:
        page.goto(live_server.url + changelist)
        first = page.locator("#result_list tbody th a").first
        paths.append(changelist)
        paths.append(changelist + "add/")
        if first.count():
            paths.append(urlparse(first.get_attribute("href") or "").path)
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None
        if path.endswith("/add/") and response.status == 403:
            continue  # a model nobody adds by hand (task results, snapshots, PDF orders)
        assert response.status == 200, path
        check_accessibility(page)
        html_checker.add(path, response.text())
    assert html_checker.errors() == []
