"""Indicators (nyckeltal) in a browser: the area page's indicators per long-term effect and
the indicator page, at 1366 px and on a phone (390 px), through axe and the Nu checker."""

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from effektkedjor.models import Indikator, Indikatorvarde
from malomraden.models import Malomrade
from tests.builders import make_indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _indicator() -> Indikator:
    area = Malomrade.objects.order_by("ordning").first()
    assert area is not None
    effect = area.langsiktiga_effekter.order_by("ordning").first()
    ind = make_indicator(
        area,
        effects=[effect] if effect else None,
        values={2018: 71.2, 2019: 72.0, 2020: 70.4, 2021: 73.9, 2022: 74.5, 2023: 76.1},
        namn="Elever i åk 9 behöriga till yrkesprogram (exempel)",
        enhet=Indikator.Enhet.PROCENT,
        kalla=Indikator.Kalla.KOLADA,
        kolada_kpi="N15428",
        baslinje_ar=2019,
        baslinje_varde=Decimal("72.0"),
        mal_ar=2030,
        mal_varde=Decimal("85.0"),
        marginal=Decimal("0.5"),
        ordning=0,
    )
    for year, women, men in ((2021, 76.0, 71.9), (2022, 77.1, 72.0), (2023, 78.4, 73.9)):
        Indikatorvarde.objects.create(indikator=ind, ar=year, kon="K", varde=women)
        Indikatorvarde.objects.create(indikator=ind, ar=year, kon="M", varde=men)
    # Comparisons: the whole country and similar municipalities.
    for year, country, group in ((2019, 82.0, 75.5), (2021, 83.1, 76.0), (2023, 84.0, 77.2)):
        Indikatorvarde.objects.create(indikator=ind, plats="0000", ar=year, varde=country)
        Indikatorvarde.objects.create(indikator=ind, plats="grupp", ar=year, varde=group)
    return ind


def _fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] if page.viewport_size else True, width


def test_area_page_and_indicator_page_at_1366_and_390(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: Any,
    tmp_path: Path,
) -> None:
    ind = _indicator()
    sign_in(page, "stadsdirektor")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + ind.malomrade.get_absolute_url())
        section = page.locator("section", has=page.locator("#indikator-rubrik"))
        row = section.get_by_role("row", name=ind.namn)
        expect(row).to_contain_text("76,1\xa0%")
        expect(row).to_contain_text("(2023)")
        expect(row).to_contain_text("+4,1\xa0procentenheter, bättre")
        expect(row).to_contain_text("32\xa0% av vägen till målet 2030")
        # The line from 72 % (2019) to 85 % (2030) passes 76,7 % in 2023: 76,1 % is below.
        expect(row).to_contain_text("Inte i fas")
        expect(row).to_contain_text("Källa: Kolada")
        expect(row.get_by_role("img")).to_have_accessible_name(
            "Utveckling 2018–2023: från 71,2\xa0% till 76,1\xa0%"
        )
        check_accessibility(page)
        _fits(page)
        html_checker.add(ind.malomrade.get_absolute_url(), page.content())
        section.screenshot(path=tmp_path / f"omrade-nyckeltal-{width}.png")

        row.get_by_role("link", name=ind.namn).click()
        expect(page.get_by_role("heading", name=ind.namn, level=1)).to_be_visible()
        chart = page.get_by_role("img", name=ind.namn)
        expect(chart).to_be_visible()
        table = page.get_by_role("table", name=f"{ind.namn} per år")
        expect(table.get_by_role("row", name="2023")).to_contain_text(
            "76,1\xa0%78,4\xa0%73,9\xa0%84\xa0%77,2\xa0%"
        )
        expect(table.get_by_role("columnheader", name="Riket")).to_be_visible()
        expect(page.get_by_text("Källa: Kolada, nyckeltal N15428")).to_be_visible()
        expect(page.get_by_role("table", name="Ändringar av värdena, nyast först")).to_be_visible()
        check_accessibility(page)
        _fits(page)
        html_checker.add(f"/nyckeltal/{ind.pk}/", page.content())
        page.screenshot(path=tmp_path / f"nyckeltal-{width}.png", full_page=True)
    assert html_checker.errors() == []
