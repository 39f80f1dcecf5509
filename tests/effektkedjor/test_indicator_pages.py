"""The area page's indicators and the indicator page: what they say, who reads them, queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from effektkedjor.models import Hamtning, Indikator, Indikatorvarde
from tests.builders import make_area, make_effect, make_indicator, make_user

pytestmark = pytest.mark.django_db


def _gymnasium(**kwargs: object) -> Indikator:
    area = make_area(kortnamn="Utbildning")
    effect = make_effect(area, text="Fler elever är behöriga till gymnasiet")
    ind = make_indicator(
        area,
        effects=[effect],
        values={2019: 80, 2021: 82, 2023: 85},
        namn="Elever i åk 9 behöriga till yrkesprogram",
        enhet=Indikator.Enhet.PROCENT,
        kalla=Indikator.Kalla.KOLADA,
        kolada_kpi="N15428",
        baslinje_ar=2019,
        baslinje_varde=80,
        mal_ar=2029,
        mal_varde=90,
        **kwargs,
    )
    for kon, value in (("K", 87), ("M", 83)):
        Indikatorvarde.objects.create(indikator=ind, ar=2023, kon=kon, varde=value)
    return ind


def test_the_area_page_shows_each_effects_indicators_with_status_in_words(client: Client) -> None:
    ind = _gymnasium()
    make_indicator(ind.malomrade, namn="Eget nyckeltal utan effekt")
    client.force_login(make_user())
    html = client.get(ind.malomrade.get_absolute_url()).content.decode()
    section = html[html.index('id="indikator-rubrik"') :]
    assert "Fler elever är behöriga till gymnasiet</h3>" in section
    assert "Målområdet som helhet</h3>" in section
    assert "85\xa0%" in section and "(2023)" in section
    assert "+5\xa0procentenheter, bättre" in section
    assert "50\xa0% av vägen till målet 2029" in section
    # The line from 80 % (2019) to 90 % (2029) passes 84 % in 2023: 85 % is on track.
    assert ">I fas</span>" in section
    assert "Källa: Kolada" in section
    assert 'class="sparkline"' in section and "från 80\xa0% till 85\xa0%" in section
    assert reverse("effektkedjor:nyckeltal", args=[ind.pk]) in section
    assert "Inga värden ännu." in section


def test_the_indicator_page_has_chart_table_source_fetch_and_history(client: Client) -> None:
    ind = _gymnasium()
    Hamtning.objects.create(
        vad="N15428, 2019–2023, från Kolada", antal_varden=5, klar=timezone.now()
    )
    value = ind.varden.get(ar=2023, kon="T")
    value.varde = Decimal(86)
    value._change_reason = "Reviderat värde från Kolada"  # type: ignore[attr-defined]
    value.save()
    client.force_login(make_user())
    html = client.get(reverse("effektkedjor:nyckeltal", args=[ind.pk])).content.decode()
    assert "<title id=" in html and "<desc id=" in html
    assert ">År</text>" in html and "Värde (%)" in html
    for legend in ("Totalt", "Kvinnor", "Män", "Utgångsläge 2019", "Mål 2029"):
        assert f">{legend}</text>" in html
    assert '<th scope="row">2023</th><td>86\xa0%</td><td>87\xa0%</td><td>83\xa0%</td>' in html
    assert "Källa: Kolada, nyckeltal N15428" in html
    assert "Senaste hämtning:" in html and "5 värden" in html
    assert "Reviderat värde från Kolada" in html
    assert "Ändrad" in html and "Skapad" in html


def test_the_indicator_page_needs_sign_in_and_is_404_for_unknown(client: Client) -> None:
    ind = _gymnasium()
    url = reverse("effektkedjor:nyckeltal", args=[ind.pk])
    assert client.get(url).status_code == 302
    client.force_login(make_user())
    assert client.get(url).status_code == 200
    assert client.get(reverse("effektkedjor:nyckeltal", args=[ind.pk + 100])).status_code == 404


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_indicator_page_runs_the_same_queries_for_few_and_many_values(client: Client) -> None:
    client.force_login(make_user())
    counts = []
    for years in (3, 40):
        ind = _gymnasium()
        for i in range(years):
            for kon in "KM":
                Indikatorvarde.objects.create(indikator=ind, ar=1950 + i, kon=kon, varde=i)
        counts.append(_queries(client, reverse("effektkedjor:nyckeltal", args=[ind.pk])))
    assert counts[0] == counts[1], counts


def test_the_area_page_runs_the_same_queries_for_few_and_many_indicators(client: Client) -> None:
    client.force_login(make_user())
    counts = []
    for n in (1, 12):
        area = make_area()
        effects = [make_effect(area) for _ in range(3)]
        for i in range(n):
            make_indicator(area, effects=effects[: 1 + i % 3], values={2020: i, 2021: i + 1})
        counts.append(_queries(client, area.get_absolute_url()))
    assert counts[0] == counts[1], counts


def test_only_the_areas_editors_get_the_links_to_change_it(client: Client) -> None:
    from tests.personas import make_world

    world = make_world()
    ind = make_indicator(world.area, values={2020: 1})
    url = reverse("effektkedjor:nyckeltal", args=[ind.pk])
    client.force_login(world.users["owner"])
    assert "Ändra nyckeltalet" in client.get(url).content.decode()
    client.force_login(world.users["official"])
    assert "Ändra nyckeltalet" not in client.get(url).content.decode()
