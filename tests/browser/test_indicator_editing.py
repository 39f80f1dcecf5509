"""Adding an indicator in a browser: the area owner searches Kolada by title (the fake Kolada
of tests/effektkedjor/test_kolada.py on loopback), picks a KPI, and saves; with htmx and
without JavaScript; the pages pass axe and the Nu checker."""

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from effektkedjor.models import Indikator
from tests.effektkedjor.test_kolada import Answer, FakeKolada

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREA = "/omraden/forutsattningar-for-arbete/"
META: dict[str, str | bool] = {
    "id": "N02797",
    "title": "Invånare 16-24 år som varken arbetar eller studerar, andel (%)",
    "description": "Andel invånare 16–24 år som varken arbetar eller studerar (UVAS).",
    "is_divided_by_gender": True,
}
TITLE = str(META["title"])
DESCRIPTION = str(META["description"])


def _field(page: Page, label: str) -> Locator:
    """A form field by its label, with or without Django's trailing colon."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


@pytest.fixture
def kolada(settings: Any) -> Iterator[FakeKolada]:
    fake = FakeKolada()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    settings.KOLADA_BASE_URL = fake.base
    fake.on(
        "kpi?title=arbetar",
        Answer(
            body={
                "count": 2,
                "values": [
                    META,
                    {"id": "N00914", "title": "Förvärvsarbetande invånare 20-64 år, andel (%)"},
                ],
            }
        ),
    )
    fake.on("kpi/N02797", Answer(body={"count": 1, "values": [META]}))
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()


@pytest.fixture
def page_without_js(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_an_area_owner_adds_a_kolada_indicator_by_searching_its_title(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    kolada: FakeKolada,
    check_accessibility: Any,
    html_checker: Any,
) -> None:
    sign_in(page, "omradesansvarig")
    page.goto(live_server.url + AREA)
    page.get_by_role("link", name="Lägg till nyckeltal").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nytt nyckeltal")
    check_accessibility(page)
    html_checker.add("/omraden/…/nyckeltal/ny/", page.content())

    # With htmx only the hits are redrawn: the page stays, the address does not change.
    url = page.url
    _field(page, "Sökord").fill("arbetar")
    page.get_by_role("button", name="Sök i Kolada").click()
    hits = page.locator("#kpi-traffar")
    expect(hits).to_contain_text("2 träffar för ”arbetar”")
    expect(hits).to_contain_text("Källa: Kolada")
    assert page.url == url
    assert "/v3/kpi?title=arbetar" in kolada.requests
    check_accessibility(page)
    html_checker.add("/omraden/…/nyckeltal/ny/?sok=arbetar (htmx)", page.content())

    hits.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("Uppgifterna från Kolada för N02797 är ifyllda")).to_be_visible()
    expect(_field(page, "Namn")).to_have_value(TITLE)
    expect(_field(page, "Hur det mäts")).to_have_value(DESCRIPTION)
    expect(_field(page, "Enhet")).to_have_value("procent")
    expect(_field(page, "Uppdelat på kön")).to_be_checked()
    expect(_field(page, "Kolada-KPI")).to_have_value("N02797")
    check_accessibility(page)
    html_checker.add("/omraden/…/nyckeltal/ny/?kpi=N02797", page.content())

    page.get_by_label("Lägre är bättre", exact=True).check()
    _field(page, "Utgångsläge, år").fill("2023")
    _field(page, "Utgångsläge, värde").fill("7,5")
    _field(page, "Mål, år").fill("2030")
    _field(page, "Mål, värde").fill("5")
    effects = page.get_by_role("group", name="Mäter långsiktiga effekter")
    effects.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Lägg till nyckeltalet").click()
    expect(page.get_by_role("status").first).to_contain_text("lades till")
    assert page.url.endswith(AREA + "#indikator-rubrik")
    ind = Indikator.objects.get(kolada_kpi="N02797", namn=TITLE)  # the demo has one too
    assert (ind.namn, ind.riktning, ind.kon_uppdelat) == (TITLE, "lagre", True)
    assert ind.effekter.count() == 1 and str(ind.baslinje_varde) == "7.50"
    assert html_checker.errors() == []


def test_the_search_works_without_javascript_and_without_kolada(
    page_without_js: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    kolada: FakeKolada,
    settings: Any,
) -> None:
    page = page_without_js
    sign_in(page, "omradesansvarig")
    page.goto(live_server.url + AREA + "nyckeltal/ny/")
    _field(page, "Sökord").fill("arbetar")
    page.get_by_role("button", name="Sök i Kolada").click()
    assert "sok=arbetar" in page.url  # a plain GET: the whole page with the hits
    page.get_by_role("link", name=TITLE).click()
    expect(_field(page, "Namn")).to_have_value(TITLE)

    settings.KOLADA_BASE_URL = "http://127.0.0.1:9/v3"  # nobody listens on the discard port
    _field(page, "Sökord").fill("arbetar")
    page.get_by_role("button", name="Sök i Kolada").click()
    expect(page.locator("#kpi-traffar")).to_contain_text("Kolada gick inte att nå just nu")
    _field(page, "Namn").fill("Unga som varken arbetar eller studerar i Norrby")
    page.get_by_label("Manuell / fil", exact=True).check()
    page.get_by_role("button", name="Lägg till nyckeltalet").click()
    assert page.url.endswith(AREA + "#indikator-rubrik")
    assert Indikator.objects.filter(namn__startswith="Unga som varken", kalla="manuell").exists()
