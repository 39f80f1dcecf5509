"""The officials' job in a real browser: sign in, land on "Mina rader", edit a row in
place, report status without a reload; committee members see no edit controls; two
people editing the same row; and every inline form and dialog passes axe and the Nu
HTML checker while it is open."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from effektkedjor.models import Kedjerad, Lagesrapport, Rapportperiod
from tests.browser.conftest import CHROMIUM_ARGS, HtmlChecker  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREA = "/omraden/forutsattningar-for-arbete/"


def _mark_page(page: Page) -> None:
    """A marker that a full page load would wipe out."""
    page.evaluate("() => { window.__ingenOmladdning = true; }")


def _not_reloaded(page: Page) -> bool:
    return bool(page.evaluate("() => window.__ingenOmladdning === true"))


def test_official_lands_on_my_rows_edits_in_place_and_reports(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    sign_in(page, "tjansteperson")
    assert page.url.endswith("/mina-rader/")
    expect(page.get_by_role("heading", name="Mina rader", level=1)).to_be_visible()
    current = Rapportperiod.current()
    alf_rows = Kedjerad.objects.filter(radansvar__organisation__kod="ALF")
    missing = alf_rows.exclude(rapporter__period=current).count()
    expect(page.get_by_text(f"{missing} av 8")).to_be_visible()

    # Report on the first row without leaving the page.
    _mark_page(page)
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    card = page.locator(f"#rad-{row.pk}")
    card.get_by_role("link", name="Rapportera läget").click()
    form = card.locator("form")
    expect(form.get_by_role("heading")).to_contain_text("Ny lägesrapport")
    form.get_by_label("Pågår").check()
    form.get_by_label("Risk för avvikelse").check()
    form.get_by_label("Kommentar").fill("Två nya samarbeten.\nRekrytering pågår.")
    form.get_by_role("button", name="Spara rapporten").click()
    expect(card.locator(".lage")).to_contain_text("Risk för avvikelse")
    expect(page.locator("#live")).to_contain_text("sparades")
    assert _not_reloaded(page)
    saved = Lagesrapport.objects.filter(rad=row).latest("skapad")
    assert saved.kommentar.replace("\r\n", "\n") == "Två nya samarbeten.\nRekrytering pågår."
    assert saved.forfattare is not None and saved.forfattare.username == "tjansteperson"

    # Edit a row in place on the area page.
    page.goto(live_server.url + AREA)
    _mark_page(page)
    tr = page.locator(f"#rad-{row.pk}")
    tr.get_by_role("link", name="Ändra").click()
    edit = page.locator(f"#rad-{row.pk} form")
    expect(edit.get_by_label("Aktivitet")).to_be_focused()
    edit.get_by_label("Tid, kommentar").fill("löpande")
    edit.get_by_label("Resurser, belopp (kr)").fill("120000")
    edit.get_by_role("button", name="Spara").click()
    expect(tr).to_contain_text("löpande")
    expect(tr).to_contain_text("120\u00a0000\u00a0kr")
    expect(tr).to_contain_text("Sparad")
    assert _not_reloaded(page)
    row.refresh_from_db()
    assert (row.tid_kommentar, row.resurser_belopp) == ("löpande", 120000)

    # Cancel puts the row back unchanged.
    tr.get_by_role("link", name="Ändra").click()
    page.locator(f"#rad-{row.pk} form").get_by_label("Tid, kommentar").fill("kastas")
    page.locator(f"#rad-{row.pk}").get_by_role("link", name="Avbryt").click()
    expect(tr).to_contain_text("löpande")
    expect(tr.locator("form")).to_have_count(0)

    # A validation error appears next to the field, and what was typed stays.
    tr.get_by_role("link", name="Ändra").click()
    edit = page.locator(f"#rad-{row.pk} form")
    edit.get_by_label("Aktivitet").fill("")
    edit.get_by_label("Prestation").fill("Mitt utkast")
    edit.get_by_role("button", name="Spara").click()
    expect(page.locator(f"#rad-{row.pk} .errorlist")).to_contain_text("Aktiviteten måste fyllas i.")
    expect(page.locator(f"#rad-{row.pk} form").get_by_label("Prestation")).to_have_value(
        "Mitt utkast"
    )
    assert _not_reloaded(page)


def test_committee_member_sees_no_edit_controls(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    sign_in(page, "namndledamot")
    assert page.url.rstrip("/") == live_server.url
    expect(page.get_by_role("link", name="Mina rader")).to_have_count(0)
    page.goto(live_server.url + AREA)
    expect(page.get_by_role("table")).to_contain_text("Uppsökande verksamhet")
    for name in ["Ändra", "Rapportera", "Ta bort", "Lägg till rad", "Lägg till långsiktig effekt"]:
        expect(page.get_by_role("link", name=name)).to_have_count(0)
    expect(page.get_by_role("columnheader", name="Åtgärder")).to_have_count(0)


def test_two_people_edit_the_same_row(
    new_page: Any, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    pages = []
    for username in ["omradesansvarig", "tjansteperson"]:
        p = new_page()
        sign_in(p, username)
        p.goto(live_server.url + AREA)
        p.locator(f"#rad-{row.pk}").get_by_role("link", name="Ändra").click()
        expect(p.locator(f"#rad-{row.pk} form")).to_be_visible()
        pages.append(p)
    owner, official = pages

    form = owner.locator(f"#rad-{row.pk} form")
    form.get_by_label("Prestation").fill("Områdesansvarigs prestation")
    form.get_by_role("button", name="Spara").click()
    expect(owner.locator(f"#rad-{row.pk}")).to_contain_text("Områdesansvarigs prestation")

    form = official.locator(f"#rad-{row.pk} form")
    form.get_by_label("Resurser:", exact=True).fill("En halvtidstjänst")
    form.get_by_role("button", name="Spara").click()
    conflict = official.get_by_role("alert")
    expect(conflict).to_contain_text("Någon annan har ändrat raden medan du redigerade")
    expect(conflict).to_contain_text("Områdesansvarigs prestation")
    expect(conflict).to_contain_text("Demo Områdesansvarig")
    row.refresh_from_db()
    assert (row.prestation, row.resurser) == ("Områdesansvarigs prestation", "")

    # Re-apply: take the other's prestation, keep one's own resources, save again.
    form = official.locator(f"#rad-{row.pk} form")
    expect(form.get_by_label("Resurser:", exact=True)).to_have_value("En halvtidstjänst")
    form.get_by_label("Prestation").fill("Områdesansvarigs prestation")
    form.get_by_role("button", name="Spara").click()
    expect(official.locator(f"#rad-{row.pk} form")).to_have_count(0)
    expect(official.locator(f"#rad-{row.pk}")).to_contain_text("En halvtidstjänst")
    row.refresh_from_db()
    assert (row.prestation, row.resurser) == ("Områdesansvarigs prestation", "En halvtidstjänst")


def test_open_forms_and_dialogs_pass_axe_and_html_checks(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: HtmlChecker,
) -> None:
    sign_in(page, "omradesansvarig")
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    other = Kedjerad.objects.get(aktivitet="Utöka samhällsinformation om arbetsmarknaden")
    # `other` may be deleted (no reports in a closed period); `kept` may not.
    Lagesrapport.objects.filter(rad=other, period__stangd=True).delete()
    kept = (
        Kedjerad.objects.filter(malomrade=row.malomrade, rapporter__period__stangd=True)
        .exclude(pk__in=[row.pk, other.pk])
        .distinct()
        .first()
    )
    assert kept is not None

    def check(what: str) -> None:
        check_accessibility(page)
        html_checker.add(f"{AREA} med {what}", page.content())

    page.goto(live_server.url + AREA)
    page.locator(f"#rad-{row.pk}").get_by_role("link", name="Ändra").click()
    expect(page.locator(f"#rad-{row.pk} form")).to_be_visible()
    page.locator(f"#rad-{other.pk}").get_by_role("link", name="Ta bort").click()
    expect(page.locator(f"#rad-{other.pk}").get_by_role("button", name="Ta bort")).to_be_focused()
    page.locator(f"#rad-{kept.pk}").get_by_role("link", name="Ta bort").click()
    expect(page.locator(f"#rad-{kept.pk}")).to_contain_text("Raden kan inte tas bort")
    expect(page.locator(f"#rad-{kept.pk}").get_by_role("link", name="Tillbaka")).to_be_focused()
    page.get_by_role("link", name="Lägg till rad").click()
    expect(page.get_by_role("heading", name="Ny rad i Förutsättningar för arbete")).to_be_visible()
    page.get_by_role("link", name="Lägg till långsiktig effekt").click()
    page.locator("#effekter-forutsattningar-for-arbete li").first.get_by_role(
        "link", name="Ändra"
    ).click()
    expect(page.locator("#effekter-forutsattningar-for-arbete li form")).to_have_count(1)
    check("redigering, borttagning (tillåten och nekad), ny rad och effektformulär öppna")

    # A form with errors, and the conflict message.
    page.locator(f"#rad-{row.pk} form").get_by_label("Aktivitet").fill("")
    page.locator(f"#rad-{row.pk} form").get_by_role("button", name="Spara").click()
    expect(page.locator(f"#rad-{row.pk} .errorlist")).to_be_visible()
    check("valideringsfel")
    Kedjerad.objects.filter(pk=row.pk).update(version=row.version + 5)
    page.locator(f"#rad-{row.pk} form").get_by_label("Aktivitet").fill("Uppsökande verksamhet")
    page.locator(f"#rad-{row.pk} form").get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert").first).to_contain_text("Någon annan har ändrat raden")
    check("konfliktmeddelande")

    page.goto(live_server.url + "/mina-rader/")
    page.get_by_role("link", name="Rapportera läget").first.click()
    expect(page.get_by_role("button", name="Spara rapporten")).to_be_visible()
    page.get_by_role("button", name="Spara rapporten").click()
    expect(page.get_by_text("Välj en status.")).to_be_visible()
    check("rapportformulär med fel")
    assert html_checker.errors() == []
