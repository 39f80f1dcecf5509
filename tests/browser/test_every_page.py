"""Every page every demo account can reach passes axe-core (WCAG 2.1 A/AA) and the Nu
HTML checker. Pages are found by following links, so a new page joins this test as soon
as something links to it."""

import re
from collections import deque
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import HtmlChecker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_ACCOUNTS = ["stadsdirektor", "omradesansvarig", "tjansteperson", "namndledamot", "admin"]
# Not crawled: signing out ends the walk; the Django admin is Django's own interface,
# checked on its own (test_admin_pages.py); static files, PDF and spreadsheet downloads
# are not pages (checked in test_committee_reports.py and test_export.py).
SKIP_PREFIXES = ("/konto/logga-ut/", "/admin/", "/static/", "/export/")
# Pages no link leads to, visited as well.
EXTRA_PATHS = ["/sidan-finns-inte/"]
MAX_PAGES = 400
# Edit forms each account reaches by following links: the roles decide which.
EDIT_PAGES = {
    "stadsdirektor": 25,
    "omradesansvarig": 10,
    "tjansteperson": 8,
    "namndledamot": 0,
    "admin": 25,
}


def crawl(page: Page, base_url: str, start: str) -> Iterator[tuple[str, str]]:
    """Visit every same-site page reachable from `start`, yielding (path, html source)
    while the page is open in `page`."""
    seen = {start, *EXTRA_PATHS}
    queue = deque([start, *EXTRA_PATHS])
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        response = page.goto(base_url + path)
        assert response is not None
        if path not in EXTRA_PATHS:
            assert response.status == 200, f"{path} gav {response.status}"
        visited += 1
        yield path, response.text()
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            url = urlparse(urldefrag(href)[0])
            if url.netloc != urlparse(base_url).netloc:
                continue
            # One visit per path: "?next=…" variants show the same page.
            target = url.path
            if (
                target not in seen
                and not target.startswith(SKIP_PREFIXES)
                and not target.endswith("/pdf/")
            ):
                seen.add(target)
                queue.append(target)


@pytest.mark.parametrize("username", DEMO_ACCOUNTS)
def test_every_page_passes_axe_and_html_checks(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: HtmlChecker,
    username: str,
) -> None:
    # The sign-in page first, as everyone sees it.
    response = page.goto(f"{live_server.url}/konto/logga-in/")
    assert response is not None
    check_accessibility(page)
    html_checker.add("/konto/logga-in/", response.text())

    sign_in(page, username)
    visited = []
    for path, source in crawl(page, live_server.url, "/"):
        check_accessibility(page)
        html_checker.add(path, source)
        visited.append(path)

    # The whole programme is reachable: overview, 4 areas, organisations, 12 offices,
    # and every row's page.
    assert len([p for p in visited if re.fullmatch(r"/omraden/[^/]+/", p)]) == 4
    assert len([p for p in visited if p.startswith("/organisationer/")]) == 13
    assert len([p for p in visited if re.fullmatch(r"/rader/\d+/", p)]) == 25
    edit_pages = [p for p in visited if re.fullmatch(r"/rader/\d+/andra/", p)]
    assert len(edit_pages) == EDIT_PAGES[username]
    assert html_checker.errors() == []
