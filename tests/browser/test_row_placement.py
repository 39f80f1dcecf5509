"""Where rows stand and how they are edited, in a real browser (issue 12, points 5 and 15):
a new row lands in the group of its long-term effect (one group per effect) with focus
on it; "Flytta till" moves a row to a chosen place in its group in one step; the text
boxes of the edit form show all of their text; the separate edit page starts in its
first field and returns where the user came from."""

from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from effektkedjor.models import Kedjerad, LangsiktigEffekt
from tests.browser.conftest import HtmlChecker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "forutsattningar-for-arbete"
AREA = f"/omraden/{SLUG}/"
LONG_TEXT = (
    "Stärka samverkan mellan Arbetslivsförvaltningen, Vuxenutbildningen och det lokala "
    "näringslivet genom gemensamma rekryteringsträffar varje termin.\n"
    "Följa upp deltagarna efter sex och tolv månader.\n"
    "Redovisa resultaten till beredningsgruppen, som tar ställning till fortsättningen "
    "och till om arbetssättet ska spridas till fler stadsdelar."
)


def _groups_with(page: Page, effect: LangsiktigEffekt) -> Locator:
    """The table's groups (tbody) whose first cell names the effect."""
    return page.locator("tbody.kedja__grupp").filter(
        has=page.locator("th.kedja__effekt", has_text=effect.text[:60])
    )


def _focused_row(page: Page) -> str | None:
    return page.evaluate("() => document.activeElement?.closest('tr')?.id ?? null")


def _all_text_shown(box: Locator) -> bool:
    return bool(box.evaluate("el => el.scrollHeight <= el.clientHeight"))


def test_a_new_row_lands_in_its_group_and_moves_to_a_chosen_place_in_one_step(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: HtmlChecker,
) -> None:
    effect = LangsiktigEffekt.objects.filter(malomrade__slug=SLUG).order_by("ordning").first()
    assert effect is not None
    first_row = Kedjerad.objects.filter(langsiktiga_effekter=effect).order_by("ordning").first()
    assert first_row is not None
    sign_in(page, "omradesansvarig")
    page.goto(live_server.url + AREA)
    expect(_groups_with(page, effect)).to_have_count(1)

    page.get_by_role("link", name="Lägg till rad").click()
    form = page.locator(f"#ny-rad-{SLUG} form")
    form.get_by_label("Aktivitet").fill("Rekryteringsträffar med näringslivet")
    form.locator(f'input[name="effekter"][value="{effect.pk}"]').check()
    form.get_by_role("button", name="Lägg till").click()
    new = page.locator("tr", has_text="Rekryteringsträffar med näringslivet")
    expect(new).to_have_count(1)
    added = Kedjerad.objects.get(aktivitet="Rekryteringsträffar med näringslivet")

    # In the effect's group, the group still one: not a second group at the table's end.
    expect(_groups_with(page, effect)).to_have_count(1)
    expect(_groups_with(page, effect).locator(f"#rad-{added.pk}")).to_have_count(1)
    last_group = page.locator("tbody.kedja__grupp").last
    expect(last_group.locator(f"#rad-{added.pk}")).to_have_count(0)
    # Focus is on the new row (its "Ändra" link), not at the top of the page.
    page.wait_for_function(f"() => document.activeElement?.closest('#rad-{added.pk}')")
    assert _focused_row(page) == f"rad-{added.pk}"
    expect(new.get_by_role("link", name="Ändra")).to_be_focused()

    # "Flytta till": first in the group, in one step.
    new.get_by_role("link", name="Flytta till").click()
    move = page.locator(f"#rad-{added.pk} form")
    place = move.get_by_label("Ny plats")
    expect(place).to_be_focused()
    check_accessibility(page)
    html_checker.add(f"{AREA} med Flytta till öppet", page.content())
    expect(place.locator("option").first).to_have_text(f"Först, före ”{first_row.aktivitet}”")
    place.select_option(value="forst")
    move.get_by_role("button", name="Flytta").click()
    group = _groups_with(page, effect)
    expect(group.locator("tr").first).to_have_id(f"rad-{added.pk}")
    expect(group).to_have_count(1)
    expect(page.locator(f"#rad-{added.pk}").get_by_role("link", name="Flytta till")).to_be_focused()
    assert Kedjerad.objects.filter(langsiktiga_effekter=effect).order_by("ordning")[0] == added

    # Without JavaScript's help the same form is a page of its own.
    page.goto(f"{live_server.url}/rader/{added.pk}/flytta/")
    expect(page.get_by_label("Ny plats")).to_be_focused()
    check_accessibility(page)
    html_checker.add(f"/rader/{added.pk}/flytta/", page.content())
    page.get_by_label("Ny plats").select_option(value=str(first_row.pk))
    page.get_by_role("button", name="Flytta").click()
    expect(page.locator(".meddelanden")).to_contain_text("flyttades")
    ordered = list(Kedjerad.objects.filter(langsiktiga_effekter=effect).order_by("ordning"))
    assert ordered[:2] == [first_row, added]
    assert html_checker.errors() == []


def test_edit_boxes_show_all_of_their_text(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    Kedjerad.objects.filter(pk=row.pk).update(prestation=LONG_TEXT, kortsiktig_effekt=LONG_TEXT)
    sign_in(page, "omradesansvarig")

    # In place on the area page.
    page.goto(live_server.url + AREA)
    page.locator(f"#rad-{row.pk}").get_by_role("link", name="Ändra").click()
    edit = page.locator(f"#rad-{row.pk} form")
    expect(edit.get_by_label("Aktivitet")).to_be_focused()
    for label in ["Prestation", "Kortsiktig effekt"]:
        box = edit.get_by_label(label)
        expect(box).to_have_value(LONG_TEXT)
        assert _all_text_shown(box), label
        # Browsers without CSS field-sizing rely on the rows counted on the server.
        box.evaluate("el => { el.style.fieldSizing = 'fixed'; }")
        assert _all_text_shown(box), f"{label} utan field-sizing"

    # The separate edit page.
    page.goto(f"{live_server.url}/rader/{row.pk}/andra/")
    box = page.get_by_label("Prestation")
    assert _all_text_shown(box)
    box.evaluate("el => { el.style.fieldSizing = 'fixed'; }")
    assert _all_text_shown(box)


def test_the_edit_page_starts_in_its_form_and_returns_where_it_was_opened(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: HtmlChecker,
) -> None:
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    sign_in(page, "omradesansvarig")
    page.goto(f"{live_server.url}/rader/{row.pk}/")
    page.get_by_role("link", name="Ändra raden").click()
    page.wait_for_load_state()
    assert f"/rader/{row.pk}/andra/" in page.url
    # Focus starts in the first field, not a dozen Tab stops before it.
    expect(page.get_by_label("Aktivitet")).to_be_focused()
    check_accessibility(page)
    html_checker.add(page.url, page.content())

    # Avbryt and Spara both go back to the row's page.
    page.get_by_role("link", name="Avbryt").click()
    expect(page).to_have_url(f"{live_server.url}/rader/{row.pk}/")
    page.get_by_role("link", name="Ändra raden").click()
    page.get_by_label("Tid, kommentar").fill("löpande")
    page.get_by_role("button", name="Spara").click()
    expect(page).to_have_url(f"{live_server.url}/rader/{row.pk}/")
    expect(page.get_by_text("sparades")).to_be_visible()
    row.refresh_from_db()
    assert row.tid_kommentar == "löpande"
    assert html_checker.errors() == []
