"""Comparisons: a fetch also stores the whole country ("0000") and the mean of a group of
similar municipalities (looked up by its title) as the indicator's comparisons, and the
indicator page draws and tabulates them. Against the loopback fake Kolada."""

import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from effektkedjor.indicators import lage
from effektkedjor.models import Indikator, Indikatorvarde
from effektkedjor.services.indicators import fetch_indicators
from tests.builders import make_user
from tests.effektkedjor.test_kolada import Answer, FakeKolada, page, row
from tests.personas import make_world

pytestmark = pytest.mark.django_db

GROUP = "Liknande kommuner övergripande, Borås"


@pytest.fixture
def fake() -> Iterator[FakeKolada]:
    server = FakeKolada()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()


def _answers(fake: FakeKolada) -> None:
    fake.kpi("N15428")
    fake.on(
        "data/kpi/N15428/municipality/0000,1490/year/2023,2024",
        Answer(
            body=page(
                row("N15428", 2023, ("T", 80.0), ("K", 82.0), ("M", 78.0)),
                row("N15428", 2024, ("T", 81.0)),
                row("N15428", 2023, ("T", 84.0), place="0000"),
                row("N15428", 2024, ("T", 84.5), place="0000"),
            )
        ),
    )
    fake.on(
        "municipality_groups?title=Liknande+kommuner+%C3%B6vergripande%2C+Bor%C3%A5s",
        Answer(
            body=page(
                {"id": "G1", "title": GROUP + " (gammal)", "members": [{"id": "9999"}]},
                {"id": "G2", "title": GROUP, "members": [{"id": "1480"}, {"id": "1380"}]},
            )
        ),
    )
    fake.on(
        "data/kpi/N15428/municipality/1380,1480/year/2023,2024",
        Answer(
            body=page(
                row("N15428", 2023, ("T", 70.0), place="1480"),
                row("N15428", 2023, ("T", 75.0), place="1380"),
                row("N15428", 2024, ("T", None), place="1480"),
                row("N15428", 2024, ("T", 76.0), place="1380"),
            )
        ),
    )


def test_a_fetch_stores_the_country_and_the_groups_mean_as_comparisons(
    fake: FakeKolada, settings: Any, client: Client
) -> None:
    settings.KOLADA_JAMFORELSER = True
    settings.KOLADA_JAMFORELSEGRUPP = GROUP
    _answers(fake)
    w = make_world()
    ind = Indikator.objects.create(
        malomrade=w.area, namn="Behöriga", kalla="kolada", kolada_kpi="N15428", enhet="procent"
    )
    log = fetch_indicators(client=fake.client(), years=[2023, 2024])
    assert log.lyckades, log.fel
    rows = sorted(
        (v.plats, v.ar, v.kon, v.varde) for v in Indikatorvarde.objects.filter(indikator=ind)
    )
    assert rows == [
        ("", 2023, "K", Decimal("82.00")),
        ("", 2023, "M", Decimal("78.00")),
        ("", 2023, "T", Decimal("80.00")),
        ("", 2024, "T", Decimal("81.00")),
        ("0000", 2023, "T", Decimal("84.00")),
        ("0000", 2024, "T", Decimal("84.50")),
        # The group's mean over the members with a value (a null is left out).
        ("grupp", 2023, "T", Decimal("72.50")),
        ("grupp", 2024, "T", Decimal("76.00")),
    ]
    state = lage(Indikator.objects.get(pk=ind.pk))
    # The indicator's own latest value is Borås's, never a comparison's.
    assert state.senaste is not None and state.senaste.varde == Decimal(81)
    assert [s.namn for s in state.jamforelser] == ["Riket", f"{GROUP} (medel)"]

    client.force_login(make_user())
    html = client.get(reverse("effektkedjor:nyckeltal", args=[ind.pk])).content.decode()
    assert '<th scope="col">Riket</th>' in html
    assert f">{GROUP} (medel)</text>" in html
    assert "<td>81\xa0%</td><td>–</td><td>–</td><td>84,5\xa0%</td><td>76\xa0%</td>" in html
    # A second fetch with the same figures changes nothing.
    assert fetch_indicators(client=fake.client(), years=[2023, 2024]).antal_andrade == 0


def test_an_unknown_group_is_a_warning_and_the_country_is_still_stored(
    fake: FakeKolada, settings: Any
) -> None:
    settings.KOLADA_JAMFORELSER = True
    settings.KOLADA_JAMFORELSEGRUPP = "Finns inte"
    _answers(fake)
    fake.on("municipality_groups?title=Finns+inte", Answer(body=page()))
    w = make_world()
    ind = Indikator.objects.create(
        malomrade=w.area, namn="Behöriga", kalla="kolada", kolada_kpi="N15428"
    )
    log = fetch_indicators(client=fake.client(), years=[2023, 2024])
    assert log.fel == "Kolada har ingen kommungrupp som heter ”Finns inte”."
    assert ind.varden.filter(plats="0000").count() == 2
    assert not ind.varden.filter(plats="grupp").exists()


def test_entering_a_value_by_hand_never_touches_a_comparison() -> None:
    from effektkedjor.services.indicators import NyttVarde, save_values

    w = make_world()
    ind = Indikator.objects.create(malomrade=w.area, namn="Behöriga")
    Indikatorvarde.objects.create(indikator=ind, plats="0000", ar=2023, varde=84)
    save_values(
        indikator=ind,
        varden=[NyttVarde(ar=2023, period="", kon="T", varde=Decimal(80))],
        user=make_user(),
        reason="Inmatat",
    )
    assert sorted(ind.varden.values_list("plats", "varde")) == [
        ("", Decimal("80.00")),
        ("0000", Decimal("84.00")),
    ]


def test_a_long_comparison_name_gets_a_legend_row_of_its_own() -> None:
    import re

    from effektkedjor.charts import Linje, line_chart
    from effektkedjor.indicators import Punkt

    points = [Punkt(ar=2020, varde=Decimal(1)), Punkt(ar=2021, varde=Decimal(2))]
    long_name = "Liknande kommuner övergripande, Borås (medel)"
    svg = line_chart(
        chart_id="x",
        title="T",
        description="D",
        unit="Värde",
        lines=[
            Linje(namn="Totalt", stil="T", punkter=points),
            Linje(namn=long_name, stil="grupp", punkter=points),
            Linje(namn="Riket", stil="0000", punkter=points),
        ],
    )
    legend = dict(
        (name, (float(x), float(y)))
        for x, y, name in re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)" class="diagram__etikett">([^<]+)</text>', svg
        )
    )
    assert legend["Totalt"][1] < legend[long_name][1] < legend["Riket"][1]
    assert legend[long_name][0] == legend["Riket"][0] == legend["Totalt"][0]
    assert 'viewBox="0 0 480 318"' in svg  # three legend rows: one more than room for two


def test_the_committee_reports_table_has_a_column_per_series_with_comparisons() -> None:
    from effektkedjor.reports import _indicator_data

    w = make_world()
    ind = Indikator.objects.create(malomrade=w.area, namn="Behöriga", enhet="procent")
    Indikatorvarde.objects.create(indikator=ind, ar=2023, varde=80)
    Indikatorvarde.objects.create(indikator=ind, plats="0000", ar=2023, varde=84)
    data = _indicator_data(lage(Indikator.objects.get(pk=ind.pk)))
    assert [s["namn"] for s in data["serier"]] == ["Totalt", "Riket"]
    assert [s["kon"] for s in data["serier"]] == ["T", "0000"]
    assert data["tabell"][0]["varden"] == ["80\xa0%", "84\xa0%"]
