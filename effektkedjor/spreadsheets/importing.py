"""Importing an area's effect chain from a spreadsheet, with a preview first.

`preview_import()` runs django-import-export's import as a dry run (everything is written
inside a transaction and rolled back) and tells, line by line, what would happen: a new
row, a changed row (with each change, before → after), an unchanged row, or the errors
with their column. services/imports.py runs the same import for real (`write_import`),
all of it or nothing, under the area's locks. Either way each row is written by
services.rows.save_row and each new effect by services.effects.save_effect.
"""

from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from import_export import resources

from malomraden.models import Malomrade, Organisation

from .. import formatting
from ..models import Kedjerad, LangsiktigEffekt
from ..services.effects import save_effect
from ..services.rows import save_row
from .reading import Table, fold, parse_resources, parse_responsibility, parse_time

LEVELS = {fold(label): value for value, label in formatting.LEVEL_LABELS.items()}
WHOLE_AREA = fold(formatting.WHOLE_AREA)
TEXT_COLUMNS = {
    "Kortsiktiga effekter": "kortsiktig_effekt",
    "Prestation": "prestation",
    "Aktivitet": "aktivitet",
}


@dataclass
class LineResult:
    number: int
    kind: str  # "ny", "ändrad", "oförändrad", "fel"
    activity: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ImportPreview:
    sheet: str | None
    lines: list[LineResult]
    new_effects: list[str]
    ignored_columns: list[str]

    @property
    def errors(self) -> list[LineResult]:
        return [line for line in self.lines if line.kind == "fel"]

    def count(self, kind: str) -> int:
        return sum(1 for line in self.lines if line.kind == kind)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "nya": self.count("ny"),
            "andrade": self.count("ändrad"),
            "oforandrade": self.count("oförändrad"),
            "fel": self.count("fel"),
        }


class KedjeradImportResource(resources.ModelResource):
    """One spreadsheet line → one chain row of `area`."""

    class Meta:
        model = Kedjerad
        fields = ()
        skip_diff = True
        use_transactions = True

    def __init__(self, area: Malomrade) -> None:
        super().__init__()
        self.area = area
        self.changes: dict[int, list[tuple[str, str, str]]] = {}
        self.new_effects: list[str] = []

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        rows = Kedjerad.objects.filter(malomrade=self.area).for_display()
        self.by_id = {r.pk: r for r in rows}
        self.by_activity = {fold(r.aktivitet): r for r in rows}
        self.codes = {fold(o.kod): o for o in Organisation.objects.all()}
        self.effects = {
            fold(e.text): e for e in LangsiktigEffekt.objects.filter(malomrade=self.area)
        }
        self.other_effects = {
            fold(e.text): e.malomrade.namn
            for e in LangsiktigEffekt.objects.exclude(malomrade=self.area).select_related(
                "malomrade"
            )
        }
        self.seen: dict[int, int] = {}

    # -- reading a line --

    def _parse(self, row: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        parsed: dict[str, Any] = {}
        for column, name in TEXT_COLUMNS.items():
            parsed[name] = (row.get(column) or "").strip()
        if not parsed["aktivitet"]:
            errors.setdefault("Aktivitet", []).append("Aktiviteten saknas.")
        try:
            parsed["orgs"], parsed["ansvar_kommentar"] = parse_responsibility(
                row.get("Ansvar") or "", self.codes
            )
        except ValueError as error:
            errors.setdefault("Ansvar", []).append(str(error))
        try:
            parsed["start"], parsed["slut"], parsed["tid_kommentar"] = parse_time(
                row.get("Tid") or ""
            )
            if parsed["start"] and parsed["slut"] and parsed["slut"] < parsed["start"]:
                errors.setdefault("Tid", []).append("Slutmånaden ligger före startmånaden.")
        except ValueError as error:
            errors.setdefault("Tid", []).append(str(error))
        parsed["resurser"], parsed["resurser_belopp"] = parse_resources(row.get("Resurser") or "")
        level = fold(row.get("Samverkansnivå") or "")
        if level and level not in LEVELS and level not in {"1", "2", "3", "4", "5"}:
            errors.setdefault("Samverkansnivå", []).append(
                f"Okänd samverkansnivå ”{row.get('Samverkansnivå')}”."
            )
        parsed["samverkansniva"] = LEVELS.get(level) or (int(level) if level.isdigit() else None)
        effects: list[Any] = []
        for text in filter(
            None, (t.strip() for t in (row.get("Långsiktiga effekter") or "").split("\n"))
        ):
            key = fold(text)
            if key == WHOLE_AREA:
                continue
            if key in self.effects:
                effects.append(self.effects[key])
            elif key in self.other_effects:
                errors.setdefault("Långsiktiga effekter", []).append(
                    f"”{text}” är en långsiktig effekt i målområdet {self.other_effects[key]}."
                )
            else:
                effects.append(text)  # a new effect, created on import
        parsed["effects"] = effects
        if errors:
            raise ValidationError(errors)
        return parsed

    def get_or_init_instance(
        self, instance_loader: Any, row: dict[str, Any]
    ) -> tuple[Kedjerad, bool]:
        parsed = self._parse(row)
        row["__parsed"] = parsed
        line = int(row["__line"])
        raw_id = str(row.get("ID") or "").strip()
        instance: Kedjerad | None
        if raw_id:
            if not raw_id.isdigit() or int(raw_id) not in self.by_id:
                raise ValidationError(
                    {"ID": [f"Det finns ingen rad med ID {raw_id} i {self.area.namn}."]}
                )
            instance = self.by_id[int(raw_id)]
        else:
            instance = self.by_activity.get(fold(parsed["aktivitet"]))
        if instance is not None:
            if instance.pk in self.seen:
                raise ValidationError(
                    {
                        "Aktivitet": [
                            f"Samma rad står redan på rad {self.seen[instance.pk]} i filen."
                        ]
                    }
                )
            self.seen[instance.pk] = line
            return instance, False
        return Kedjerad(malomrade=self.area), True

    def import_instance(self, instance: Kedjerad, row: dict[str, Any], **kwargs: Any) -> None:
        parsed = row["__parsed"]
        for name in [*TEXT_COLUMNS.values(), "ansvar_kommentar", "start", "slut", "tid_kommentar",
                     "resurser", "resurser_belopp", "samverkansniva"]:  # fmt: skip
            setattr(instance, name, parsed[name])

    def skip_row(
        self,
        instance: Kedjerad,
        original: Any,
        row: dict[str, Any],
        import_validation_errors: Any = None,
    ) -> bool:
        if import_validation_errors or instance.pk is None:
            return False
        parsed = row["__parsed"]
        old = Kedjerad.objects.for_display().get(pk=instance.pk)
        before = _display(
            old, list(old.ansvariga_organisationer.all()), list(old.langsiktiga_effekter.all())
        )
        after = _display(instance, parsed["orgs"], parsed["effects"])
        changes = [(col, before[col], after[col]) for col in before if before[col] != after[col]]
        self.changes[int(row["__line"])] = changes
        return not changes

    def validate_instance(
        self, instance: Kedjerad, import_validation_errors: Any = None, validate_unique: bool = True
    ) -> None:
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(
        self, instance: Kedjerad, is_create: bool, row: dict[str, Any], **kwargs: Any
    ) -> None:
        parsed = row["__parsed"]
        effects = []
        for effect in parsed["effects"]:
            if isinstance(effect, str):
                created = LangsiktigEffekt(malomrade=self.area, text=effect)
                save_effect(effect=created)
                self.effects[fold(effect)] = created
                self.new_effects.append(effect)
                effect = created
            effects.append(effect)
        save_row(
            row=instance,
            organisations=parsed["orgs"],
            effects=effects,
            expected_version=None if is_create else instance.version,
        )

    def save_m2m(self, instance: Kedjerad, row: dict[str, Any], **kwargs: Any) -> None:
        return None  # save_row wrote the links with the row, as one history entry


def _display(row: Kedjerad, orgs: list[Any], effects: list[Any]) -> dict[str, str]:
    """A row as the import compares it, column by column, in the export's wording."""
    return {
        "Långsiktiga effekter": formatting.effects_text(
            (e if isinstance(e, str) else e.text for e in effects), "; "
        ),
        "Kortsiktiga effekter": row.kortsiktig_effekt,
        "Prestation": row.prestation,
        "Aktivitet": row.aktivitet,
        "Ansvar": formatting.responsibility_text((o.kod for o in orgs), row.ansvar_kommentar),
        "Tid": formatting.time_text(row),
        "Resurser": formatting.resources_text(row),
        "Samverkansnivå": formatting.level_label(row.samverkansniva),
    }


def _dataset(table: Table) -> tablib.Dataset:
    headers = [*table.columns, "__line"]
    data = tablib.Dataset(headers=headers)
    for line in table.lines:
        data.append([*(line.values.get(c, "") for c in table.columns), line.number])
    return data


def _import(table: Table, area: Malomrade, *, dry_run: bool) -> ImportPreview:
    resource = KedjeradImportResource(area)
    result = resource.import_data(
        _dataset(table), dry_run=dry_run, raise_errors=False, use_transactions=True
    )
    lines = []
    for line, row_result in zip(table.lines, result.rows, strict=True):
        activity = line.values.get("Aktivitet", "")
        kind = {"new": "ny", "update": "ändrad", "skip": "oförändrad"}.get(
            row_result.import_type, "fel"
        )
        entry = LineResult(
            line.number, kind, activity, changes=resource.changes.get(line.number, [])
        )
        if row_result.validation_error is not None:
            for column, messages in row_result.validation_error.message_dict.items():
                entry.errors.extend((column, m) for m in messages)
        for error in row_result.errors:
            entry.errors.append(("", f"Raden kunde inte läsas in: {error.error}"))
        lines.append(entry)
    return ImportPreview(
        table.sheet, lines, list(dict.fromkeys(resource.new_effects)), table.ignored_columns
    )


def area_state(area: Malomrade) -> dict[str, int]:
    """The area's rows and long-term effects with their versions. The preview is shown
    for one state; confirming against another would overwrite what others saved since."""
    state = {
        f"rad-{pk}": version
        for pk, version in Kedjerad.objects.filter(malomrade=area).values_list("pk", "version")
    }
    state.update(
        (f"effekt-{pk}", version)
        for pk, version in LangsiktigEffekt.objects.filter(malomrade=area).values_list(
            "pk", "version"
        )
    )
    return state


def preview_import(table: Table, area: Malomrade) -> ImportPreview:
    """What importing `table` into `area` would do; nothing is written."""
    return _import(table, area, dry_run=True)


def write_import(table: Table, area: Malomrade) -> ImportPreview:
    """Import for real (only services/imports.py calls this, inside its transaction and
    under the area's locks)."""
    return _import(table, area, dry_run=False)
