"""Writes that touch several models at once: saving a chain row with its organisations
and long-term effects, reordering rows, and optimistic locking.

Each write records exactly one history entry per changed object (django-simple-history),
with the signed-in user as author (HistoryRequestMiddleware).
"""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Model

from malomraden.models import Malomrade, Organisation

from .models import Effektbidrag, Kedjerad, LangsiktigEffekt, Radansvar


class EditConflict(Exception):
    """Someone else saved the object after the user opened it."""

    def __init__(self, current: Model) -> None:
        super().__init__("edit conflict")
        self.current = current


def lock_area(area_id: int) -> None:
    """Take the area's row lock (PostgreSQL; SQLite serialises writes anyway). Whatever
    adds rows or effects to an area takes it, and so does confirming an import, which
    compares the area's state and then writes: nothing new slips in between."""
    list(Malomrade.objects.select_for_update().filter(pk=area_id).values_list("pk"))


def bump_version(instance: Any) -> None:
    """Move the version whatever it is now, and write the object's history entry (with
    its links as they are now): for changes made outside the app's forms, so a form
    opened before them gets the conflict."""
    type(instance).objects.filter(pk=instance.pk).update(version=F("version") + 1)
    instance.refresh_from_db(fields=["version"])
    instance.save(update_fields=["version"])


def claim_version(instance: Any, expected_version: int) -> None:
    """Compare-and-swap the version: raise EditConflict if it moved since the form opened.

    A conditional UPDATE is atomic on both SQLite and PostgreSQL, so of two concurrent
    saves from the same version exactly one wins.
    """
    model = type(instance)
    claimed = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise EditConflict(current=model.objects.get(pk=instance.pk))
    instance.version = expected_version + 1


@transaction.atomic
def save_row(
    *,
    row: Kedjerad,
    organisations: Sequence[Organisation],
    effects: Sequence[LangsiktigEffekt],
    expected_version: int | None = None,
) -> Kedjerad:
    """Create or update a row with its responsible organisations (in the given order)
    and the long-term effects it serves, as one change in the history."""
    created = row.pk is None
    if created:
        lock_area(row.malomrade_id)
    else:
        if expected_version is None:
            raise ValueError("expected_version is required when updating a row")
        claim_version(row, expected_version)
    row.clean_langsiktiga_effekter(list(effects))
    # The history entry is written once the links are in place, so it shows them.
    row.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        row.save()
        Radansvar.objects.filter(rad=row).delete()
        Radansvar.objects.bulk_create(
            Radansvar(rad=row, organisation=org, ordning=i) for i, org in enumerate(organisations)
        )
        Effektbidrag.objects.filter(rad=row).delete()
        Effektbidrag.objects.bulk_create(Effektbidrag(rad=row, effekt=e) for e in effects)
    finally:
        del row.skip_history_when_saving  # type: ignore[attr-defined]
    row.save(update_fields=["version"])
    if created:
        # The one entry of a new row is its creation, not a change.
        row.history.filter(pk=row.history.latest().pk).update(history_type="+")
    return row


@transaction.atomic
def save_effect(*, effect: LangsiktigEffekt, expected_version: int | None = None) -> None:
    if effect.pk is None:
        lock_area(effect.malomrade_id)
    else:
        if expected_version is None:
            raise ValueError("expected_version is required when updating an effect")
        claim_version(effect, expected_version)
    effect.save()


@transaction.atomic
def delete_effect(*, effect: LangsiktigEffekt) -> None:
    """Delete a long-term effect, and record in each row that served it that the link is
    gone (an entry by the same user, so the row's own history tells the whole story).

    The rows' versions move too: a form opened on such a row before the deletion gets
    the usual conflict instead of silently re-linking or failing on a vanished choice.
    """
    # Locked in the order move_row locks rows, so the two cannot deadlock.
    rows = list(effect.rader.select_for_update().order_by("ordning", "id"))
    Effektbidrag.objects.filter(effekt=effect).delete()
    for row in rows:
        bump_version(row)
    effect.delete()


@transaction.atomic
def move_row(*, row: Kedjerad, steps: int) -> bool:
    """Move a row up (steps < 0) or down within its area; False when it cannot move."""
    rows = list(
        Kedjerad.objects.select_for_update()
        .filter(malomrade_id=row.malomrade_id)
        .order_by("ordning", "id")
    )
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    target = index + steps
    if not 0 <= target < len(rows):
        return False
    rows.insert(target, rows.pop(index))
    for position, r in enumerate(rows, start=1):
        if r.ordning != position:
            r.ordning = position
            r.save(update_fields=["ordning"])
    return True


def next_position(area_id: int) -> int:
    last = (
        Kedjerad.objects.filter(malomrade_id=area_id)
        .order_by("-ordning")
        .values_list("ordning", flat=True)
        .first()
    )
    return (last or 0) + 1


def ordered_organisations(
    previous: Sequence[Organisation], chosen: Sequence[Organisation]
) -> list[Organisation]:
    """Keep the order of the organisations already named, then add new ones by code."""
    chosen_ids = {o.pk for o in chosen}
    kept = [o for o in previous if o.pk in chosen_ids]
    kept_ids = {o.pk for o in kept}
    return kept + sorted((o for o in chosen if o.pk not in kept_ids), key=lambda o: o.kod)
