"""Importing a spreadsheet into an area: staging the upload for its preview, then
confirming it against the state the preview showed, with the choices made in it (new
lines that change a row not in the file, rows not in the file to remove). Lock order:
services/__init__.py, steps 1–4 (the periods of the rows to remove, as deleting a row
takes them, then the area, its rows and its effects)."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from malomraden.models import Malomrade

from ..models import Importfil, Kedjerad, Lagesrapport
from ..spreadsheets import importing
from ..spreadsheets.importing import ImportChoices, ImportPreview
from ..spreadsheets.reading import Table, read_table
from .locks import lock_area, lock_effects, lock_periods, lock_rows
from .rows import delete_row


@transaction.atomic
def stage_import(
    *, area: Malomrade, user: User, filename: str, content: bytes
) -> tuple[Importfil, ImportPreview]:
    """Keep an upload until it is confirmed, with the area's state as previewed, and
    say what importing it would do. One pending upload per person and area: a new
    upload replaces the last. Raises ImportFileError (nothing kept) if the file cannot
    be read."""
    table = read_table(content, filename)
    Importfil.objects.filter(malomrade=area, anvandare=user).delete()
    stored = Importfil.objects.create(
        malomrade=area,
        anvandare=user,
        filnamn=filename,
        innehall=content,
        lage=importing.area_state(area),
    )
    return stored, importing.preview_import(table, area)


@transaction.atomic
def import_table(
    *, table: Table, area: Malomrade, choices: ImportChoices | None = None
) -> ImportPreview:
    """Import all of the table, and remove the rows chosen for removal, or nothing: any
    line with an error or any choice that cannot be kept stops the whole import (the
    result then lists the errors)."""
    _lock_for_import(area, choices)
    preview = importing.preview_import(table, area, choices)
    if preview.blocked:
        return preview
    result = importing.write_import(table, area, choices)
    for missing in result.removed:
        delete_row(row=Kedjerad.objects.get(pk=missing.pk))
    return result


@dataclass
class ImportOutcome:
    result: ImportPreview
    # Someone saved in the area since the preview: nothing was written, and `result` is a
    # new preview against the chain as it is now.
    state_changed: bool = False

    @property
    def imported(self) -> bool:
        return not self.state_changed and not self.result.blocked


def preview_staged(*, stored: Importfil, choices: ImportChoices) -> ImportPreview:
    """The preview of a staged upload with the user's choices (nothing is written)."""
    table = read_table(bytes(stored.innehall), stored.filnamn)
    return importing.preview_import(table, stored.malomrade, choices)


@transaction.atomic
def confirm_import(*, stored: Importfil, choices: ImportChoices | None = None) -> ImportOutcome:
    """Import a staged upload with the choices made in its preview, only against the
    state the preview was shown for, and drop the upload once imported."""
    area = stored.malomrade
    table = read_table(bytes(stored.innehall), stored.filnamn)
    _lock_for_import(area, choices)
    state = importing.area_state(area)
    if state != stored.lage:
        # Importing now could overwrite unseen what others saved since the preview.
        stored.lage = state
        stored.save(update_fields=["lage"])
        return ImportOutcome(importing.preview_import(table, area, choices), state_changed=True)
    outcome = ImportOutcome(import_table(table=table, area=area, choices=choices))
    if outcome.imported:
        stored.delete()
    return outcome


def _lock_for_import(area: Malomrade, choices: ImportChoices | None) -> None:
    """The periods of the rows that may be removed (step 1, as deleting a row takes
    them), then the area, its rows and its effects: nobody saves or adds while the
    import compares and writes."""
    if choices and choices.remove:
        lock_periods(
            Lagesrapport.objects.filter(rad_id__in=choices.remove, rad__malomrade=area)
            .values_list("period_id", flat=True)
            .distinct()
        )
    lock_area(area.pk)
    lock_rows(area.pk)
    lock_effects(area.pk)
