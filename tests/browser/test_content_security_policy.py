"""The strict Content Security Policy is sent, enforced by the browser, and watched.

Every browser test fails on a CSP violation (see conftest's `page`); these tests show the
policy is really there and that the watch really catches a violation.
"""

from typing import Any

import pytest
from django.utils.csp import CSP
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_carry_a_strict_policy_and_htmx_runs_under_it(
    page: Page, live_server: Any, sign_in: Any, demo_users: None, program: None
) -> None:
    sign_in(page, "stadsdirektor")
    response = page.goto(f"{live_server.url}/instrumentpanel/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert CSP.UNSAFE_INLINE not in policy and CSP.UNSAFE_EVAL not in policy
    assert "frame-ancestors 'none'" in policy
    # htmx loaded (its tag carries the nonce) and works: a filter change swaps in place.
    assert page.evaluate("() => typeof window.htmx") == "object"
    page.get_by_label("Målområde:", exact=True).select_option(label="Förutsättningar för arbete")
    page.wait_for_url("**/instrumentpanel/?*")
    assert page.evaluate("() => document.querySelectorAll('script:not([src])').length") == 0
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_a_violation_is_caught(
    page: Page, live_server: Any, sign_in: Any, demo_users: None, program: None
) -> None:
    sign_in(page, "stadsdirektor")
    page.goto(f"{live_server.url}/instrumentpanel/")
    page.expect_csp_violations = True  # type: ignore[attr-defined]
    # An inline handler, as an injected attack would add: the browser must refuse it.
    page.evaluate(
        """() => {
            const d = document.createElement('div');
            d.innerHTML = '<img src="/static/favicon.svg" alt="" onload="window.ran = true">';
            document.body.append(d);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.ran === true") is False
    violations = page.csp_violations  # type: ignore[attr-defined]
    assert any("inline event handler" in v and "script-src" in v for v in violations)
