"""Every change is recorded: who, when, before and after, and shown on the row page."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from effektkedjor.history import row_history
from effektkedjor.models import Lagesrapport
from malomraden.models import Malomrade, Omradestext
from tests.personas import make_world, row_post_data

pytestmark = pytest.mark.django_db


def test_row_history_names_who_and_what(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["official"])
    client.post(
        reverse("effektkedjor:rad_andra", args=[w.row.pk]),
        row_post_data(
            w.row,
            aktivitet="Uppsökande arbete",
            organisationer=[w.alf.pk, w.ska.pk],
            slut="2027-06",
        ),
    )
    entries = row_history(w.row)
    latest = entries[0]
    assert latest.who == "Official"
    assert latest.kind == "Ändrad"
    changes = {c.field: (c.before, c.after) for c in latest.changes}
    assert changes["Aktivitet"] == ("Uppsökande verksamhet", "Uppsökande arbete")
    assert changes["Ansvariga organisationer"] == ("ALF", "ALF, SKA")
    assert changes["Slut (månad)"] == ("(tomt)", "juni 2027")

    client.force_login(w.users["member"])  # readers see the history too
    page = client.get(reverse("effektkedjor:rad", args=[w.row.pk])).content.decode()
    assert "Historik" in page and "Uppsökande arbete" in page and "juni 2027" in page


def test_history_page_has_constant_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    url = reverse("effektkedjor:rad_andra", args=[w.row.pk])
    for i in range(15):
        w.row.refresh_from_db()
        client.post(url, row_post_data(w.row, prestation=f"Version {i}"))
    with django_assert_max_num_queries(25):
        client.get(reverse("effektkedjor:rad", args=[w.row.pk]))


def test_effects_area_texts_and_reports_are_recorded(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    client.post(
        reverse("effektkedjor:effekt_andra", args=[w.effect.pk]),
        {"text": "Ny lydelse", "version": 1},
    )
    record = w.effect.history.latest()
    assert (record.history_user, record.text, record.prev_record.text) == (
        w.users["owner"],
        "Ny lydelse",
        "I Borås ska alla ha utbildning på gymnasienivå",
    )
    client.post(
        reverse("malomraden:malomrade_andra", args=["arbete"]),
        {
            "rubrik": "Ny rubrik",
            "version": 1,
            "texter-TOTAL_FORMS": "1",
            "texter-INITIAL_FORMS": "1",
            "texter-0-id": w.text.pk,
            "texter-0-malomrade": w.area.pk,
            "texter-0-typ": "atagande",
            "texter-0-text": "Vi ska verka mer",
            "texter-0-ordning": "1",
        },
    )
    assert Malomrade.history.filter(rubrik="Ny rubrik", history_user=w.users["owner"]).exists()
    assert Omradestext.history.filter(
        text="Vi ska verka mer", history_user=w.users["owner"]
    ).exists()
    client.post(
        reverse("effektkedjor:rapportera", args=[w.row.pk]),
        {
            "period": w.period.pk,
            "datum": "2026-11-20",
            "status": "klar",
            "bedomning": "enligt_plan",
        },
    )
    assert Lagesrapport.history.filter(history_user=w.users["owner"], history_type="+").count() == 1


def test_deleting_an_effect_is_in_the_history_of_the_rows_that_served_it(
    client: Client,
) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    text = w.effect.text
    version = w.row.version
    client.post(reverse("effektkedjor:effekt_ta_bort", args=[w.effect.pk]))
    w.row.refresh_from_db()
    assert w.row.version == version + 1  # a form opened before gets the conflict
    entry = row_history(w.row)[0]
    owner = w.users["owner"]
    assert entry.who == (owner.get_full_name() or owner.get_username())
    changes = {c.field: (c.before, c.after) for c in entry.changes}
    assert changes["Bidrar till långsiktiga effekter"] == (
        f"{text} (borttagen)",
        "(målområdet som helhet)",
    )
    page = client.get(reverse("effektkedjor:rad", args=[w.row.pk])).content.decode()
    assert f"{text} (borttagen)" in page


def test_deleting_an_effect_in_the_admin_is_in_the_rows_history_too(client: Client) -> None:
    w = make_world()
    admin = w.users["director"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        reverse("admin:effektkedjor_langsiktigeffekt_delete", args=[w.effect.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    changes = {c.field: c.after for c in row_history(w.row)[0].changes}
    assert changes["Bidrar till långsiktiga effekter"] == "(målområdet som helhet)"
