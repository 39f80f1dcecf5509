"""Importing a spreadsheet into an area: staging the upload for its preview, then
confirming it against the state the preview showed (lock order: services/__init__.py,
steps 2–4)."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from malomraden.models import Malomrade

from ..models import Importfil
from ..spreadsheets import importing
from ..spreadsheets.importing import ImportPreview
from ..spreadsheets.reading import Table, read_table
from .locks import lock_area, lock_effects, lock_rows


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
def import_table(*, table: Table, area: Malomrade) -> ImportPreview:
    """Import all of the table or nothing: any line with an error stops the whole
    import (the result then lists the errors)."""
    _lock_for_import(area)
    preview = importing.preview_import(table, area)
    if preview.errors:
        return preview
    return importing.write_import(table, area)


@dataclass
class ImportOutcome:
    result: ImportPreview
    # Someone saved in the area since the preview: nothing was written, and `result` is a
    # new preview against the chain as it is now.
    state_changed: bool = False

    @property
    def imported(self) -> bool:
        return not self.state_changed and not self.result.errors


@transaction.atomic
def confirm_import(*, stored: Importfil) -> ImportOutcome:
    """Import a staged upload, only against the state its preview was shown for, and
    drop the upload once imported."""
    area = stored.malomrade
    table = read_table(bytes(stored.innehall), stored.filnamn)
    _lock_for_import(area)
    state = importing.area_state(area)
    if state != stored.lage:
        # Importing now could overwrite unseen what others saved since the preview.
        stored.lage = state
        stored.save(update_fields=["lage"])
        return ImportOutcome(importing.preview_import(table, area), state_changed=True)
    outcome = ImportOutcome(import_table(table=table, area=area))
    if outcome.imported:
        stored.delete()
    return outcome


def _lock_for_import(area: Malomrade) -> None:
    """The area, its rows and its effects: nobody saves or adds while the import
    compares and writes."""
    lock_area(area.pk)
    lock_rows(area.pk)
    lock_effects(area.pk)
