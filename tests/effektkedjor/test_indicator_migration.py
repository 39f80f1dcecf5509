"""The areas' old key figures (malomraden.Indikator) become indicators (issue 13)."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from effektkedjor.models import Indikator, Indikatorvarde
from tests.builders import make_user
from tests.personas import make_world


@pytest.mark.django_db(transaction=True)  # migrates back and forth
def test_the_old_key_figures_are_moved_into_indicators_with_their_latest_value() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("effektkedjor", "0007_nyckeltal")]
    w = make_world()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        Old = old.get_model("malomraden", "Indikator")
        # As the seed holds them: a figure from elsewhere whose latest value has no year,
        # one with years and a target, and one from Kolada with nothing but a target.
        Old.objects.create(
            malomrade_id=w.area.pk,
            namn="Brott per 1 000 invånare",
            kalla="Gårdstensmodellen i Göteborg, som förebild: inte Borås siffror",
            baslinje_ar=1997,
            baslinje_varde=Decimal(180),
            senaste_varde=Decimal(63),
            ordning=1,
        )
        Old.objects.create(
            malomrade_id=w.area.pk,
            namn="Nöjda hyresgäster, serviceindex (%)",
            baslinje_ar=2017,
            baslinje_varde=Decimal("78.5"),
            senaste_ar=2018,
            senaste_varde=Decimal(81),
            mal_ar=2030,
            mal_varde=Decimal(90),
            kommentar="ca",
            ordning=2,
        )
        Old.objects.create(
            malomrade_id=w.area.pk,
            namn="Elever behöriga till yrkesprogram",
            kolada_id="N15428",
            mal_varde=Decimal(95),
            ordning=3,
        )
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        crime, tenants, pupils = Indikator.objects.filter(malomrade=w.area).order_by("ordning")
        assert crime.namn == "Brott per 1 000 invånare"
        assert crime.kalla == "manuell"
        assert crime.kalla_text.startswith("Gårdstensmodellen")
        assert (crime.baslinje_ar, crime.baslinje_varde) == (1997, Decimal(180))
        assert [(v.ar, v.kon, v.varde) for v in crime.varden.all()] == [(None, "T", Decimal(63))]

        assert tenants.enhet == "procent"
        assert tenants.kommentar == "ca"
        assert (tenants.mal_ar, tenants.mal_varde) == (2030, Decimal(90))
        latest = tenants.latest_value()
        assert latest is not None and (latest.ar, latest.varde) == (2018, Decimal(81))

        assert (pupils.kalla, pupils.kolada_kpi, pupils.kommun) == ("kolada", "N15428", "1490")
        assert not pupils.varden.exists()
        assert pupils.mal_varde == Decimal(95)

        # Each moved object has its first history entry, saying where it came from.
        assert crime.history.get().history_type == "+"
        assert Indikatorvarde.history.filter(indikator_id=crime.pk).count() == 1
        assert "malomraden_indikator" not in connection.introspection.table_names()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_the_area_page_shows_the_seeds_key_figures_from_the_indicators(
    client: Client, program: None
) -> None:
    client.force_login(make_user())
    body = client.get(
        reverse("malomraden:malomrade", kwargs={"slug": "boende-och-narmiljo"})
    ).content.decode()
    # Thousands are grouped with a no-break space.
    section = body[body.index('id="indikator-rubrik"') :].replace("\xa0", " ")
    section = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section))
    # Baseline, latest value (with its year when known), target, source.
    assert "Nöjda hyresgäster, serviceindex (%)" in section
    assert "81 % (2018)" in section and "(från 78,5 % 2017)" in section
    assert "Invånare (ca)" in section and "(mål 13 000 år 2025)" in section
    assert "Gårdstensmodellen i Göteborg, som förebild: inte Borås siffror" in section


@pytest.mark.django_db
def test_the_admin_refuses_effects_of_another_area_for_an_indicator() -> None:
    from effektkedjor.admin import IndikatorAdminForm
    from tests.builders import make_effect

    w = make_world()
    own = make_effect(w.area, text="I Borås ska fler arbeta")
    other = make_effect(w.other_area, text="I Borås ska fler bo tryggt")
    data = {
        "malomrade": w.area.pk,
        "namn": "Arbetslösa 18–65 år",
        "enhet": "procent",
        "riktning": "lagre",
        "kalla": "kolada",
        "kolada_kpi": "n03920",
        "kommun": "1490",
        "ordning": 0,
    }
    form = IndikatorAdminForm(data={**data, "effekter": [own.pk, other.pk]})
    assert not form.is_valid()
    assert form.errors["effekter"] == [
        "Ett nyckeltal kan bara mäta långsiktiga effekter i sitt eget målområde."
    ]
    form = IndikatorAdminForm(data={**data, "effekter": [own.pk]})
    assert form.is_valid(), form.errors
    indicator = form.save()
    assert indicator.kolada_kpi == "N03920"  # as Kolada writes it
    assert list(indicator.effekter.all()) == [own]
