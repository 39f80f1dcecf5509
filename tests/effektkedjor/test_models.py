"""Rules of the effect chain that the database and the models keep."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from effektkedjor.models import Effektbidrag, Kedjerad, group_by_effects
from tests.builders import make_area, make_effect, make_org, make_row

pytestmark = pytest.mark.django_db


def test_row_cannot_point_at_another_areas_long_term_effect() -> None:
    area, other = make_area(), make_area()
    own, foreign = make_effect(area), make_effect(other)
    row = make_row(area, effects=[own])

    with pytest.raises(IntegrityError), transaction.atomic():
        row.langsiktiga_effekter.add(foreign)
    with pytest.raises(IntegrityError), transaction.atomic():
        Effektbidrag.objects.create(rad=row, effekt=foreign)
    assert list(row.langsiktiga_effekter.all()) == [own]


def test_moving_a_row_to_another_area_is_refused_while_it_serves_an_effect() -> None:
    area, other = make_area(), make_area()
    row = make_row(area, effects=[make_effect(area)])
    row.malomrade = other
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_moving_an_effect_to_another_area_is_refused_while_rows_serve_it() -> None:
    area, other = make_area(), make_area()
    effect = make_effect(area)
    make_row(area, effects=[effect])
    effect.malomrade = other
    with pytest.raises(IntegrityError), transaction.atomic():
        effect.save()


def test_model_validation_names_the_area_rule_in_swedish() -> None:
    area, other = make_area(), make_area()
    row = make_row(area)
    with pytest.raises(ValidationError) as exc:
        row.clean_langsiktiga_effekter([make_effect(other)])
    assert "sitt eget målområde" in str(exc.value)
    link = Effektbidrag(rad=row, effekt=make_effect(other))
    with pytest.raises(ValidationError):
        link.full_clean()


def test_activity_is_required() -> None:
    area = make_area()
    with pytest.raises(IntegrityError), transaction.atomic():
        Kedjerad.objects.create(malomrade=area, aktivitet="")
    row = Kedjerad(malomrade=area, aktivitet="   ")
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert "Aktiviteten måste fyllas i." in exc.value.message_dict["aktivitet"]


def test_organisation_codes_are_unique() -> None:
    make_org(kod="ALF", slug="alf")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_org(kod="ALF", slug="alf-2")


def test_time_is_kept_at_month_precision_and_end_not_before_start() -> None:
    area = make_area()
    row = Kedjerad(
        malomrade=area,
        aktivitet="Uppsökande verksamhet",
        start=datetime.date(2026, 3, 17),
        slut=datetime.date(2026, 9, 30),
    )
    row.full_clean()
    assert (row.start, row.slut) == (datetime.date(2026, 3, 1), datetime.date(2026, 9, 1))

    row.slut = datetime.date(2026, 1, 1)
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert "Slutmånaden kan inte ligga före startmånaden." in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_rows_group_like_the_merged_cells_of_the_slides() -> None:
    area = make_area()
    e1, e2 = make_effect(area), make_effect(area)
    r1 = make_row(area, effects=[e1])
    r2 = make_row(area, effects=[e1])
    r3 = make_row(area)
    r4 = make_row(area, effects=[e1, e2])
    grupper = group_by_effects(Kedjerad.objects.filter(malomrade=area).for_display())
    assert [([e.pk for e in g.effekter], [r.pk for r in g.rader]) for g in grupper] == [
        ([e1.pk], [r1.pk, r2.pk]),
        ([], [r3.pk]),
        ([e1.pk, e2.pk], [r4.pk]),
    ]
