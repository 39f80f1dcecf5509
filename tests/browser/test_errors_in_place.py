"""When an in-place save fails on the server side (a lost permission, an expired CSRF
token, the database away) or the server cannot be reached, the user is told in Swedish
and the form keeps what they typed."""

from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from effektkedjor.models import Kedjerad
from malomraden.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREA = "/omraden/forutsattningar-for-arbete/"


def _open_edit(page: Page, live_server: Any, sign_in: Any) -> Kedjerad:
    sign_in(page, "tjansteperson")
    page.goto(live_server.url + AREA)
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    page.locator(f"#rad-{row.pk}").get_by_role("link", name="Ändra").click()
    page.locator(f"#rad-{row.pk} form").get_by_label("Tid, kommentar").fill("mitt utkast")
    return row


def test_a_refused_save_is_explained_and_the_input_stays(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    row = _open_edit(page, live_server, sign_in)
    # Meanwhile the official's office is taken off: the server now refuses the save.
    Person.objects.get(anvandare__username="tjansteperson").organisationer.clear()
    page.locator(f"#rad-{row.pk} form").get_by_role("button", name="Spara").click()
    alert = page.locator("#htmx-fel")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("Det gick inte att spara: du saknar behörighet")
    field = page.locator(f"#rad-{row.pk} form").get_by_label("Tid, kommentar")
    expect(field).to_have_value("mitt utkast")
    row.refresh_from_db()
    assert row.tid_kommentar != "mitt utkast"


def test_an_unreachable_server_is_explained_and_a_retry_clears_it(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    row = _open_edit(page, live_server, sign_in)
    page.route(f"**/rader/{row.pk}/**", lambda route: route.abort("connectionrefused"))
    form = page.locator(f"#rad-{row.pk} form")
    form.get_by_role("button", name="Spara").click()
    expect(page.locator("#htmx-fel")).to_contain_text("Kunde inte nå servern")
    expect(form.get_by_label("Tid, kommentar")).to_have_value("mitt utkast")

    page.unroute(f"**/rader/{row.pk}/**")
    form.get_by_role("button", name="Spara").click()
    expect(page.locator(f"#rad-{row.pk}")).to_contain_text("mitt utkast")
    expect(page.locator("#htmx-fel")).to_have_count(0)


def test_a_database_outage_says_try_again(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    row = _open_edit(page, live_server, sign_in)

    def unavailable(route: Route) -> None:
        route.fulfill(status=503, body="Tjänsten är tillfälligt otillgänglig")

    page.route(f"**/rader/{row.pk}/**", unavailable)
    page.locator(f"#rad-{row.pk} form").get_by_role("button", name="Spara").click()
    expect(page.locator("#htmx-fel")).to_contain_text("tillfälligt otillgänglig")
    expect(page.locator("#htmx-fel")).to_contain_text("det du skrivit finns kvar")


def test_an_expired_session_keeps_the_form_and_saves_after_signing_in_again(
    page: Page, live_server: Any, program: None, demo_users: None, sign_in: Any
) -> None:
    from django.contrib.sessions.models import Session

    row = _open_edit(page, live_server, sign_in)
    Session.objects.all().delete()  # the session ran out while the form was open
    form = page.locator(f"#rad-{row.pk} form")
    form.get_by_role("button", name="Spara").click()
    alert = page.locator("#htmx-fel")
    expect(alert).to_contain_text("Du har blivit utloggad")
    expect(alert.get_by_role("link", name="Logga in (öppnas i en ny flik)")).to_have_attribute(
        "href", "/konto/logga-in/"
    )
    # The sign-in page was not swapped into the row: the form is there with the input.
    expect(form.get_by_label("Tid, kommentar")).to_have_value("mitt utkast")
    expect(page.locator(f"#rad-{row.pk}")).not_to_contain_text("Användarnamn")

    # Signing in again in another tab (new session, new CSRF token) lets this form save.
    other = page.context.new_page()
    other.goto(f"{live_server.url}/konto/logga-in/")
    other.get_by_label("Användarnamn").fill("tjansteperson")
    other.get_by_label("Lösenord").fill("demo")
    other.get_by_role("button", name="Logga in").click()
    other.wait_for_load_state()
    other.close()
    form.get_by_role("button", name="Spara").click()
    expect(page.locator(f"#rad-{row.pk}")).to_contain_text("mitt utkast")
    expect(page.locator("#htmx-fel")).to_have_count(0)
    row.refresh_from_db()
    assert row.tid_kommentar == "mitt utkast"
