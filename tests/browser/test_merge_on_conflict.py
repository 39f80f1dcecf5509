"""Two people edit the same row in two browsers: the second save keeps the first
person's change in the fields only they touched, and where both changed a field, the
second person sees both versions side by side and chooses."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from effektkedjor.models import Kedjerad

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREA = "/omraden/forutsattningar-for-arbete/"
ACTIVITY = "Uppsökande verksamhet"


def _edit(page: Page, url: str, row: Kedjerad) -> Any:
    page.goto(url + AREA)
    page.locator(f"#rad-{row.pk}").get_by_role("link", name="Ändra").click()
    return page.locator(f"#rad-{row.pk} form")


def test_the_second_save_keeps_the_first_persons_change(
    new_page: Any, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    row = Kedjerad.objects.get(aktivitet=ACTIVITY)
    a, b = new_page(), new_page()
    sign_in(a, "omradesansvarig")
    sign_in(b, "tjansteperson")
    form_a, form_b = _edit(a, live_server.url, row), _edit(b, live_server.url, row)

    form_a.get_by_label("Prestation").fill("Fler besök i Norrby")
    form_a.get_by_label("Tid, kommentar").fill("löpande")
    form_a.get_by_role("button", name="Spara").click()
    expect(a.locator(f"#rad-{row.pk}")).to_contain_text("löpande")

    # B's form was opened on the older version; B changes another field.
    form_b.locator("[name=resurser]").fill("Två årsarbetare")
    form_b.get_by_role("button", name="Spara").click()
    saved = b.locator(f"#rad-{row.pk}")
    expect(saved).to_contain_text("Sparad")
    expect(saved).to_contain_text("hade ändrat")
    expect(saved).to_contain_text("löpande")
    expect(saved).to_contain_text("Fler besök i Norrby")
    expect(saved).to_contain_text("Två årsarbetare")
    row.refresh_from_db()
    assert (row.prestation, row.tid_kommentar, row.resurser) == (
        "Fler besök i Norrby",
        "löpande",
        "Två årsarbetare",
    )


def test_a_field_both_changed_is_chosen_side_by_side(
    new_page: Any,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: Any,
) -> None:
    row = Kedjerad.objects.get(aktivitet=ACTIVITY)
    a, b = new_page(), new_page()
    sign_in(a, "omradesansvarig")
    sign_in(b, "tjansteperson")
    form_a, form_b = _edit(a, live_server.url, row), _edit(b, live_server.url, row)
    form_a.get_by_label("Tid, kommentar").fill("löpande")
    form_a.get_by_label("Prestation").fill("Ägarens prestation")
    form_a.get_by_role("button", name="Spara").click()
    expect(a.locator(f"#rad-{row.pk}")).to_contain_text("löpande")

    form_b.get_by_label("Prestation").fill("Min prestation")
    form_b.get_by_role("button", name="Spara").click()
    choice = b.get_by_role("group", name="Prestation")
    expect(choice).to_be_visible()
    expect(choice.get_by_label("Din ändring: Min prestation")).to_be_visible()
    expect(choice.get_by_label("Den sparade: Ägarens prestation")).to_be_visible()
    # The merged form already holds the other person's time comment.
    expect(b.locator(f"#rad-{row.pk} form").get_by_label("Tid, kommentar")).to_have_value("löpande")
    check_accessibility(b)
    html_checker.add(b.url, b.content())

    # Spara without choosing: asked to choose, nothing saved.
    b.locator(f"#rad-{row.pk} form").get_by_role("button", name="Spara").click()
    expect(b.get_by_text("Välj vilken version av ”Prestation” som ska gälla.")).to_be_visible()
    row.refresh_from_db()
    assert row.prestation == "Ägarens prestation"

    b.get_by_role("group", name="Prestation").get_by_label("Din ändring: Min prestation").check()
    b.locator(f"#rad-{row.pk} form").get_by_role("button", name="Spara").click()
    expect(b.locator(f"#rad-{row.pk}")).to_contain_text("Sparad")
    row.refresh_from_db()
    assert (row.prestation, row.tid_kommentar) == ("Min prestation", "löpande")
    assert html_checker.errors() == []
