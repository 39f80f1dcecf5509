"""The permission matrix: every view and fragment × every role, anonymous, the wrong
HTTP method, and htmx as well as full-page requests. Forbidden writes change nothing."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from effektkedjor.models import (
    Hamtning,
    Indikator,
    Indikatorvarde,
    Kedjerad,
    Lagesrapport,
    LangsiktigEffekt,
    Rapportperiod,
)
from malomraden.models import Omradestext
from tests.builders import make_row
from tests.personas import ROLES, World, make_world, row_post_data

pytestmark = pytest.mark.django_db

EVERYONE = set(ROLES)
ROW_EDITORS = {"director", "owner", "official"}
AREA_EDITORS = {"director", "owner"}


@dataclass
class Endpoint:
    name: str
    method: str
    url: Callable[[World], str]
    allowed: set[str]
    data: Callable[[World], dict[str, object]] | None = None
    query: str = ""
    # Data the request needs beyond the world, made before the snapshot is taken.
    prepare: Callable[[World], object] | None = None

    def world(self) -> World:
        world = make_world()
        if self.prepare:
            self.prepare(world)
        return world

    @property
    def fragment(self) -> bool:
        """Does an htmx request get a fragment (not the whole page)?"""
        return self.name.startswith(("rad_", "rapportera", "effekt_")) or bool(self.query)


def _report(w: World) -> dict[str, object]:
    return {
        "period": w.period.pk,
        "datum": "2026-11-20",
        "status": "pagar",
        "bedomning": "enligt_plan",
        "kommentar": "Arbetet pågår",
    }


def _period(w: World) -> dict[str, object]:
    year = w.period.start.year
    return {
        "typ": "tertial",
        "namn": f"Tertial 2 {year}",
        "start": f"{year}-05-01",
        "slut": f"{year}-08-31",
        "sista_rapportdag": f"{year}-08-20",
    }


def _area_texts(w: World) -> dict[str, object]:
    return {
        "rubrik": "Ny rubrik",
        "version": w.area.version,
        "texter-TOTAL_FORMS": "1",
        "texter-INITIAL_FORMS": "1",
        "texter-0-id": w.text.pk,
        "texter-0-malomrade": w.area.pk,
        "texter-0-typ": "atagande",
        "texter-0-text": "Vi ska verka mer",
        "texter-0-ordning": "1",
    }


ENDPOINTS = [
    Endpoint("program", "get", lambda w: reverse("malomraden:program"), EVERYONE),
    Endpoint("organisationer", "get", lambda w: reverse("malomraden:organisationer"), EVERYONE),
    Endpoint("organisation", "get", lambda w: w.alf.get_absolute_url(), EVERYONE),
    Endpoint("malomrade", "get", lambda w: w.area.get_absolute_url(), EVERYONE),
    Endpoint("start", "get", lambda w: reverse("effektkedjor:start"), EVERYONE),
    Endpoint("mina_rader", "get", lambda w: reverse("effektkedjor:mina_rader"), EVERYONE),
    Endpoint("rad", "get", lambda w: reverse("effektkedjor:rad", args=[w.row.pk]), EVERYONE),
    Endpoint(
        "instrumentpanel_nyckeltal",
        "get",
        lambda w: reverse("effektkedjor:instrumentpanel_nyckeltal") + "?omrade=arbete",
        EVERYONE,
    ),
    Endpoint(
        "export_nyckeltal",
        "get",
        lambda w: reverse("effektkedjor:export_nyckeltal", args=["xlsx"]) + "?omrade=arbete",
        EVERYONE,
    ),
    Endpoint(
        "nyckeltal",
        "get",
        lambda w: reverse("effektkedjor:nyckeltal", args=[_the_indicator().pk]),
        EVERYONE,
        prepare=lambda w: Indikator.objects.create(malomrade=w.area, namn="Valdeltagande"),
    ),
    Endpoint(
        "rad (tabellrad)",
        "get",
        lambda w: reverse("effektkedjor:rad", args=[w.row.pk]),
        EVERYONE,
        query="?del=rad",
    ),
    Endpoint(
        "rad (läge)",
        "get",
        lambda w: reverse("effektkedjor:rad", args=[w.row.pk]),
        EVERYONE,
        query="?del=lage",
    ),
    Endpoint(
        "rad_andra",
        "get",
        lambda w: reverse("effektkedjor:rad_andra", args=[w.row.pk]),
        ROW_EDITORS,
    ),
    Endpoint(
        "rad_andra",
        "post",
        lambda w: reverse("effektkedjor:rad_andra", args=[w.row.pk]),
        ROW_EDITORS,
        data=lambda w: row_post_data(w.row, aktivitet="Ändrad aktivitet"),
    ),
    Endpoint(
        "rad_ny", "get", lambda w: reverse("effektkedjor:rad_ny", args=["arbete"]), AREA_EDITORS
    ),
    Endpoint(
        "rad_ny",
        "post",
        lambda w: reverse("effektkedjor:rad_ny", args=["arbete"]),
        AREA_EDITORS,
        data=lambda w: {"aktivitet": "Ny aktivitet", "organisationer": [w.alf.pk]},
    ),
    Endpoint(
        "rad_ta_bort",
        "get",
        lambda w: reverse("effektkedjor:rad_ta_bort", args=[w.row.pk]),
        AREA_EDITORS,
    ),
    Endpoint(
        "rad_ta_bort",
        "post",
        lambda w: reverse("effektkedjor:rad_ta_bort", args=[w.row.pk]),
        AREA_EDITORS,
        data=lambda w: {},
    ),
    Endpoint(
        "rad_flytta",
        "post",
        lambda w: reverse("effektkedjor:rad_flytta", args=[w.other_row.pk]),
        AREA_EDITORS,
        data=lambda w: {"riktning": "upp"},
    ),
    Endpoint(
        "rad_flytta",
        "get",
        lambda w: reverse("effektkedjor:rad_flytta", args=[w.row.pk]),
        AREA_EDITORS,
    ),
    Endpoint(
        "rad_flytta (flytta till)",
        "post",
        lambda w: reverse("effektkedjor:rad_flytta", args=[w.row.pk]),
        AREA_EDITORS,
        data=lambda w: {"efter": "forst"},
        # A second row of the same effect, before it: "först" moves the row.
        prepare=lambda w: make_row(w.area, effects=[w.effect], ordning=0),
    ),
    Endpoint(
        "rapportera",
        "get",
        lambda w: reverse("effektkedjor:rapportera", args=[w.row.pk]),
        ROW_EDITORS,
    ),
    Endpoint(
        "rapportera",
        "post",
        lambda w: reverse("effektkedjor:rapportera", args=[w.row.pk]),
        ROW_EDITORS,
        data=_report,
    ),
    Endpoint(
        "effekt_ny",
        "get",
        lambda w: reverse("effektkedjor:effekt_ny", args=["arbete"]),
        AREA_EDITORS,
    ),
    Endpoint(
        "effekt_ny",
        "post",
        lambda w: reverse("effektkedjor:effekt_ny", args=["arbete"]),
        AREA_EDITORS,
        data=lambda w: {"text": "I Borås ska fler arbeta"},
    ),
    Endpoint(
        "effekt_andra",
        "get",
        lambda w: reverse("effektkedjor:effekt_andra", args=[w.effect.pk]),
        AREA_EDITORS,
    ),
    Endpoint(
        "effekt_andra",
        "post",
        lambda w: reverse("effektkedjor:effekt_andra", args=[w.effect.pk]),
        AREA_EDITORS,
        data=lambda w: {"text": "Ändrad effekt", "version": w.effect.version},
    ),
    Endpoint(
        "effekt_ta_bort",
        "get",
        lambda w: reverse("effektkedjor:effekt_ta_bort", args=[w.effect.pk]),
        AREA_EDITORS,
    ),
    Endpoint(
        "effekt_ta_bort",
        "post",
        lambda w: reverse("effektkedjor:effekt_ta_bort", args=[w.effect.pk]),
        AREA_EDITORS,
        data=lambda w: {},
    ),
    Endpoint(
        "malomrade_andra",
        "get",
        lambda w: reverse("malomraden:malomrade_andra", args=["arbete"]),
        AREA_EDITORS,
    ),
    Endpoint(
        "malomrade_andra",
        "post",
        lambda w: reverse("malomraden:malomrade_andra", args=["arbete"]),
        AREA_EDITORS,
        data=_area_texts,
    ),
    Endpoint(
        "indikator_ny",
        "get",
        lambda w: reverse("effektkedjor:indikator_ny", args=["arbete"]),
        AREA_EDITORS,
    ),
    Endpoint(
        "indikator_ny",
        "post",
        lambda w: reverse("effektkedjor:indikator_ny", args=["arbete"]),
        AREA_EDITORS,
        data=lambda w: _indicator(w),
    ),
    Endpoint(
        "indikator_andra",
        "get",
        lambda w: reverse("effektkedjor:indikator_andra", args=[_the_indicator().pk]),
        AREA_EDITORS,
        prepare=lambda w: Indikator.objects.create(malomrade=w.area, namn="Valdeltagande"),
    ),
    Endpoint(
        "indikator_andra",
        "post",
        lambda w: reverse("effektkedjor:indikator_andra", args=[_the_indicator().pk]),
        AREA_EDITORS,
        data=lambda w: _indicator(w, namn="Valdeltagande, andel", version=1),
        prepare=lambda w: Indikator.objects.create(malomrade=w.area, namn="Valdeltagande"),
    ),
    Endpoint(
        "indikator_varden",
        "get",
        lambda w: reverse("effektkedjor:indikator_varden", args=[_the_indicator().pk]),
        AREA_EDITORS,
        prepare=lambda w: Indikator.objects.create(malomrade=w.area, namn="Valdeltagande"),
    ),
    Endpoint(
        "indikator_varden",
        "post",
        lambda w: reverse("effektkedjor:indikator_varden", args=[_the_indicator().pk]),
        AREA_EDITORS,
        data=lambda w: {"ar": "2025", "kon": "T", "varde": "61"},
        prepare=lambda w: Indikator.objects.create(malomrade=w.area, namn="Valdeltagande"),
    ),
    Endpoint(
        "indikator_import",
        "get",
        lambda w: reverse("effektkedjor:indikator_import", args=["arbete"]),
        AREA_EDITORS,
    ),
    # Fetching indicator values from Kolada: the programme management's alone.
    Endpoint("hamtningar", "get", lambda w: reverse("effektkedjor:hamtningar"), {"director"}),
    Endpoint(
        "hamtningar",
        "post",
        lambda w: reverse("effektkedjor:hamtningar"),
        {"director"},
        data=lambda w: {},
    ),
    Endpoint(
        "hamtning",
        "get",
        lambda w: reverse("effektkedjor:hamtning", args=[Hamtning.objects.get().pk]),
        {"director"},
        prepare=lambda w: Hamtning.objects.create(vad="N15428, 2024, från Kolada"),
    ),
    # Reporting periods: the programme management's alone.
    Endpoint("period_ny", "get", lambda w: reverse("effektkedjor:period_ny"), {"director"}),
    Endpoint(
        "period_ny",
        "post",
        lambda w: reverse("effektkedjor:period_ny"),
        {"director"},
        data=_period,
    ),
    Endpoint(
        "period_andra",
        "get",
        lambda w: reverse("effektkedjor:period_andra", args=[w.period.pk]),
        {"director"},
    ),
    Endpoint(
        "period_andra",
        "post",
        lambda w: reverse("effektkedjor:period_andra", args=[w.period.pk]),
        {"director"},
        data=lambda w: {**_period(w), "namn": "Helåret"},
    ),
    Endpoint(
        "period_aktuell",
        "post",
        lambda w: reverse(
            "effektkedjor:period_aktuell", args=[Rapportperiod.objects.get(namn="Tertial 3").pk]
        ),
        {"director"},
        data=lambda w: {},
        prepare=lambda w: Rapportperiod.objects.create(
            namn="Tertial 3",
            typ="tertial",
            start=datetime.date(w.period.start.year, 9, 1),
            slut=datetime.date(w.period.start.year, 12, 31),
        ),
    ),
    Endpoint(
        "period_stang",
        "get",
        lambda w: reverse("effektkedjor:period_stang", args=[w.period.pk]),
        {"director"},
    ),
    Endpoint(
        "period_stang",
        "post",
        lambda w: reverse("effektkedjor:period_stang", args=[w.period.pk]),
        {"director"},
        data=lambda w: {"bekrafta": "ja"},
    ),
]


def _the_indicator() -> Indikator:
    return Indikator.objects.get(namn="Valdeltagande")


def _indicator(w: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "namn": "Arbetslösa 18–24 år",
        "kalla": "manuell",
        "kommun": "1490",
        "enhet": "procent",
        "riktning": "lagre",
        "effekter": [w.effect.pk],
    }
    data.update(changes)
    return data


def _snapshot() -> tuple[object, ...]:
    """What a forbidden request must leave untouched."""
    return (
        list(Kedjerad.objects.order_by("pk").values_list("pk", "aktivitet", "ordning", "version")),
        list(LangsiktigEffekt.objects.order_by("pk").values_list("pk", "text")),
        Lagesrapport.objects.count(),
        list(Rapportperiod.objects.order_by("pk").values_list("namn", "aktuell", "stangd")),
        list(Omradestext.objects.values_list("text", flat=True)),
        list(Indikator.objects.order_by("pk").values_list("pk", "namn", "version")),
        list(Indikatorvarde.objects.order_by("pk").values_list("pk", "varde")),
        Hamtning.objects.count(),
    )


def _request(client: Client, endpoint: Endpoint, world: World, *, htmx: bool):
    url = endpoint.url(world) + endpoint.query
    headers = {"HX-Request": "true"} if htmx else {}
    if endpoint.method == "post":
        assert endpoint.data is not None
        return client.post(url, endpoint.data(world), headers=headers)
    return client.get(url, headers=headers)


CASES = [
    pytest.param(
        e, role, htmx, id=f"{e.method}-{e.name}{e.query}-{role}-{'htmx' if htmx else 'sida'}"
    )
    for e in ENDPOINTS
    for role in ROLES
    for htmx in (False, True)
]


@pytest.mark.parametrize(("endpoint", "role", "htmx"), CASES)
def test_role_matrix(client: Client, endpoint: Endpoint, role: str, htmx: bool) -> None:
    world = endpoint.world()
    client.force_login(world.users[role])
    before = _snapshot()
    response = _request(client, endpoint, world, htmx=htmx)
    if role in endpoint.allowed:
        assert response.status_code in {200, 302}, response.content[:500]
        if htmx and endpoint.fragment and response.status_code == 200:
            assert b"<html" not in response.content  # a fragment, not a page
        if endpoint.method == "post":
            assert _snapshot() != before, "an allowed write changed nothing"
    else:
        assert response.status_code == 403
        assert "Åtkomst nekad" in response.content.decode()
        assert _snapshot() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method}-{e.name}{e.query}")
def test_anonymous_is_sent_to_sign_in(client: Client, endpoint: Endpoint) -> None:
    world = endpoint.world()
    before = _snapshot()
    response = _request(client, endpoint, world, htmx=False)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert _snapshot() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method}-{e.name}{e.query}")
def test_wrong_method_is_refused(client: Client, endpoint: Endpoint) -> None:
    world = endpoint.world()
    client.force_login(world.users["director"])
    before = _snapshot()
    url = endpoint.url(world)
    if endpoint.method == "get" and endpoint.name not in {
        "rad_andra",
        "rad_ny",
        "rad_ta_bort",
        "rad_flytta",
        "rapportera",
        "effekt_ny",
        "effekt_andra",
        "effekt_ta_bort",
        "indikator_ny",
        "indikator_andra",
        "indikator_varden",
        "indikator_import",
        "hamtningar",
        "malomrade_andra",
        "period_ny",
        "period_andra",
        "period_stang",
    }:
        response = client.post(url, {})
    else:
        response = client.delete(url)
    assert response.status_code == 405
    assert _snapshot() == before
