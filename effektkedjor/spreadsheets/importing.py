"""Importing an area's effect chain from a spreadsheet, with a preview first.

`preview_import()` runs django-import-export's import as a dry run (everything is written
inside a transaction and rolled back) and tells, line by line, what would happen: a new
row, a changed row (with each change, before → after), an unchanged row, or the errors
with their column. services/imports.py runs the same import for real (`write_import`),
all of it or nothing, under the area's locks. Either way each row is written by
services.rows.save_row and each new effect by services.effects.save_effect.

Two rules keep a file that was not edited from changing anything:

- a line matched to a row (by ID, else by the activity's text) whose Tid, Resurser,
  Ansvar, Samverkansnivå, long-term effects or texts read exactly as the row's own
  (formatting.py, as the export writes them) keeps the row's values: such a cell is not
  parsed again, so a comment that looks like a date or an office code stays a comment;
- a column the file does not have leaves that field of a matched row alone.

The preview also lists the area's rows that are not in the file (kept, unless the user
ticks them for removal) and, for each new line, the rows not in the file that it likely
replaces (same long-term effect, similar activity), so the user can make the line a
change of that row instead of an addition (`ImportChoices`).
"""

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from import_export import resources

from malomraden.models import Malomrade, Organisation

from .. import formatting
from ..models import Kedjerad, LangsiktigEffekt, Rapportperiod
from ..services.effects import save_effect
from ..services.rows import save_row
from .reading import (
    Line,
    Table,
    fold,
    parse_amount,
    parse_resources,
    parse_responsibility,
    parse_time,
)

LEVELS = {fold(label): value for value, label in formatting.LEVEL_LABELS.items()}
WHOLE_AREA = fold(formatting.WHOLE_AREA)
TEXT_COLUMNS = {
    "Kortsiktiga effekter": "kortsiktig_effekt",
    "Prestation": "prestation",
    "Aktivitet": "aktivitet",
}
ROW_FIELDS = [*TEXT_COLUMNS.values(), "ansvar_kommentar", "start", "slut", "tid_kommentar",
              "resurser", "resurser_belopp", "samverkansniva"]  # fmt: skip
# How alike a new line's activity and a row not in the file must be for the preview to
# offer the line as a change of that row (0–1; see `similarity`).
SIMILAR = 0.6
MAX_CANDIDATES = 3


@dataclass
class Candidate:
    """A row not in the file that a new line may replace."""

    pk: int
    activity: str
    score: float


@dataclass
class LineResult:
    number: int
    kind: str  # "ny", "ändrad", "oförändrad", "fel"
    activity: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    # For a line that matched no row: the rows it may replace, most alike first.
    candidates: list[Candidate] = field(default_factory=list)
    replaces: int | None = None  # the chosen row, when the line is made a change of it


@dataclass
class MissingRow:
    """A row of the area that is not in the file: kept unless `remove` is chosen."""

    pk: int
    activity: str
    effects: str
    closed_periods: list[str]
    remove: bool = False

    @property
    def removable(self) -> bool:
        return not self.closed_periods


@dataclass
class ImportChoices:
    """What the user chose in the preview: new lines that change a row not in the file
    (line number → row id) and rows not in the file to remove."""

    replaces: dict[int, int] = field(default_factory=dict)
    remove: set[int] = field(default_factory=set)

    @classmethod
    def from_data(cls, data: Any) -> "ImportChoices":
        """From the preview's form: `ersatt-<line>` = row id ("" for a new row) and
        `ta_bort` = row ids. Anything else is ignored."""
        choices = cls()
        for key in data:
            match = re.fullmatch(r"ersatt-(\d{1,6})", key)
            value = str(data.get(key) or "")
            if match and value.isdigit():
                choices.replaces[int(match.group(1))] = int(value)
        values = data.getlist("ta_bort") if hasattr(data, "getlist") else data.get("ta_bort", [])
        choices.remove = {int(v) for v in values if str(v).isdigit()}
        return choices


@dataclass
class ImportPreview:
    sheet: str | None
    lines: list[LineResult]
    new_effects: list[str]
    ignored_columns: list[str]
    missing: list[MissingRow] = field(default_factory=list)
    # Choices that cannot be carried out (the same row chosen twice, …), in Swedish.
    choice_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[LineResult]:
        return [line for line in self.lines if line.kind == "fel"]

    @property
    def blocked(self) -> bool:
        """Nothing may be written: a line has an error or a choice cannot be kept."""
        return bool(self.errors or self.choice_errors)

    @property
    def removed(self) -> list[MissingRow]:
        return [row for row in self.missing if row.remove]

    def count(self, kind: str) -> int:
        if kind == "borttagen":
            return len(self.removed)
        return sum(1 for line in self.lines if line.kind == kind)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "nya": self.count("ny"),
            "andrade": self.count("ändrad"),
            "oforandrade": self.count("oförändrad"),
            "fel": self.count("fel"),
            "saknas": len(self.missing),
            "borttagna": len(self.removed),
        }


def similarity(a: str, b: str) -> float:
    """How alike two activities read (0–1): the larger of difflib's ratio over the texts
    and the share of the shorter text's words found in the other ("Uppsökande
    verksamhet" → "Uppsökande verksamhet i samverkan med Arbetsförmedlingen": 1.0)."""
    a, b = fold(a), fold(b)
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    words_a, words_b = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
    shorter = min(len(words_a), len(words_b))
    overlap = len(words_a & words_b) / shorter if shorter else 0.0
    return max(ratio, overlap)


def _same(cell: str, rendering: str) -> bool:
    """The cell reads as the row's own rendering (line endings aside)."""

    def lines(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n").strip()

    return lines(cell) == lines(rendering)


def _effect_keys(cell: str, effects: Mapping[str, Any]) -> list[str]:
    """The folded effect texts of a cell: the whole cell if it is one effect (an effect's
    text may hold a line break), else one per line."""
    if fold(cell) in effects:
        return [fold(cell)]
    return [fold(t) for t in cell.split("\n") if t.strip()]


@dataclass
class _Plan:
    """Which row each line is, decided before anything is imported."""

    matches: dict[int, Kedjerad] = field(default_factory=dict)  # line number → row
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    candidates: dict[int, list[Candidate]] = field(default_factory=dict)
    replaces: dict[int, int] = field(default_factory=dict)
    missing: list[MissingRow] = field(default_factory=list)
    choice_errors: list[str] = field(default_factory=list)


def _plan(
    table: Table,
    area: Malomrade,
    rows: list[Kedjerad],
    effects: Mapping[str, LangsiktigEffekt],
    choices: ImportChoices,
) -> _Plan:
    plan = _Plan()
    by_id = {r.pk: r for r in rows}
    by_activity = {fold(r.aktivitet): r for r in rows}
    seen: dict[int, int] = {}
    for line in table.lines:
        raw_id = line.values.get("ID", "").strip()
        row: Kedjerad | None
        if raw_id:
            digits = re.sub(r"\.0+$", "", raw_id)  # 12.0, as some programs write it
            row = by_id.get(int(digits)) if digits.isdigit() else None
            if row is None:
                plan.errors[line.number] = {
                    "ID": [f"Det finns ingen rad med ID {raw_id} i {area.namn}."]
                }
                continue
        else:
            row = by_activity.get(fold(line.values.get("Aktivitet", "")))
        if row is None:
            continue
        if row.pk in seen:
            plan.errors[line.number] = {
                "Aktivitet": [f"Samma rad står redan på rad {seen[row.pk]} i filen."]
            }
            continue
        seen[row.pk] = line.number
        plan.matches[line.number] = row

    not_in_file = [r for r in rows if r.pk not in seen]
    for line in table.lines:
        if line.number in plan.matches or line.number in plan.errors:
            continue
        plan.candidates[line.number] = _candidates(line, not_in_file, effects)

    chosen_by: dict[int, int] = {}
    for number, pk in sorted(choices.replaces.items()):
        if number not in plan.candidates:
            continue  # the line is no longer new (an earlier choice, a changed file)
        if pk not in {c.pk for c in plan.candidates[number]}:
            plan.choice_errors.append(
                f"Rad {number} i filen kan inte längre vara en ändring av den valda raden. "
                "Välj igen."
            )
            continue
        if pk in chosen_by:
            plan.choice_errors.append(
                f"Rad {chosen_by[pk]} och rad {number} i filen är båda valda som ändring av "
                f"”{by_id[pk].aktivitet}”. Välj ”Ny rad” för en av dem."
            )
            continue
        chosen_by[pk] = number
        plan.replaces[number] = pk
        plan.matches[number] = by_id[pk]

    missing = [r for r in not_in_file if r.pk not in chosen_by]
    closed: dict[int, list[str]] = {}
    for rad_id, name in (
        Rapportperiod.objects.filter(stangd=True, rapporter__rad__in=missing)
        .order_by("start")
        .values_list("rapporter__rad_id", "namn")
        .distinct()
    ):
        closed.setdefault(rad_id, []).append(name)
    for row in missing:
        entry = MissingRow(
            pk=row.pk,
            activity=row.aktivitet,
            effects=formatting.effects_text((e.text for e in row.langsiktiga_effekter.all()), "; "),
            closed_periods=closed.get(row.pk, []),
            remove=row.pk in choices.remove,
        )
        if entry.remove and not entry.removable:
            entry.remove = False
            plan.choice_errors.append(
                f"”{row.aktivitet}” kan inte tas bort: den har lägesrapporter i stängda "
                f"perioder ({', '.join(entry.closed_periods)})."
            )
        plan.missing.append(entry)
    for pk in choices.remove & set(chosen_by):
        plan.choice_errors.append(
            f"”{by_id[pk].aktivitet}” kan inte både tas bort och ändras av rad "
            f"{chosen_by[pk]} i filen."
        )
    return plan


def _candidates(
    line: Line, rows: list[Kedjerad], effects: Mapping[str, LangsiktigEffekt]
) -> list[Candidate]:
    """Rows not in the file, under the same long-term effect as the line (or, like it,
    under none), whose activity reads like the line's: most alike first."""
    keys = set(_effect_keys(line.values.get("Långsiktiga effekter", ""), effects)) - {WHOLE_AREA}
    activity = line.values.get("Aktivitet", "")
    found = []
    for row in rows:
        row_keys = {fold(e.text) for e in row.langsiktiga_effekter.all()}
        if keys != row_keys and not keys & row_keys:
            continue
        score = similarity(activity, row.aktivitet)
        if score >= SIMILAR:
            found.append(Candidate(row.pk, row.aktivitet, round(score, 2)))
    found.sort(key=lambda c: -c.score)
    return found[:MAX_CANDIDATES]


class KedjeradImportResource(resources.ModelResource):
    """One spreadsheet line → one chain row of `area`."""

    class Meta:
        model = Kedjerad
        fields = ()
        skip_diff = True
        use_transactions = True

    def __init__(
        self,
        area: Malomrade,
        plan: _Plan,
        columns: list[str],
        effects: dict[str, LangsiktigEffekt],
        other_effects: dict[str, str],
    ) -> None:
        super().__init__()
        self.area = area
        self.plan = plan
        self.columns = set(columns)
        self.effects = effects
        self.other_effects = other_effects
        self.codes = {fold(o.kod): o for o in Organisation.objects.all()}
        self.changes: dict[int, list[tuple[str, str, str]]] = {}
        self.new_effects: list[str] = []

    # -- reading a line --

    def _keeps(self, existing: Kedjerad | None, row: dict[str, Any], column: str, own: str) -> bool:
        """Whether a matched row keeps its values for `column`: the file lacks the column,
        or the cell reads as the row's own rendering `own`."""
        if existing is None:
            return False
        return column not in self.columns or _same(row.get(column) or "", own)

    def _parse(self, row: dict[str, Any], existing: Kedjerad | None) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        parsed: dict[str, Any] = {}
        old = {name: getattr(existing, name) for name in ROW_FIELDS} if existing else {}
        for column, name in TEXT_COLUMNS.items():
            if self._keeps(existing, row, column, old.get(name, "")):
                parsed[name] = old[name]
            else:
                parsed[name] = (row.get(column) or "").strip()
        if not parsed["aktivitet"]:
            errors.setdefault("Aktivitet", []).append("Aktiviteten saknas.")

        orgs = list(existing.ansvariga_organisationer.all()) if existing else []
        if existing and self._keeps(
            existing, row, "Ansvar", formatting.row_responsibility(existing)
        ):
            parsed["orgs"], parsed["ansvar_kommentar"] = orgs, old["ansvar_kommentar"]
        else:
            try:
                parsed["orgs"], parsed["ansvar_kommentar"] = parse_responsibility(
                    row.get("Ansvar") or "", self.codes
                )
            except ValueError as error:
                errors.setdefault("Ansvar", []).append(str(error))
            else:
                if len(parsed["ansvar_kommentar"]) > 500:
                    errors.setdefault("Ansvar", []).append(
                        "Fritexten i Ansvar får vara högst 500 tecken."
                    )

        if existing and self._keeps(existing, row, "Tid", formatting.time_text(existing)):
            for name in ("start", "slut", "tid_kommentar"):
                parsed[name] = old[name]
        else:
            try:
                parsed["start"], parsed["slut"], parsed["tid_kommentar"] = parse_time(
                    row.get("Tid") or ""
                )
                if parsed["start"] and parsed["slut"] and parsed["slut"] < parsed["start"]:
                    errors.setdefault("Tid", []).append("Slutmånaden ligger före startmånaden.")
                if len(parsed["tid_kommentar"]) > 200:
                    errors.setdefault("Tid", []).append(
                        "Kommentaren i Tid får vara högst 200 tecken."
                    )
            except ValueError as error:
                errors.setdefault("Tid", []).append(str(error))

        if "Belopp" in self.columns:
            # Our export: the text in Resurser, the amount as a number of its own. With
            # the amount cell blank, an amount written into Resurser ("…, 120 000 kr",
            # as the slides write it) is read from there.
            if self._keeps(existing, row, "Resurser", old.get("resurser", "")):
                parsed["resurser"], amount_in_text = old["resurser"], None
            else:
                parsed["resurser"], amount_in_text = parse_resources(row.get("Resurser") or "")
            try:
                parsed["resurser_belopp"] = parse_amount(row.get("Belopp") or "")
            except ValueError as error:
                errors.setdefault("Belopp", []).append(str(error))
            else:
                if parsed["resurser_belopp"] is None and amount_in_text is not None:
                    parsed["resurser_belopp"] = amount_in_text
                elif amount_in_text is not None:
                    parsed["resurser"] = (row.get("Resurser") or "").strip()
        elif existing and self._keeps(
            existing, row, "Resurser", formatting.resources_text(existing)
        ):
            parsed["resurser"], parsed["resurser_belopp"] = old["resurser"], old["resurser_belopp"]
        else:
            parsed["resurser"], parsed["resurser_belopp"] = parse_resources(
                row.get("Resurser") or ""
            )

        if existing and self._keeps(
            existing, row, "Samverkansnivå", formatting.level_label(existing.samverkansniva)
        ):
            parsed["samverkansniva"] = old["samverkansniva"]
        else:
            level = fold(row.get("Samverkansnivå") or "")
            if level and level not in LEVELS and level not in {"1", "2", "3", "4", "5"}:
                errors.setdefault("Samverkansnivå", []).append(
                    f"Okänd samverkansnivå ”{row.get('Samverkansnivå')}”."
                )
            parsed["samverkansniva"] = LEVELS.get(level) or (
                int(level) if level.isdigit() else None
            )

        own_effects = list(existing.langsiktiga_effekter.all()) if existing else []
        if existing and self._keeps(
            existing,
            row,
            "Långsiktiga effekter",
            formatting.effects_text(e.text for e in own_effects),
        ):
            parsed["effects"] = own_effects
        else:
            parsed["effects"] = self._effects(row.get("Långsiktiga effekter") or "", errors)
        if errors:
            raise ValidationError(errors)
        return parsed

    def _effects(self, cell: str, errors: dict[str, list[str]]) -> list[Any]:
        """The cell's long-term effects: this area's, or new texts (created on import)."""
        effects: list[Any] = []
        for key, text in zip(
            _effect_keys(cell, self.effects), _effect_texts(cell, self.effects), strict=True
        ):
            if key == WHOLE_AREA:
                continue
            if key in self.effects:
                effects.append(self.effects[key])
            elif key in self.other_effects:
                errors.setdefault("Långsiktiga effekter", []).append(
                    f"”{text}” är en långsiktig effekt i målområdet {self.other_effects[key]}."
                )
            elif key not in {fold(e) for e in effects if isinstance(e, str)}:
                effects.append(text)  # a new effect, created on import
        return list(dict.fromkeys(effects))

    def get_or_init_instance(
        self, instance_loader: Any, row: dict[str, Any]
    ) -> tuple[Kedjerad, bool]:
        line = int(row["__line"])
        if line in self.plan.errors:
            raise ValidationError(self.plan.errors[line])
        instance = self.plan.matches.get(line)
        row["__parsed"] = self._parse(row, instance)
        if instance is not None:
            return instance, False
        return Kedjerad(malomrade=self.area), True

    def import_instance(self, instance: Kedjerad, row: dict[str, Any], **kwargs: Any) -> None:
        parsed = row["__parsed"]
        for name in ROW_FIELDS:
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
        effects = [self.effect(e) if isinstance(e, str) else e for e in parsed["effects"]]
        save_row(
            row=instance,
            organisations=parsed["orgs"],
            effects=effects,
            expected_version=None if is_create else instance.version,
        )

    def effect(self, text: str) -> LangsiktigEffekt:
        """The area's effect with this text, created (last in the area) if it is new."""
        key = fold(text)
        if key not in self.effects:
            created = LangsiktigEffekt(malomrade=self.area, text=text)
            save_effect(effect=created)
            self.effects[key] = created
            self.new_effects.append(text)
        return self.effects[key]

    def save_m2m(self, instance: Kedjerad, row: dict[str, Any], **kwargs: Any) -> None:
        return None  # save_row wrote the links with the row, as one history entry


def _effect_texts(cell: str, effects: Mapping[str, Any]) -> list[str]:
    """The texts `_effect_keys` folds, as written."""
    if fold(cell) in effects:
        return [cell.strip()]
    return [t.strip() for t in cell.split("\n") if t.strip()]


def _display(row: Kedjerad, orgs: list[Any], effects: list[Any]) -> dict[str, str]:
    """A row as the import compares it, column by column, in the export's wording."""
    ordered = sorted(
        effects,
        key=lambda e: (1, 0, 0) if isinstance(e, str) else (0, e.ordning, e.pk or 0),
    )
    return {
        "Långsiktiga effekter": formatting.effects_text(
            (e if isinstance(e, str) else e.text for e in ordered), "; "
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


def _import(
    table: Table, area: Malomrade, choices: ImportChoices | None, *, dry_run: bool
) -> ImportPreview:
    rows = list(Kedjerad.objects.filter(malomrade=area).for_display())
    effects = {fold(e.text): e for e in LangsiktigEffekt.objects.filter(malomrade=area)}
    other_effects = {
        fold(e.text): e.malomrade.namn
        for e in LangsiktigEffekt.objects.exclude(malomrade=area).select_related("malomrade")
    }
    plan = _plan(table, area, rows, effects, choices or ImportChoices())
    resource = KedjeradImportResource(area, plan, table.columns, effects, other_effects)
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
            line.number,
            kind,
            activity,
            changes=resource.changes.get(line.number, []),
            candidates=plan.candidates.get(line.number, []),
            replaces=plan.replaces.get(line.number),
        )
        if row_result.validation_error is not None:
            for column, messages in row_result.validation_error.message_dict.items():
                entry.errors.extend((column, m) for m in messages)
        for error in row_result.errors:
            entry.errors.append(("", f"Raden kunde inte läsas in: {error.error}"))
        lines.append(entry)
    lines += _effect_lines(table, resource, dry_run=dry_run)
    lines.sort(key=lambda entry: entry.number)
    return ImportPreview(
        table.sheet,
        lines,
        list(dict.fromkeys(resource.new_effects)),
        table.ignored_columns,
        missing=plan.missing,
        choice_errors=plan.choice_errors,
    )


def _effect_lines(
    table: Table, resource: KedjeradImportResource, *, dry_run: bool
) -> list[LineResult]:
    """Lines naming only a long-term effect: the effect is created if it is new (an
    existing one changes nothing); another area's effect is an error."""
    errors = []
    for line in table.effect_lines:
        cell = line.values.get("Långsiktiga effekter", "")
        for key, text in zip(
            _effect_keys(cell, resource.effects), _effect_texts(cell, resource.effects), strict=True
        ):
            if key == WHOLE_AREA or key in resource.effects:
                continue
            if key in resource.other_effects:
                message = (
                    f"”{text}” är en långsiktig effekt i målområdet {resource.other_effects[key]}."
                )
                errors.append(
                    LineResult(line.number, "fel", "", errors=[("Långsiktiga effekter", message)])
                )
            elif dry_run:
                resource.new_effects.append(text)
            else:
                resource.effect(text)
    return errors


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


def preview_import(
    table: Table, area: Malomrade, choices: ImportChoices | None = None
) -> ImportPreview:
    """What importing `table` into `area` would do, with the user's choices; nothing is
    written."""
    return _import(table, area, choices, dry_run=True)


def write_import(
    table: Table, area: Malomrade, choices: ImportChoices | None = None
) -> ImportPreview:
    """Import for real (only services/imports.py calls this, inside its transaction and
    under the area's locks; it removes the rows chosen for removal)."""
    return _import(table, area, choices, dry_run=False)
