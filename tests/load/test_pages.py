"""The load test's users read and post the real pages (tests/load/pages.py): these
tests do what one simulated user does, against the views, so that a template change
that would break `make loadtest` fails here first, in a second."""

import pytest
from django.test import Client

from effektkedjor.models import Kedjerad, Lagesrapport
from tests.load.pages import edit_outcome, form_fields, report_saved
from tests.personas import World, make_world

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def world() -> World:
    return make_world()


def signed_in(username: str) -> Client:
    """Signs in through the sign-in form with the CSRF token from the page, as Locust does."""
    client = Client(enforce_csrf_checks=True)
    fields = form_fields(client.get("/konto/logga-in/").content.decode())
    fields.update(username=[username], password=["pw"])
    page = client.post("/konto/logga-in/", fields, follow=True).content.decode()
    assert "Logga ut" in page
    return client


def open_edit(client: Client, row: Kedjerad) -> dict[str, list[str]]:
    return form_fields(client.get(f"/rader/{row.pk}/andra/", headers=HTMX).content.decode())


def save_edit(client: Client, row: Kedjerad, fields: dict[str, list[str]], marker: str) -> str:
    fields = {**fields, "resurser": [f"{fields['resurser'][0]} [{marker}]".strip()]}
    token = fields["csrfmiddlewaretoken"][0]
    response = client.post(
        f"/rader/{row.pk}/andra/", fields, headers={**HTMX, "X-CSRFToken": token}
    )
    return edit_outcome(response.status_code, response.content.decode())


def test_an_edit_read_from_the_form_is_saved_with_everything_else_unchanged(
    world: World,
) -> None:
    client = signed_in("owner")
    before = Kedjerad.objects.get(pk=world.row.pk)
    fields = open_edit(client, world.row)
    assert save_edit(client, world.row, fields, "last-1") == "accepted"
    after = Kedjerad.objects.get(pk=world.row.pk)
    assert after.resurser.endswith("[last-1]")
    assert after.version == before.version + 1
    # The form was posted back as the browser would: nothing else changed.
    assert after.aktivitet == before.aktivitet
    assert list(after.ansvariga_organisationer.all()) == [world.alf]
    assert list(after.langsiktiga_effekter.all()) == [world.effect]
    assert after.start == before.start and after.slut == before.slut


def test_a_save_from_a_stale_form_is_refused_and_the_first_save_kept(world: World) -> None:
    first, second = signed_in("owner"), signed_in("director")
    stale = open_edit(second, world.row)
    assert save_edit(first, world.row, open_edit(first, world.row), "last-a") == "accepted"
    assert save_edit(second, world.row, stale, "last-b") == "refused"
    text = Kedjerad.objects.get(pk=world.row.pk).resurser
    assert "[last-a]" in text and "[last-b]" not in text


def test_a_report_read_from_the_form_is_saved_for_the_current_period(world: World) -> None:
    client = signed_in("owner")
    url = f"/rader/{world.row.pk}/rapportera/"
    fields = form_fields(client.get(url, headers=HTMX).content.decode())
    assert fields["period"] == [str(world.period.pk)]
    data = {
        "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"][0],
        "period": fields["period"][0],
        "datum": "2026-05-04",
        "status": "pagar",
        "bedomning": "risk",
        "kommentar": "Lasttest [last-r1]",
    }
    response = client.post(url, data, headers={**HTMX, "X-CSRFToken": data["csrfmiddlewaretoken"]})
    assert report_saved(response.status_code, response.headers)
    assert Lagesrapport.objects.filter(kommentar__contains="[last-r1]", rad=world.row).count() == 1


def test_an_unexpected_answer_is_neither_accepted_nor_refused() -> None:
    assert edit_outcome(500, "<h1>Ett fel har inträffat</h1>") == "status 500"
    assert edit_outcome(200, "<form>Aktiviteten måste fyllas i.</form>") not in {
        "accepted",
        "refused",
    }
    assert not report_saved(200, {})
