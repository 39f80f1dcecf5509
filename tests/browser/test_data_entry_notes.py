"""Data-entry notes ("Tolkning av förkortningen" on an office whose full name is our
reading of its code, "Osäker lydelse" on a long-term effect whose wording is uncertain)
are for the programme management only: officials, area owners and committee members
neither see them nor get the checkbox in the effect forms; the management does. The
effect form's text field is labelled with its name, "Långsiktig effekt"."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import HtmlChecker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNCERTAIN_AREA = "/omraden/god-start-i-livet/"  # its first effect is marked uncertain
OWNERS_AREA = "/omraden/forutsattningar-for-arbete/"
NOTES = ["Tolkning av förkortningen", "Osäker lydelse"]


def _notes_on_pages(page: Page, base: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in ("/organisationer/", "/organisationer/alf/", UNCERTAIN_AREA):
        page.goto(base + path)
        text = page.locator("main").inner_text()
        found[path] = [note for note in NOTES if note in text]
    return found


@pytest.mark.parametrize("username", ["tjansteperson", "namndledamot", "omradesansvarig"])
def test_readers_do_not_see_data_entry_notes(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any, username: str
) -> None:
    sign_in(page, username)
    assert _notes_on_pages(page, live_server.url) == {
        "/organisationer/": [],
        "/organisationer/alf/": [],
        UNCERTAIN_AREA: [],
    }


def test_an_area_owner_adds_an_effect_without_the_note_and_sees_its_name(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    sign_in(page, "omradesansvarig")
    page.goto(live_server.url + OWNERS_AREA)
    page.get_by_role("link", name="Lägg till långsiktig effekt").click()
    form = page.get_by_role("form", name="Ny långsiktig effekt")
    expect(form.get_by_role("textbox", name=re.compile(r"^Långsiktig effekt:?$"))).to_be_focused()
    expect(form.get_by_label("Osäker lydelse")).to_have_count(0)


def test_the_programme_management_sees_the_notes_and_the_checkbox(
    page: Page,
    live_server: Any,
    program: None,
    demo_users: None,
    sign_in: Any,
    check_accessibility: Any,
    html_checker: HtmlChecker,
) -> None:
    sign_in(page, "stadsdirektor")
    assert _notes_on_pages(page, live_server.url) == {
        "/organisationer/": ["Tolkning av förkortningen"],
        "/organisationer/alf/": ["Tolkning av förkortningen"],
        UNCERTAIN_AREA: ["Osäker lydelse"],
    }
    page.get_by_role("link", name="Lägg till långsiktig effekt").click()
    form = page.get_by_role("form", name="Ny långsiktig effekt")
    expect(form.get_by_role("textbox", name=re.compile(r"^Långsiktig effekt:?$"))).to_be_focused()
    expect(form.get_by_label("Osäker lydelse")).to_be_visible()
    check_accessibility(page)
    html_checker.add(page.url, page.content())
    assert html_checker.errors() == []
