"""effektkedjor/indicators.py: latest value, change, direction-aware progress, status, trend."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from effektkedjor.indicators import Punkt, Status, counts, expected, lage, lagen
from effektkedjor.models import Indikator, Indikatorvarde
from tests.builders import make_area, make_indicator

pytestmark = pytest.mark.django_db


def test_latest_value_change_and_progress_for_higher_is_better() -> None:
    ind = make_indicator(
        make_area(),
        values={2020: 80, 2021: 82, 2022: None, 2023: 85},
        baslinje_ar=2020,
        baslinje_varde=80,
        mal_ar=2030,
        mal_varde=100,
    )
    state = lage(ind)
    assert state.senaste == Punkt(ar=2023, varde=Decimal(85))
    assert state.forandring == Decimal(5)
    assert state.forbattring is True
    assert state.framsteg == Decimal("0.25")
    assert state.framsteg_procent == 25
    assert [p.ar for p in state.trend] == [2020, 2021, 2023]  # the missing value is no point
    # The line from 80 (2020) to 100 (2030) passes 86 in 2023: 85 is below it.
    assert state.forvantat == Decimal(86)
    assert state.status == Status.INTE_I_FAS
    assert state.status_text == "Inte i fas"


def test_the_margin_puts_a_value_close_to_the_line_on_track() -> None:
    ind = make_indicator(
        make_area(),
        values={2020: 80, 2023: 85},
        baslinje_ar=2020,
        baslinje_varde=80,
        mal_ar=2030,
        mal_varde=100,
        marginal=1,
    )
    assert lage(ind).status == Status.I_FAS


def test_for_lower_is_better_a_fall_is_progress() -> None:
    ind = make_indicator(
        make_area(),
        values={2020: 10, 2024: 7},
        riktning=Indikator.Riktning.LAGRE,
        baslinje_ar=2020,
        baslinje_varde=10,
        mal_ar=2030,
        mal_varde=5,
    )
    state = lage(ind)
    assert state.forandring == Decimal(-3)
    assert state.forbattring is True
    assert state.framsteg == Decimal("0.6")
    # Expected 8 in 2024; 7 is below, which is better.
    assert state.forvantat == Decimal(8)
    assert state.status == Status.I_FAS


def test_for_lower_is_better_a_rise_is_off_track_and_negative_progress() -> None:
    ind = make_indicator(
        make_area(),
        values={2020: 10, 2024: 11},
        riktning=Indikator.Riktning.LAGRE,
        baslinje_ar=2020,
        baslinje_varde=10,
        mal_ar=2030,
        mal_varde=5,
        marginal=Decimal("0.5"),
    )
    state = lage(ind)
    assert state.forbattring is False
    assert state.framsteg == Decimal("-0.2")
    assert state.status == Status.INTE_I_FAS


def test_no_values_or_no_target_means_no_data() -> None:
    area = make_area()
    empty = make_indicator(area, baslinje_ar=2020, baslinje_varde=1, mal_ar=2030, mal_varde=2)
    no_target = make_indicator(area, values={2020: 1, 2021: 2})
    assert lage(empty).status == Status.INGA_UPPGIFTER
    assert lage(empty).skal == "Inga värden ännu."
    state = lage(no_target)
    assert state.status == Status.INGA_UPPGIFTER
    assert state.skal == "Utgångsläge eller mål saknas."
    # Without a stated baseline the earliest value is the baseline.
    assert state.baslinje == Punkt(ar=2020, varde=Decimal(1))
    assert state.forandring == Decimal(1)


def test_the_baseline_year_without_a_value_takes_that_years_value() -> None:
    ind = make_indicator(
        make_area(), values={2019: 5, 2020: 6, 2022: 9}, baslinje_ar=2020, mal_ar=2024, mal_varde=10
    )
    state = lage(ind)
    assert state.baslinje == Punkt(ar=2020, varde=Decimal(6))
    assert state.forvantat == Decimal(8)
    assert state.status == Status.I_FAS


def test_the_line_is_flat_outside_baseline_and_target_years() -> None:
    base, target = Punkt(ar=2020, varde=Decimal(10)), Punkt(ar=2030, varde=Decimal(20))
    assert expected(base, target, 2018) == 10
    assert expected(base, target, 2025) == 15
    assert expected(base, target, 2032) == 20


def test_women_and_men_are_series_of_their_own_and_a_whole_year_wins_over_periods() -> None:
    ind = make_indicator(make_area(), values={2022: 50})
    for kon, value in (("K", 52), ("M", 48)):
        Indikatorvarde.objects.create(indikator=ind, ar=2022, kon=kon, varde=value)
    Indikatorvarde.objects.create(indikator=ind, ar=2022, period="T1", varde=1)
    Indikatorvarde.objects.create(indikator=ind, ar=2023, period="T1", varde=60)
    Indikatorvarde.objects.create(indikator=ind, ar=2023, period="T2", varde=61)
    state = lage(ind)
    assert [s.namn for s in state.serier] == ["Totalt", "Kvinnor", "Män"]
    assert [(p.etikett, p.varde) for p in state.trend] == [("2022", 50), ("2023 T2", 61)]
    assert state.serier[1].punkter == (Punkt(ar=2022, varde=Decimal(52)),)


def test_many_indicators_load_in_two_queries_whatever_their_number() -> None:
    area = make_area()

    def measure() -> int:
        with CaptureQueriesContext(connection) as ctx:
            result = lagen(Indikator.objects.filter(malomrade=area))
            assert counts(result)[Status.INGA_UPPGIFTER] == len(result)
        return len(ctx.captured_queries)

    make_indicator(area, values={2020: 1})
    small = measure()
    for _ in range(5):
        make_indicator(area, values={2020: 1, 2021: 2, 2022: 3})
    assert measure() == small == 2
