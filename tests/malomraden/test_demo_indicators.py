"""The demo database's indicators (create_demo, issue 13): one for every long-term effect,
example values marked as example data, the seed's note on gymnasiebehörighet, and a
second run changes nothing."""

import os

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from effektkedjor import indicators
from effektkedjor.models import Indikator, Indikatorvarde, LangsiktigEffekt, Periodbild
from effektkedjor.services.indicators import kolada_indicators
from malomraden.management.commands._demo_indicators import EXEMPELDATA
from malomraden.models import Malomrade


def _demo() -> None:
    call_command("create_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.mark.django_db
def test_every_long_term_effect_of_the_seed_gets_an_indicator_with_example_values(
    program: None,
) -> None:
    _demo()
    assert LangsiktigEffekt.objects.count() == 13
    assert not LangsiktigEffekt.objects.filter(indikatorer__isnull=True).exists()
    demo = Indikator.objects.filter(kalla_text=EXEMPELDATA)
    assert demo.count() == 17
    for indicator in demo:
        # Every one says it is example data, in its source and in how it is measured,
        # and serves effects of its own area only.
        assert indicator.kalla == Indikator.Kalla.MANUELL
        assert "exempeldata" in indicator.beskrivning
        assert {e.malomrade_id for e in indicator.effekter.all()} == {indicator.malomrade_id}
        assert indicator.baslinje_ar and indicator.mal_ar and indicator.mal_varde is not None
    assert not set(kolada_indicators()) & set(demo)  # fetch_indicators leaves them alone
    values = Indikatorvarde.objects.filter(indikator__in=demo)
    assert values.count() > 150
    assert set(values.values_list("kalla", flat=True)) == {Indikator.Kalla.MANUELL}
    # Several years each, and the dashboard has every status to show.
    assert values.filter(kon="T").values("ar").distinct().count() >= 10
    statuses = {lage.status for lage in indicators.lagen(demo)}
    assert statuses == set(indicators.Status)
    # The verified Kolada ids of the issue are named.
    assert {"N15428", "N17461", "N03920", "N00610", "N05401"} <= set(
        demo.values_list("kolada_kpi", flat=True)
    )


@pytest.mark.django_db
def test_gymnasiebehorighet_has_the_seeds_statement_as_its_baseline_note(program: None) -> None:
    _demo()
    indicator = Indikator.objects.get(kolada_kpi="N15428")
    assert indicator.malomrade.slug == "god-start-i-livet"
    assert "Ca 200 barn som inte klarar skolan varje år" in indicator.baslinje_kommentar
    assert "15 procent" in indicator.baslinje_kommentar
    assert "årskurs 9 utan behörighet" in indicator.baslinje_kommentar
    assert [e.text for e in indicator.effekter.all()] == [
        "I Borås ska barn och unga vara förberedda för eftergymnasiala studier eller arbetslivet"
    ]
    assert indicator.kon_uppdelat
    assert set(indicator.varden.values_list("kon", flat=True)) == {"T", "K", "M"}


@pytest.mark.django_db
def test_running_create_demo_again_changes_nothing(program: None) -> None:
    _demo()
    counts = (
        Indikator.objects.count(),
        Indikatorvarde.objects.count(),
        Indikator.history.count(),
        Indikatorvarde.history.count(),
    )
    _demo()
    assert counts == (
        Indikator.objects.count(),
        Indikatorvarde.objects.count(),
        Indikator.history.count(),
        Indikatorvarde.history.count(),
    )


@pytest.mark.django_db
def test_the_area_page_says_the_values_are_example_data(program: None, client: Client) -> None:
    _demo()
    client.force_login(User.objects.get(username="namndledamot"))
    page = client.get(Malomrade.objects.get(slug="boende-och-narmiljo").get_absolute_url())
    assert EXEMPELDATA in page.content.decode()


@pytest.mark.django_db
def test_the_closed_demo_periods_hold_the_indicators(program: None) -> None:
    _demo()
    snapshots = list(Periodbild.objects.all())
    assert snapshots  # the demo closes the periods that are over
    for snapshot in snapshots:
        names = [i["namn"] for a in snapshot.data["omraden"] for i in a["nyckeltal"]]
        assert "Trångbodda invånare, andel (%)" in names
        sources = {i["kalla"] for a in snapshot.data["omraden"] for i in a["nyckeltal"]}
        assert EXEMPELDATA in sources
