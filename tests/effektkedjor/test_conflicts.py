"""Two people edit the same row: the second save never silently overwrites the first."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from effektkedjor.models import Kedjerad
from tests.load.pages import form_fields
from tests.personas import make_world, row_post_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("htmx", [False, True], ids=["sida", "htmx"])
def test_second_save_sees_what_the_first_changed_and_can_reapply(
    client: Client, htmx: bool
) -> None:
    w = make_world()
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("effektkedjor:rad_andra", args=[w.row.pk])
    opened = row_post_data(w.row)  # both open the form at version 1

    first = Client()
    first.force_login(w.users["owner"])
    first.post(
        url, {**opened, "prestation": "Ägarens prestation", "organisationer": [w.alf.pk, w.ska.pk]}
    )

    client.force_login(w.users["official"])
    response = client.post(url, {**opened, "resurser": "Två årsarbetare"}, headers=headers)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Någon annan har ändrat raden medan du redigerade" in body
    assert "Owner" in body  # who changed it
    assert "Ägarens prestation" in body  # what they changed …
    assert "ALF, SKA" in body  # … including the organisations
    assert "Ingenting av det du skrev har sparats än." in body
    assert "Två årsarbetare" in body  # the second person's input is kept
    row = Kedjerad.objects.get(pk=w.row.pk)
    assert (row.prestation, row.resurser, row.version) == ("Ägarens prestation", "", 2)
    assert 'name="version" value="2"' in body

    # Saving again applies the second person's change on top of the first's.
    again = {
        **opened,
        "prestation": "Ägarens prestation",
        "resurser": "Två årsarbetare",
        "organisationer": [w.alf.pk, w.ska.pk],
        "version": 2,
    }
    client.post(url, again, headers=headers)
    row.refresh_from_db()
    assert (row.prestation, row.resurser, row.version) == (
        "Ägarens prestation",
        "Två årsarbetare",
        3,
    )


def test_a_stale_effect_edit_is_refused(client: Client) -> None:
    w = make_world()
    url = reverse("effektkedjor:effekt_andra", args=[w.effect.pk])
    client.force_login(w.users["owner"])
    client.post(url, {"text": "Första ändringen", "version": 1})
    response = client.post(url, {"text": "Andra ändringen", "version": 1})
    body = response.content.decode()
    assert "Någon annan har ändrat effekten" in body
    assert "Första ändringen" in body and "Andra ändringen" in body
    w.effect.refresh_from_db()
    assert w.effect.text == "Första ändringen"


def test_a_stale_area_text_edit_is_refused(client: Client) -> None:
    w = make_world()
    url = reverse("malomraden:malomrade_andra", args=["arbete"])
    client.force_login(w.users["owner"])
    data = {
        "rubrik": "Rubrik ett",
        "version": 1,
        "texter-TOTAL_FORMS": "0",
        "texter-INITIAL_FORMS": "0",
    }
    client.post(url, data)
    response = client.post(url, {**data, "rubrik": "Rubrik två"})
    assert "Någon annan har ändrat målområdets texter" in response.content.decode()
    w.area.refresh_from_db()
    assert w.area.rubrik == "Rubrik ett"


def test_an_admin_correction_moves_the_version_so_an_open_form_gets_the_conflict(
    client: Client,
) -> None:
    w = make_world()
    opened = row_post_data(w.row, tid_kommentar="mitt utkast")  # the form, at version 1
    admin = w.users["director"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    staff = Client()
    staff.force_login(admin)
    url = reverse("admin:effektkedjor_kedjerad_change", args=[w.row.pk])
    page = staff.get(url).content.decode()
    # The change form, not the admin's sign-out form above it.
    change_form = page[page.rindex("<form", 0, page.index('id="kedjerad_form"')) :]
    data = {k: v if len(v) > 1 else v[0] for k, v in form_fields(change_form).items()}
    # The correction is in an inline only: the row no longer serves the effect.
    link = next(k for k in data if k.endswith("-0-effekt"))
    data[link.removesuffix("effekt") + "DELETE"] = "on"
    data.pop("_saveasnew", None)
    saved = staff.post(url, data)
    assert saved.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", saved.content.decode(), re.S
    )

    client.force_login(w.users["official"])
    response = client.post(reverse("effektkedjor:rad_andra", args=[w.row.pk]), opened)
    page = response.content.decode()
    # The conflict names the correction, before and after, so the official sees it.
    assert "Någon annan har ändrat raden" in page
    assert "Bidrar till långsiktiga effekter" in page and "(målområdet som helhet)" in page
    w.row.refresh_from_db()
    assert list(w.row.langsiktiga_effekter.all()) == []
    assert w.row.tid_kommentar == ""
