"""Writes to chain rows: saving a row with its organisations and long-term effects,
deleting it, and moving it within its area (lock order: services/__init__.py)."""

from collections.abc import Sequence

from django.db import transaction

from malomraden.models import Organisation

from ..models import Effektbidrag, Kedjerad, LangsiktigEffekt, Radansvar
from .locks import lock_periods, lock_rows, place_or_claim


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
    last in its area; an update needs the version the user's form was opened on
    (EditConflict if it has moved)."""
    created = row.pk is None
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
    finally:
        del row.skip_history_when_saving
    row.save(update_fields=["version"])
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
    for position, r in enumerate(rows, start=1):
        if r.ordning != position:
            r.ordning = position
            r.save(update_fields=["ordning"])
    return True


def ordered_organisations(
    previous: Sequence[Organisation], chosen: Sequence[Organisation]
) -> list[Organisation]:
    """Keep the order of the organisations already named, then add new ones by code."""
    chosen_ids = {o.pk for o in chosen}
    kept = [o for o in previous if o.pk in chosen_ids]
    kept_ids = {o.pk for o in kept}
    return kept + sorted((o for o in chosen if o.pk not in kept_ids), key=lambda o: o.kod)
