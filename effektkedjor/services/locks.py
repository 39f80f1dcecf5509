"""The row locks of the lock order (services/__init__.py), one function per step.

SELECT … FOR UPDATE locks on PostgreSQL; SQLite serialises writes anyway and ignores it.
"""

from collections.abc import Iterable

from django.db.models import Max

from malomraden.models import Malomrade

from ..models import Kedjerad, LangsiktigEffekt, Rapportperiod
from ..versioning import claim_version


def lock_periods(period_ids: Iterable[int]) -> list[Rapportperiod]:
    """Step 1: reporting periods, as closing a period locks them: a period cannot close
    while a report is saved in it or a row with reports in it is deleted."""
    return list(
        Rapportperiod.objects.select_for_update().filter(pk__in=list(period_ids)).order_by("pk")
    )


def lock_area(area_id: int) -> None:
    """Step 2: the area. Whatever adds rows or effects to an area takes it, and so does
    confirming an import, which compares the area's state and then writes: nothing new
    slips in between, and two additions cannot take the same position."""
    list(Malomrade.objects.select_for_update().filter(pk=area_id).values_list("pk"))


def lock_rows(area_id: int) -> list[Kedjerad]:
    """Step 3: all the area's rows, in their order."""
    return list(
        Kedjerad.objects.select_for_update().filter(malomrade_id=area_id).order_by("ordning", "id")
    )


def lock_effects(area_id: int) -> None:
    """Step 4: all the area's long-term effects, by id."""
    list(
        LangsiktigEffekt.objects.select_for_update()
        .filter(malomrade_id=area_id)
        .order_by("pk")
        .values_list("pk")
    )


def place_or_claim(instance: Kedjerad | LangsiktigEffekt, *, expected_version: int | None) -> None:
    """Before saving a row or an effect: a new one takes the area's lock (step 2) and the
    position after the area's highest, so two additions never share a position and a
    deleted one's position is not reused (a new row then moves into the group of its
    long-term effects, services/rows.py); an existing one claims the version its form
    was opened on (step 3 or 4; EditConflict if it has moved)."""
    if instance.pk is None:
        lock_area(instance.malomrade_id)
        siblings = type(instance).objects.filter(malomrade_id=instance.malomrade_id)
        instance.ordning = (siblings.aggregate(m=Max("ordning"))["m"] or 0) + 1
        return
    if expected_version is None:
        raise ValueError("expected_version is required when updating")
    claim_version(instance, expected_version)
