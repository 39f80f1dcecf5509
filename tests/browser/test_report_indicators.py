"""The committee report's indicators in a browser (issue 13): the demo's report for an
area, open and closed, shows each indicator's chart (an image with its title) and table,
and passes axe and the Nu checker."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from effektkedjor.models import Rapportperiod

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_shows_the_areas_indicators_accessibly(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: Any,
) -> None:
    sign_in(page, "namndledamot")
    closed = Rapportperiod.objects.filter(stangd=True).order_by("slut").first()
    current = Rapportperiod.objects.get(aktuell=True)
    assert closed is not None
    name = "Elever i åk 9 som är behöriga till yrkesprogram, hemkommun, andel (%)"
    for period in (current, closed):
        path = f"/rapporter/{period.pk}/god-start-i-livet/"
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", name="Nyckeltal: rör sig effekterna?")).to_be_visible()
        overview = page.get_by_role(
            "table", name="Nyckeltal för En god start i livet och goda uppväxtvillkor"
        )
        expect(overview.get_by_role("row")).to_have_count(7)  # the heading row and six
        expect(page.get_by_role("heading", name=name, level=4)).to_be_visible()
        expect(page.get_by_role("img", name=name)).to_be_visible()
        expect(page.get_by_role("table", name=f"{name}, värden per år")).to_be_visible()
        expect(
            page.get_by_text("Källa: Exempeldata – inte Borås verkliga siffror").first
        ).to_be_visible()
        check_accessibility(page)
        html_checker.add(path, page.content())
    assert html_checker.errors() == []
