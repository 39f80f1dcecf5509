"""Importing indicator values from a spreadsheet (spreadsheets/indicator_values.py reads
and previews it): all of the file's values or none, and only against the values the
preview was shown for. Lock order: services/__init__.py (the area's indicators only, no
other step is taken)."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from malomraden.models import Malomrade

from ..models import Indikator
from ..spreadsheets import indicator_values
from ..spreadsheets.indicator_values import ValuePreview
from .indicators import NyttVarde, save_values


@dataclass
class ValueImport:
    result: ValuePreview
    # Values were saved since the preview: nothing was written, `result` is a new preview.
    state_changed: bool = False

    @property
    def imported(self) -> bool:
        return not self.state_changed and not self.result.blocked


@transaction.atomic
def import_values(
    *,
    area: Malomrade,
    lines: list[tuple[int, dict[str, str]]],
    expected_state: list[str],
    user: Any,
    sheet: str | None = None,
) -> ValueImport:
    # The area's indicators, by id: nobody enters a value while the import compares.
    list(Indikator.objects.select_for_update().filter(malomrade=area).order_by("pk"))
    result = indicator_values.preview(area, lines, sheet)
    if result.state != expected_state:
        return ValueImport(result, state_changed=True)
    if result.blocked:
        return ValueImport(result)
    by_indicator: dict[int, list[NyttVarde]] = defaultdict(list)
    for line in result.lines:
        if line.kind in ("ny", "ändrad") and line.parsed and line.indikator_id:
            by_indicator[line.indikator_id].append(line.parsed)
    for indikator in Indikator.objects.filter(pk__in=by_indicator).order_by("pk"):
        save_values(
            indikator=indikator,
            varden=by_indicator[indikator.pk],
            user=user,
            reason="Inläst från kalkylblad",
        )
    return ValueImport(result)
