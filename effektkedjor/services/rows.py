"""Writes to chain rows: saving a row with its organisations and long-term effects,
deleting it, and moving it within its area (lock order: services/__init__.py).

Rows that serve the same long-term effects stand together in the table, as one group
(models.group_by_effects): a new row, or one whose effects change, is placed in its
group, and "Flytta till" moves a row only among the rows of its group.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction

from malomraden.models import Organisation

from ..models import Effektbidrag, Kedjerad, LangsiktigEffekt, Radansvar
from .locks import lock_periods, lock_rows, place_or_claim


class NotInGroup(Exception):
    """The place asked for is not among the rows that serve the same long-term effects."""


class RowHasClosedReports(Exception):
    """The row has reports in closed periods, which are part of a fixed record."""

    def __init__(self, periods: list[str]) -> None:
        super().__init__(", ".join(periods))
        self.periods = periods


@transaction.atomic
def save_row(
    *,
    row: Kedjerad,
    organisations: Sequence[Organisation],
    effects: Sequence[LangsiktigEffekt],
    expected_version: int | None = None,
) -> Kedjerad:
    """Create or update a row with its responsible organisations (in the given order)
    and the long-term effects it serves, as one change in the history. A new row goes
    into the group of its long-term effects (`group_position`), and so does a row whose
    effects change; an update needs the version the user's form was opened on
    (EditConflict if it has moved)."""
    created = row.pk is None
    regroup = created or set(
        Effektbidrag.objects.filter(rad_id=row.pk).values_list("effekt_id", flat=True)
    ) != {e.pk for e in effects}
    if created:
        place_or_claim(row, expected_version=expected_version)  # the area's lock (step 2)
    if regroup:
        # The rows in their order (step 3), this one among them, before its version is
        # claimed: other rows may move to make room.
        lock_rows(row.malomrade_id)
    if not created:
        place_or_claim(row, expected_version=expected_version)
    row.clean_langsiktiga_effekter(list(effects))
    # The history entry is written once the links are in place, so it shows them.
    row.skip_history_when_saving = True
    try:
        row.save()
        Radansvar.objects.filter(rad=row).delete()
        Radansvar.objects.bulk_create(
            Radansvar(rad=row, organisation=org, ordning=i) for i, org in enumerate(organisations)
        )
        Effektbidrag.objects.filter(rad=row).delete()
        Effektbidrag.objects.bulk_create(Effektbidrag(rad=row, effekt=e) for e in effects)
        if regroup:
            _place_in_group(row, new=created)
    finally:
        del row.skip_history_when_saving
    row.save(update_fields=["version", "ordning"])
    if created:
        # The one entry of a new row is its creation, not a change.
        row.history.filter(pk=row.history.latest().pk).update(history_type="+")
    return row


@transaction.atomic
def delete_row(*, row: Kedjerad) -> None:
    """Delete a row and its reports, unless some are in a closed period
    (RowHasClosedReports): a closed period's record stays whole."""
    # Under the lock of the row's periods, as closing takes it: a period cannot close
    # between this check and the delete.
    lock_periods(row.rapporter.values_list("period_id", flat=True).distinct())
    closed = row.closed_periods()
    if closed:
        raise RowHasClosedReports(closed)
    row.delete()


@transaction.atomic
def move_row(*, row: Kedjerad, steps: int) -> bool:
    """Move a row up (steps < 0) or down within its area; False when it cannot move.
    Positions are renumbered 1, 2, 3 … under the rows' lock."""
    rows = lock_rows(row.malomrade_id)
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    target = index + steps
    if not 0 <= target < len(rows):
        return False
    rows.insert(target, rows.pop(index))
    _renumber(rows)
    return True


@transaction.atomic
def move_row_to(*, row: Kedjerad, after: int | None) -> bool:
    """Move a row in one step to just after the row `after` (an id), or first in its
    group when None; False when it already stands there. `after` must serve the same
    long-term effects as the row (NotInGroup otherwise: someone may have changed it
    since the user chose). Positions are renumbered 1, 2, 3 … under the rows' lock."""
    rows = lock_rows(row.malomrade_id)
    keys = effect_keys(row.malomrade_id)
    key = keys.get(row.pk, ())
    others = [r for r in rows if r.pk != row.pk]
    group = [i for i, r in enumerate(others) if keys.get(r.pk, ()) == key]
    if after is None:
        if not group:
            raise NotInGroup()
        target = group[0]
    else:
        target = next((i + 1 for i in group if others[i].pk == after), -1)
        if target < 0:
            raise NotInGroup()
    if [r.pk for r in rows].index(row.pk) == target:
        return False
    moving = next(r for r in rows if r.pk == row.pk)
    others.insert(target, moving)
    _renumber(others)
    return True


EffectKey = tuple[tuple[int, int], ...]


def effect_keys(area_id: int) -> dict[int, EffectKey]:
    """Each row's long-term effects as (position, id) pairs in their order, by row id;
    rows serving none (the area as a whole) are left out. Rows with equal keys form one
    group of the table."""
    keys: dict[int, list[tuple[int, int]]] = defaultdict(list)
    links = Effektbidrag.objects.filter(rad__malomrade_id=area_id).values_list(
        "rad_id", "effekt__ordning", "effekt_id"
    )
    for row_id, position, effect_id in links:
        keys[row_id].append((position, effect_id))
    return {row_id: tuple(sorted(pairs)) for row_id, pairs in keys.items()}


def group_position(order: Sequence[int], keys: dict[int, EffectKey], key: EffectKey) -> int:
    """Where among the rows `order` (ids in table order) a row serving `key` goes: just
    after the last row serving the same effects; else after the last row serving its
    first effect; else, as its group is empty, where the effects' order puts it (before
    the first row whose effects come later; rows for the area as a whole come first)."""
    same = [i for i, pk in enumerate(order) if keys.get(pk, ()) == key]
    if same:
        return same[-1] + 1
    if key:
        sharing = [i for i, pk in enumerate(order) if key[0] in keys.get(pk, ())]
        if sharing:
            return sharing[-1] + 1
    return next((i for i, pk in enumerate(order) if keys.get(pk, ()) > key), len(order))


def _place_in_group(row: Kedjerad, *, new: bool) -> None:
    """Put a row that is new, or whose effects changed, into its group (the caller holds
    the rows' lock). A changed row that already stands next to a row of its new group
    stays where it is. Only the rows after it that must make room move down."""
    rows = list(
        Kedjerad.objects.filter(malomrade_id=row.malomrade_id)
        .exclude(pk=row.pk)
        .order_by("ordning", "id")
    )
    keys = effect_keys(row.malomrade_id)
    key = keys.get(row.pk, ())
    if not new:
        here = sum(1 for r in rows if (r.ordning, r.pk) < (row.ordning, row.pk))
        neighbours = rows[max(here - 1, 0) : here + 1]
        if any(keys.get(r.pk, ()) == key for r in neighbours):
            return
    index = group_position([r.pk for r in rows], keys, key)
    floor = rows[index - 1].ordning if index > 0 else 0
    row.ordning = floor + 1
    # Rows after it move down only as far as they must; gaps left by deleted rows stay
    # (a new row at the end takes the position after the highest, not a deleted one's).
    previous = row.ordning
    for r in rows[index:]:
        if r.ordning > previous:
            break
        r.ordning = previous + 1
        r.save(update_fields=["ordning"])
        previous = r.ordning


def _renumber(rows: Sequence[Kedjerad]) -> None:
    """Positions 1, 2, 3 … in the given order, saving only the rows that change."""
    for position, r in enumerate(rows, start=1):
        if r.ordning != position:
            r.ordning = position
            r.save(update_fields=["ordning"])


def ordered_organisations(
    previous: Sequence[Organisation], chosen: Sequence[Organisation]
) -> list[Organisation]:
    """Keep the order of the organisations already named, then add new ones by code."""
    chosen_ids = {o.pk for o in chosen}
    kept = [o for o in previous if o.pk in chosen_ids]
    kept_ids = {o.pk for o in kept}
    return kept + sorted((o for o in chosen if o.pk not in kept_ids), key=lambda o: o.kod)
