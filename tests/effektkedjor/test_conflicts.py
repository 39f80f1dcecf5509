"""Two people edit the same row: the second save never silently overwrites the first."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from effektkedjor.models import Kedjerad
from tests.load.pages import form_fields
from tests.personas import make_world, row_post_data

pytestmark = pytest.mark.django_db


def _open_as(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


@pytest.mark.parametrize("htmx", [False, True], ids=["sida", "htmx"])
def test_a_save_after_someone_elses_keeps_their_change_in_fields_only_they_changed(
    client: Client, htmx: bool
) -> None:
    """The reported bug: A changes Prestation and sets Tid, kommentar to "löpande"; B,
    whose form was opened before, changes Resurser and saves. B's save is merged: A's two
    changes stay, B's is added, and B is told so."""
    w = make_world()
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("effektkedjor:rad_andra", args=[w.row.pk])
    opened = row_post_data(w.row)  # both open the form at version 1
    _open_as(w.users["owner"]).post(
        url,
        {
            **opened,
            "prestation": "Ägarens prestation",
            "tid_kommentar": "löpande",
            "organisationer": [w.alf.pk, w.ska.pk],
        },
    )

    client.force_login(w.users["official"])
    response = client.post(url, {**opened, "resurser": "Två årsarbetare"}, headers=headers)
    row = Kedjerad.objects.get(pk=w.row.pk)
    assert (row.prestation, row.tid_kommentar, row.resurser) == (
        "Ägarens prestation",
        "löpande",
        "Två årsarbetare",
    )
    assert [o.kod for o in row.ansvariga_organisationer.all()] == ["ALF", "SKA"]
    assert row.version == 3
    if htmx:
        body = response.content.decode()
        assert "Sparad" in body
        assert "Owner hade ändrat" in body and "tid, kommentar" in body
    else:
        assert response.status_code == 302
        told = [str(m) for m in get_messages(response.wsgi_request)]
        assert "står kvar" in told[0]
    # The history tells both changes, the merge as the official's.
    latest, before = row.history.order_by("-history_id")[:2]
    assert (latest.history_user, latest.version) == (w.users["official"], 3)
    assert (before.history_user, before.version) == (w.users["owner"], 2)


def test_organisations_and_effects_merge_per_item(client: Client) -> None:
    w = make_world()
    url = reverse("effektkedjor:rad_andra", args=[w.row.pk])
    opened = row_post_data(w.row, organisationer=[w.alf.pk])
    # A adds SKA; B, from the older form, removes the row's effect.
    _open_as(w.users["owner"]).post(url, {**opened, "organisationer": [w.alf.pk, w.ska.pk]})
    client.force_login(w.users["official"])
    client.post(url, {**opened, "effekter": []})
    row = Kedjerad.objects.get(pk=w.row.pk)
    assert [o.kod for o in row.ansvariga_organisationer.all()] == ["ALF", "SKA"]
    assert list(row.langsiktiga_effekter.all()) == []


@pytest.mark.parametrize("choice", ["mina", "deras"])
def test_a_field_both_changed_is_shown_side_by_side_and_the_user_chooses(
    client: Client, choice: str
) -> None:
    w = make_world()
    url = reverse("effektkedjor:rad_andra", args=[w.row.pk])
    opened = row_post_data(w.row)
    _open_as(w.users["owner"]).post(
        url, {**opened, "prestation": "Ägarens prestation", "tid_kommentar": "löpande"}
    )
    client.force_login(w.users["official"])
    mine = {**opened, "prestation": "Min prestation", "resurser": "Två årsarbetare"}
    page = client.post(url, mine).content.decode()
    assert "Ni har båda ändrat ett fält" in page
    assert "Din ändring: Min prestation" in page
    assert "Den sparade: Ägarens prestation" in page
    fields = form_fields(page[page.rindex("<form", 0, page.index('class="radform"')) :])
    # The form now carries the merge: the owner's Tid, kommentar, the official's
    # Resurser, and the version it was merged on.
    assert fields["tid_kommentar"] == ["löpande"]
    assert fields["resurser"] == ["Två årsarbetare"]
    assert fields["version"] == ["2"] and fields["konflikter"] == ["prestation"]
    row = Kedjerad.objects.get(pk=w.row.pk)
    assert row.resurser == ""  # nothing saved yet

    data = {k: v if len(v) > 1 else v[0] for k, v in fields.items()}
    data.pop("val_prestation", None)
    refused = client.post(url, data).content.decode()
    assert "Välj vilken version av ”Prestation” som ska gälla." in refused

    client.post(url, {**data, "val_prestation": choice})
    row.refresh_from_db()
    expected = "Min prestation" if choice == "mina" else "Ägarens prestation"
    assert (row.prestation, row.tid_kommentar, row.resurser) == (
        expected,
        "löpande",
        "Två årsarbetare",
    )


def test_a_merge_that_would_be_invalid_is_not_saved(client: Client) -> None:
    w = make_world()
    url = reverse("effektkedjor:rad_andra", args=[w.row.pk])
    opened = row_post_data(w.row, start="", slut="")
    _open_as(w.users["owner"]).post(url, {**opened, "slut": "2027-03"})
    client.force_login(w.users["official"])
    page = client.post(url, {**opened, "start": "2027-06"}).content.decode()
    assert "Någon annan har ändrat raden" in page
    assert "Slut" in page and "felruta" in page
    row = Kedjerad.objects.get(pk=w.row.pk)
    assert (row.start, row.slut) == (None, datetime.date(2027, 3, 1))


def test_effect_edits_merge_and_a_text_both_changed_is_chosen(client: Client) -> None:
    w = make_world()
    url = reverse("effektkedjor:effekt_andra", args=[w.effect.pk])
    client.force_login(w.users["owner"])
    client.post(url, {"text": "Första ändringen", "version": 1})
    response = client.post(url, {"text": "Andra ändringen", "version": 1})
    body = response.content.decode()
    assert "Någon annan har ändrat effekten" in body
    assert "Din ändring: Andra ändringen" in body and "Den sparade: Första ändringen" in body
    w.effect.refresh_from_db()
    assert w.effect.text == "Första ändringen"
    response = client.post(
        url,
        {"text": "Andra ändringen", "version": 2, "konflikter": "text", "val_text": "mina"},
    )
    assert response.status_code == 302
    w.effect.refresh_from_db()
    assert (w.effect.text, w.effect.version) == ("Andra ändringen", 3)


def test_an_effect_field_only_the_other_changed_keeps_their_value(client: Client) -> None:
    w = make_world()
    url = reverse("effektkedjor:effekt_andra", args=[w.effect.pk])
    text = w.effect.text
    # The programme management marks the wording uncertain (only it may: the owner's form
    # has no such field) while the owner's form is open.
    _open_as(w.users["director"]).post(url, {"text": text, "osaker": "on", "version": 1})
    client.force_login(w.users["owner"])
    response = client.post(
        url, {"text": "Ny lydelse", "version": 1}, headers={"HX-Request": "true"}
    )
    assert "Den långsiktiga effekten sparades." in response.content.decode()
    w.effect.refresh_from_db()
    assert (w.effect.text, w.effect.osaker) == ("Ny lydelse", True)


def _area_post(version: int, rubrik: str, texts: list[dict[str, object]]) -> dict[str, object]:
    data: dict[str, object] = {
        "rubrik": rubrik,
        "version": version,
        "texter-TOTAL_FORMS": str(len(texts)),
        "texter-INITIAL_FORMS": str(sum(1 for t in texts if "id" in t)),
    }
    for i, text in enumerate(texts):
        for key, value in text.items():
            data[f"texter-{i}-{key}"] = value
    return data


def test_area_texts_merge_per_text_and_a_headline_both_changed_is_chosen(client: Client) -> None:
    w = make_world()
    url = reverse("malomraden:malomrade_andra", args=["arbete"])
    _open_as(w.users["owner"]).post(url, _area_post(1, "", []))  # version 2, no texts
    ours = _area_post(2, "", [])
    # A adds a text and sets a headline; B, from the same version, also sets one and
    # adds another text.
    _open_as(w.users["owner"]).post(
        url,
        _area_post(2, "Rubrik ett", [{"typ": "atagande", "text": "Vi ska mäta", "ordning": 1}]),
    )
    client.force_login(w.users["owner"])
    mine = {
        **ours,
        **_area_post(2, "Rubrik två", [{"typ": "nulage", "text": "Läget i höst", "ordning": 2}]),
    }
    page = client.post(url, mine).content.decode()
    assert "Någon annan har ändrat målområdets texter" in page
    assert "Din ändring: Rubrik två" in page and "Den sparade: Rubrik ett" in page
    w.area.refresh_from_db()
    assert w.area.rubrik == "Rubrik ett"
    fields = form_fields(page[page.rindex("<form", 0, page.index('name="konflikter"')) :])
    data = {k: v if len(v) > 1 else v[0] for k, v in fields.items()}
    assert data["konflikter"] == "rubrik"
    # Both texts are in the merged form.
    texts = {v for k, v in data.items() if k.startswith("texter-") and k.endswith("-text")}
    assert {"Vi ska mäta", "Läget i höst"} <= texts
    refused = client.post(url, data).content.decode()
    assert "Välj vilken version av ”Rubrik” som ska gälla." in refused

    assert client.post(url, {**data, "val_rubrik": "deras"}).status_code == 302
    w.area.refresh_from_db()
    assert w.area.rubrik == "Rubrik ett"
    assert {"Läget i höst", "Vi ska mäta"} <= set(w.area.texter.values_list("text", flat=True))


def test_an_area_text_only_the_other_changed_keeps_their_change(client: Client) -> None:
    w = make_world()
    url = reverse("malomraden:malomrade_andra", args=["arbete"])
    owner = _open_as(w.users["owner"])
    owner.post(url, _area_post(1, "", [{"typ": "atagande", "text": "Vi ska mäta", "ordning": 1}]))
    text = w.area.texter.get(text="Vi ska mäta")
    opened = _area_post(
        2,
        "",
        [
            {
                "id": text.pk,
                "malomrade": w.area.pk,
                "typ": "atagande",
                "text": "Vi ska mäta",
                "ordning": 1,
            }
        ],
    )
    owner.post(url, {**opened, "texter-0-text": "Vi ska mäta varje år"})
    client.force_login(w.users["owner"])
    response = client.post(url, {**opened, "rubrik": "Arbete för alla"})
    assert response.status_code == 302
    w.area.refresh_from_db()
    assert w.area.rubrik == "Arbete för alla"
    assert "Vi ska mäta varje år" in w.area.texter.values_list("text", flat=True)


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
    # The official's change is merged with the correction: the link stays removed.
    assert response.status_code == 302
    w.row.refresh_from_db()
    assert list(w.row.langsiktiga_effekter.all()) == []
    assert w.row.tid_kommentar == "mitt utkast"
