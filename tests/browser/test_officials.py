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


def _unreported(row: Kedjerad) -> None:
    """Make the row one still to report on: no report for the current period, and not
    finished earlier (the demo data has both)."""
    Lagesrapport.objects.filter(rad=row, period__aktuell=True).delete()
    Lagesrapport.objects.filter(rad=row, status__in=["klar", "avbruten"]).update(status="pagar")


def _missing(username: str) -> int:
    """How many of the user's rows lack a report for the current period (finished
    rows do not), as Mina rader counts them."""
    from django.contrib.auth.models import User

    from effektkedjor.views.status import my_rows
    from malomraden.roles import roles_for

    user = User.objects.get(username=username)
    return my_rows(user, roles_for(user)).saknar


def test_official_lands_on_my_rows_edits_in_place_and_reports(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    sign_in(page, "tjansteperson")
    assert page.url.endswith("/mina-rader/")
    expect(page.get_by_role("heading", name="Mina rader", level=1)).to_be_visible()
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    # A row with no report for the period yet (the demo data reports about half).
    _unreported(row)
    page.reload()
    missing = _missing("tjansteperson")
    expect(page.get_by_text(f"{missing} av 8")).to_be_visible()

    # Report on the first row without leaving the page.
    _mark_page(page)
    card = page.locator(f"#rad-{row.pk}")
    card.get_by_role("link", name="Rapportera läget").click()
    form = card.locator("form")
    expect(form.get_by_role("heading")).to_contain_text("Ny lägesrapport")
    expect(form.get_by_label("Kommentar")).to_be_visible()
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
    assert page.url.endswith("/rapporter/")  # a committee member's landing page
    expect(page.get_by_role("link", name="Mina rader")).to_have_count(0)
    page.goto(live_server.url + AREA)
    # The chain table (the area's indicators have tables of their own).
    expect(page.locator("table.kedja")).to_contain_text("Uppsökande verksamhet")
    for name in ["Ändra", "Rapportera", "Ta bort", "Lägg till rad", "Lägg till långsiktig effekt"]:
        expect(page.get_by_role("link", name=name)).to_have_count(0)
    expect(page.get_by_role("columnheader", name="Åtgärder")).to_have_count(0)


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
    # Someone else changes the activity meanwhile: both changed it, so the merge asks.
    Kedjerad.objects.filter(pk=row.pk).update(
        version=row.version + 5, aktivitet="Uppsökande verksamhet (ändrad)"
    )
    form = page.locator(f"#rad-{row.pk} form")
    form.get_by_label("Aktivitet").fill("Uppsökande verksamhet i Norrby")
    form.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert").first).to_contain_text("Någon annan har ändrat raden")
    expect(page.get_by_role("group", name="Aktivitet")).to_be_visible()
    check("konfliktmeddelande med val")

    page.goto(live_server.url + "/mina-rader/")
    page.get_by_role("link", name="Rapportera läget").first.click()
    expect(page.get_by_role("button", name="Spara rapporten")).to_be_visible()
    form = page.locator(".lage--form form")
    form.get_by_label("Risk för avvikelse").check()
    form.get_by_label("Kommentar").fill("")
    page.get_by_role("button", name="Spara rapporten").click()
    expect(form.locator(".errorlist")).to_contain_text("Skriv en kommentar")
    expect(form.get_by_label("Kommentar")).to_be_focused()
    check("rapportformulär med fel")
    assert html_checker.errors() == []


def test_reporting_in_place_updates_the_card_the_count_and_says_it_was_saved(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: HtmlChecker,
) -> None:
    """Issue 12, point 7: the row's "Saknar rapport", the page's "N av 8" and a visible
    "Sparad" change in the same response (out of band), and the page announces it."""
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    _unreported(row)
    sign_in(page, "tjansteperson")
    missing = _missing("tjansteperson")
    card = page.locator(f"#rad-{row.pk}")
    expect(card).to_contain_text("Saknar rapport")
    expect(page.locator("#mina-rader-antal")).to_contain_text(f"{missing} av 8")
    _mark_page(page)
    card.get_by_role("link", name="Rapportera läget").click()
    form = card.locator("form")
    form.get_by_label("Pågår").check()
    form.get_by_label("Enligt plan").check()
    form.get_by_role("button", name="Spara rapporten").click()
    expect(card.locator(".lage")).to_contain_text("Sparad")
    expect(card).not_to_contain_text("Saknar rapport")
    expect(card).to_contain_text("Rapporterad för")
    counter = page.locator("#mina-rader-antal")
    if missing > 1:
        expect(counter).to_contain_text(f"{missing - 1} av 8")
    else:
        expect(counter).to_contain_text("Alla dina rader har rapporterats")
    live = page.locator("#live")
    expect(live).to_contain_text("sparades")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(page.locator("#live")).to_have_count(1)
    expect(card.get_by_role("link", name="Rapportera läget")).to_be_focused()
    assert _not_reloaded(page)
    check_accessibility(page)
    html_checker.add("/mina-rader/ efter rapport på plats", page.content())

    # Reporting again opens the saved report for correction.
    card.get_by_role("link", name="Rapportera läget").click()
    expect(card.locator("form").get_by_role("heading")).to_contain_text("Ändra lägesrapporten")
    expect(card.locator("form").get_by_label("Pågår")).to_be_checked()
    card.locator("form").get_by_label("Klar").check()
    card.locator("form").get_by_role("button", name="Spara rapporten").click()
    expect(card.locator(".lage")).to_contain_text("Klar")
    assert Lagesrapport.objects.filter(rad=row, period__aktuell=True).count() == 1
    assert html_checker.errors() == []


def test_periods_closed_with_confirmation_then_the_next_one_planned_and_opened(
    new_page: Any,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: HtmlChecker,
) -> None:
    """Issue 12, points 10 and 11: closing asks first, naming who has not reported (with
    focus moved to the question); after closing, Mina rader offers no "Rapportera
    läget" but says whether a next period is planned, and when it opens."""
    current = Rapportperiod.current()
    assert current is not None and not current.stangd
    director, official = new_page(), new_page()
    sign_in(director, "stadsdirektor")
    sign_in(official, "tjansteperson")
    official.goto(live_server.url + "/mina-rader/")
    expect(official.get_by_role("link", name="Rapportera läget").first).to_be_visible()

    director.goto(live_server.url + "/rapporter/")
    section = director.locator(f"#stang-{current.pk}")
    section.get_by_role("link", name=f"Stäng perioden {current.namn}").click()
    question = director.locator(f"#stang-rubrik-{current.pk}")
    expect(question).to_contain_text(f"saknar rapport för {current.namn}")
    expect(question).to_be_focused()
    expect(director.locator(f"#stang-{current.pk}")).to_contain_text("ALF – ")
    current.refresh_from_db()
    assert not current.stangd  # asking closes nothing
    check_accessibility(director)
    html_checker.add("/rapporter/ med stängningsfrågan", director.content())
    # Avbryt puts the button back, with focus on it.
    director.locator(f"#stang-{current.pk}").get_by_role("link", name="Avbryt").click()
    expect(director.get_by_role("link", name=f"Stäng perioden {current.namn}")).to_be_focused()
    director.get_by_role("link", name=f"Stäng perioden {current.namn}").click()
    director.get_by_role("button", name="Stäng ändå").click()
    expect(director.get_by_role("status").first).to_contain_text("är stängd")
    current.refresh_from_db()
    assert current.stangd

    official.goto(live_server.url + "/mina-rader/")
    expect(official.get_by_role("link", name="Rapportera läget")).to_have_count(0)
    expect(official.locator(".nasta-period")).to_contain_text(
        "Ingen ny rapportperiod är planerad ännu"
    )

    # The programme management plans the next period; a last reporting day outside it
    # is refused in Swedish.
    year = current.slut.year + 1
    director.get_by_role("link", name="Ny rapportperiod").click()
    director.get_by_label("Typ").select_option(label="tertial")
    director.get_by_label("Namn").fill(f"Tertial 1 {year}")
    director.get_by_label("Första dag").fill(f"{year}-01-01")
    director.get_by_label("Sista dag").fill(f"{year}-04-30")
    director.get_by_label("Sista rapportdag").fill(f"{year}-05-15")
    director.get_by_role("button", name="Lägg upp perioden").click()
    expect(director.locator(".errorlist")).to_contain_text("Sista rapportdag måste ligga inom")
    check_accessibility(director)
    html_checker.add("/perioder/ny/ med fel", director.content())
    director.get_by_label("Sista rapportdag").fill(f"{year}-04-20")
    director.get_by_role("button", name="Lägg upp perioden").click()
    expect(director.get_by_role("heading", name=f"Tertial 1 {year}")).to_be_visible()

    official.reload()
    upcoming = official.locator(".nasta-period")
    expect(upcoming).to_contain_text(f"Nästa rapportperiod är Tertial 1 {year}")
    expect(upcoming).to_contain_text(f"sista rapportdag 20 april {year}")
    expect(official.get_by_role("link", name="Rapportera läget")).to_have_count(0)
    check_accessibility(official)
    html_checker.add("/mina-rader/ efter stängning", official.content())

    director.get_by_role("button", name=f"Gör Tertial 1 {year} aktuell").click()
    official.reload()
    expect(official.get_by_role("link", name="Rapportera läget").first).to_be_visible()
    expect(official.locator("#mina-rader-antal")).to_contain_text(f"Tertial 1 {year}")
    assert html_checker.errors() == []
