"""Editing rows, long-term effects and area texts: full page and htmx, errors in Swedish,
input kept, and the table re-rendered where it must be."""

import pytest
from django.test import Client
from django.urls import reverse

from effektkedjor.models import Kedjerad, Lagesrapport, LangsiktigEffekt
from malomraden.models import Organisation
from tests.builders import make_row
from tests.personas import make_world, row_post_data

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_official_edits_a_row_without_javascript(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    url = reverse("effektkedjor:rad_andra", args=[w.row.pk])
    page = client.get(url)
    assert "Ändra raden" in page.content.decode()
    response = client.post(
        url,
        row_post_data(w.row, prestation="Fler når studier", start="2026-03", slut="2026-12"),
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(f"#rad-{w.row.pk}")
    assert "sparades" in response.content.decode()
    w.row.refresh_from_db()
    assert w.row.prestation == "Fler når studier"
    assert w.row.start is not None and w.row.start.isoformat() == "2026-03-01"
    assert w.row.version == 2


def test_htmx_save_returns_just_the_row(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    response = client.post(
        reverse("effektkedjor:rad_andra", args=[w.row.pk]),
        row_post_data(w.row, aktivitet="Uppsökande verksamhet i Norrby"),
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="rad-{w.row.pk}"')
    assert "Uppsökande verksamhet i Norrby" in body
    assert "Sparad" in body
    assert "HX-Retarget" not in response


def test_changing_the_effects_redraws_the_table(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    response = client.post(
        reverse("effektkedjor:rad_andra", args=[w.row.pk]),
        row_post_data(w.row, effekter=[]),
        headers=HTMX,
    )
    assert response["HX-Retarget"] == "#kedja-arbete"
    assert response["HX-Reswap"] == "outerHTML"
    assert "Målområdet som helhet" in response.content.decode()


def test_validation_errors_are_swedish_next_to_the_field_and_keep_input(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    response = client.post(
        reverse("effektkedjor:rad_andra", args=[w.row.pk]),
        row_post_data(
            w.row,
            aktivitet="  ",
            prestation="Det jag skrev",
            start="mars",
            resurser_belopp="mycket",
        ),
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Aktiviteten måste fyllas i." in body
    assert "Ange en månad som ÅÅÅÅ-MM, till exempel 2026-03." in body
    assert "Ange beloppet i hela kronor" in body
    assert "Det jag skrev" in body
    assert 'aria-invalid="true"' in body
    w.row.refresh_from_db()
    assert w.row.aktivitet == "Uppsökande verksamhet"


def test_end_before_start_is_refused(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    response = client.post(
        reverse("effektkedjor:rad_andra", args=[w.row.pk]),
        row_post_data(w.row, start="2026-06", slut="2026-02"),
    )
    assert "Slutmånaden kan inte ligga före startmånaden." in response.content.decode()


def test_another_areas_effect_cannot_be_chosen(client: Client) -> None:
    w = make_world()
    foreign = LangsiktigEffekt.objects.create(malomrade=w.other_area, text="Främmande")
    client.force_login(w.users["director"])
    response = client.post(
        reverse("effektkedjor:rad_andra", args=[w.row.pk]),
        row_post_data(w.row, effekter=[foreign.pk]),
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert list(w.row.langsiktiga_effekter.all()) == [w.effect]


def test_responsible_organisations_keep_their_order(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    client.post(
        reverse("effektkedjor:rad_andra", args=[w.row.pk]),
        row_post_data(w.row, organisationer=[w.ska.pk, w.alf.pk]),
    )
    row = Kedjerad.objects.for_display().get(pk=w.row.pk)
    assert [o.kod for o in row.ansvariga_organisationer.all()] == ["ALF", "SKA"]


def test_add_row_at_the_end_and_delete_it(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    response = client.post(
        reverse("effektkedjor:rad_ny", args=["arbete"]),
        {"aktivitet": "Intervjuer med näringslivet", "organisationer": [w.ska.pk]},
        headers=HTMX,
    )
    assert response["HX-Retarget"] == "#kedja-arbete"
    new = Kedjerad.objects.get(aktivitet="Intervjuer med näringslivet")
    assert new.ordning > max(w.row.ordning, w.other_row.ordning)  # last in the table
    assert new.history.latest().history_type == "+"

    confirm = client.get(reverse("effektkedjor:rad_ta_bort", args=[new.pk]), headers=HTMX)
    assert "Ta bort raden" in confirm.content.decode()
    client.post(reverse("effektkedjor:rad_ta_bort", args=[new.pk]), headers=HTMX)
    assert not Kedjerad.objects.filter(pk=new.pk).exists()


def test_move_rows_up_and_down(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    url = reverse("effektkedjor:rad_flytta", args=[w.other_row.pk])
    client.post(url, {"riktning": "upp"})
    order = list(
        Kedjerad.objects.filter(malomrade=w.area).order_by("ordning").values_list("pk", flat=True)
    )
    assert order == [w.other_row.pk, w.row.pk]
    client.post(url, {"riktning": "upp"})  # already first: nothing happens
    assert client.post(url, {"riktning": "sidled"}).status_code == 400
    client.post(url, {"riktning": "ner"}, headers=HTMX)
    order = list(
        Kedjerad.objects.filter(malomrade=w.area).order_by("ordning").values_list("pk", flat=True)
    )
    assert order == [w.row.pk, w.other_row.pk]


def test_move_a_row_to_a_chosen_place_offers_its_group_and_refuses_others(
    client: Client,
) -> None:
    w = make_world()
    second, third = (make_row(w.area, effects=[w.effect]) for _ in range(2))
    client.force_login(w.users["owner"])
    url = reverse("effektkedjor:rad_flytta", args=[third.pk])
    form = client.get(url, headers=HTMX).content.decode()
    # Only the rows serving the same effect are offered; the row's place now is chosen.
    assert f'<option value="{second.pk}" selected>Efter ”{second.aktivitet}”' in form
    assert f'value="{w.other_row.pk}"' not in form
    assert "data-fokus" in form

    refused = client.post(url, {"efter": w.other_row.pk}, headers=HTMX)
    assert "Välj en plats i listan." in refused.content.decode()
    assert refused["HX-Retarget"] == f"#rad-{third.pk}"
    assert not client.post(url, {}, headers=HTMX).content.decode().count("<html")
    assert "Välj var raden ska stå." in client.post(url, {}).content.decode()

    response = client.post(url, {"efter": "forst"})
    assert response.status_code == 302
    order = Kedjerad.objects.filter(malomrade=w.area).order_by("ordning", "id")
    # make_row put both after other_row: the group was split, as in older data.
    assert [r.pk for r in order] == [third.pk, w.row.pk, w.other_row.pk, second.pk]


def test_edit_add_and_remove_long_term_effects(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    response = client.post(
        reverse("effektkedjor:effekt_andra", args=[w.effect.pk]),
        {"text": "I Borås ska alla vuxna ha gymnasieutbildning", "version": 1},
        headers=HTMX,
    )
    body = response.content.decode()
    assert f'<li id="effekt-{w.effect.pk}"' in body
    assert 'hx-swap-oob="outerHTML"' in body  # the table's group headings follow
    w.effect.refresh_from_db()
    assert w.effect.text == "I Borås ska alla vuxna ha gymnasieutbildning"

    client.post(
        reverse("effektkedjor:effekt_ny", args=["arbete"]), {"text": "I Borås ska fler arbeta"}
    )
    assert w.area.langsiktiga_effekter.count() == 2
    empty = client.post(reverse("effektkedjor:effekt_ny", args=["arbete"]), {"text": ""})
    assert "Skriv den långsiktiga effekten." in empty.content.decode()

    client.post(reverse("effektkedjor:effekt_ta_bort", args=[w.effect.pk]))
    assert not LangsiktigEffekt.objects.filter(pk=w.effect.pk).exists()
    assert Kedjerad.objects.filter(pk=w.row.pk).exists()  # the row stays


def test_area_texts_are_edited_on_a_full_page(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    url = reverse("malomraden:malomrade_andra", args=["arbete"])
    assert "Ändra texterna" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "rubrik": "Att ha ett jobb handlar om mer än lön",
            "version": 1,
            "texter-TOTAL_FORMS": "2",
            "texter-INITIAL_FORMS": "1",
            "texter-0-id": w.text.pk,
            "texter-0-malomrade": w.area.pk,
            "texter-0-typ": "atagande",
            "texter-0-text": "Vi ska verka för utbildning",
            "texter-0-ordning": "1",
            "texter-1-malomrade": w.area.pk,
            "texter-1-typ": "reflektion",
            "texter-1-text": "Att lyssna in",
            "texter-1-ordning": "1",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Vi ska verka för utbildning" in body and "Att lyssna in" in body
    w.area.refresh_from_db()
    assert w.area.rubrik == "Att ha ett jobb handlar om mer än lön"
    assert w.area.version == 2


def test_committee_member_sees_no_edit_controls(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["member"])
    edit_urls = [
        reverse("effektkedjor:rad_andra", args=[w.row.pk]),
        reverse("effektkedjor:rapportera", args=[w.row.pk]),
        reverse("effektkedjor:rad_ta_bort", args=[w.row.pk]),
        reverse("effektkedjor:rad_flytta", args=[w.row.pk]),
        reverse("effektkedjor:rad_ny", args=["arbete"]),
        reverse("effektkedjor:effekt_andra", args=[w.effect.pk]),
        reverse("effektkedjor:effekt_ny", args=["arbete"]),
        reverse("malomraden:malomrade_andra", args=["arbete"]),
    ]
    for url in [w.area.get_absolute_url(), reverse("effektkedjor:rad", args=[w.row.pk])]:
        body = client.get(url).content.decode()
        assert not [u for u in edit_urls if u in body], url
        for control in ["Rapportera", "Ta bort", "Lägg till", "Flytta", "Ändra raden"]:
            assert control not in body, (url, control)
        assert body.count("<button") == 1  # "Logga ut" only


def test_official_sees_controls_only_on_their_rows(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    body = client.get(w.area.get_absolute_url()).content.decode()
    assert reverse("effektkedjor:rad_andra", args=[w.row.pk]) in body
    assert reverse("effektkedjor:rad_andra", args=[w.other_row.pk]) not in body
    assert "Lägg till rad" not in body and "Ta bort" not in body


def test_a_row_with_reports_in_a_closed_period_cannot_be_deleted(client: Client) -> None:
    w = make_world()
    Lagesrapport.objects.create(
        rad=w.row, period=w.closed_period, status="pagar", forfattare=w.users["official"]
    )
    client.force_login(w.users["owner"])
    url = reverse("effektkedjor:rad_ta_bort", args=[w.row.pk])
    for headers in ({}, HTMX):
        page = client.get(url, headers=headers).content.decode()
        assert "Raden kan inte tas bort" in page and w.closed_period.namn in page
        assert "knapp--fara" not in page
        refused = client.post(url, headers=headers)
        assert "Raden kan inte tas bort" in refused.content.decode()
        if headers:  # in place of the row, not of the whole table the form targets
            assert refused["HX-Retarget"] == f"#rad-{w.row.pk}"
            assert refused["HX-Reswap"] == "outerHTML"
    assert Kedjerad.objects.filter(pk=w.row.pk).exists()
    assert Lagesrapport.objects.filter(rad=w.row).count() == 1
    # Rows without such reports are deleted as before.
    client.post(reverse("effektkedjor:rad_ta_bort", args=[w.other_row.pk]))
    assert not Kedjerad.objects.filter(pk=w.other_row.pk).exists()


def test_the_admin_does_not_delete_a_row_with_closed_period_reports(client: Client) -> None:
    w = make_world()
    Lagesrapport.objects.create(rad=w.row, period=w.closed_period, status="pagar")
    admin = w.users["director"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:effektkedjor_kedjerad_delete", args=[w.row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Kedjerad.objects.filter(pk=w.row.pk).exists()


def test_an_official_shares_a_row_but_cannot_hand_it_away(client: Client) -> None:
    w = make_world()
    alf = w.row.ansvariga_organisationer.get()
    tek = Organisation.objects.get(kod="TEK")
    client.force_login(w.users["official"])
    url = reverse("effektkedjor:rad_andra", args=[w.row.pk])
    away = client.post(url, row_post_data(w.row, organisationer=[tek.pk]))
    assert "Din förvaltning måste stå kvar som ansvarig." in away.content.decode()
    assert list(w.row.ansvariga_organisationer.all()) == [alf]
    shared = client.post(url, row_post_data(w.row, organisationer=[alf.pk, tek.pk]))
    assert shared.status_code == 302
    assert {o.kod for o in w.row.ansvariga_organisationer.all()} == {"ALF", "TEK"}
    # The area's owner may hand it over.
    w.row.refresh_from_db()
    client.force_login(w.users["owner"])
    handed = client.post(url, row_post_data(w.row, organisationer=[tek.pk]))
    assert handed.status_code == 302
    assert [o.kod for o in w.row.ansvariga_organisationer.all()] == ["TEK"]
