"""Reading indicator values (nyckeltal) from a spreadsheet, and what importing them would do.

The file has a heading row with at least "Nyckeltal", "År" and "Värde", and optionally
"Period" and "Kön" (T/K/M, or totalt/kvinnor/män; blank is the total). "Nyckeltal" names
one of the area's indicators entered by hand, by its name or its number. The preview says,
line by line, what would happen (a new value, a changed value with before → after, an
unchanged one) or what is wrong, in Swedish, with the spreadsheet's row number. The file
is read with reading.py, as the chain import is; services/indicators.py writes the values,
all of them or none.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from malomraden.models import Malomrade

from ..models import Indikator, Indikatorvarde
from ..services.indicators import NyttVarde
from .reading import HEADER_SEARCH_ROWS, MAX_LINES, ImportFileError, fold, normalise_heading

HEADINGS = {
    "nyckeltal": "Nyckeltal",
    "indikator": "Nyckeltal",
    "ar": "År",
    "period": "Period",
    "kon": "Kön",
    "varde": "Värde",
}
REQUIRED = ("Nyckeltal", "År", "Värde")
GENDERS = {
    "": "T",
    "t": "T",
    "totalt": "T",
    "total": "T",
    "alla": "T",
    "k": "K",
    "kvinnor": "K",
    "kvinna": "K",
    "flickor": "K",
    "m": "M",
    "man": "M",  # "män" folded
    "pojkar": "M",
}


@dataclass
class ValueLine:
    """One line of the file as the preview shows it."""

    number: int
    indicator: str
    year: str
    period: str
    gender: str
    value: str
    kind: str = "fel"  # "ny", "ändrad", "oförändrad", "fel"
    before: str = ""
    errors: list[str] = field(default_factory=list)
    indikator_id: int | None = None
    parsed: NyttVarde | None = None


@dataclass
class ValuePreview:
    sheet: str | None
    lines: list[ValueLine]

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

    @property
    def blocked(self) -> bool:
        return any(line.kind == "fel" for line in self.lines)

    @property
    def state(self) -> list[str]:
        """What each line would do against the values as they are now: a preview is
        confirmed only while this is unchanged."""
        return [f"{line.number}:{line.kind}:{line.before}" for line in self.lines]


def read_lines(
    grids: list[tuple[str | None, list[list[str]]]],
) -> tuple[str | None, list[tuple[int, dict[str, str]]]]:
    """The lines under the heading row (its number as the spreadsheet shows it, and the
    cells by column)."""
    for sheet, grid in grids:
        for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
            mapped = [HEADINGS.get(normalise_heading(cell)) for cell in row]
            if all(column in mapped for column in REQUIRED):
                lines = []
                for number, cells in enumerate(grid[index + 1 :], start=index + 2):
                    values: dict[str, str] = {}
                    for cell, column in zip(cells, mapped, strict=False):
                        if column and column not in values:
                            values[column] = cell.strip()
                    if any(values.values()):
                        lines.append((number, values))
                if len(lines) > MAX_LINES:
                    raise ImportFileError(
                        f"Filen har {len(lines)} rader. Högst {MAX_LINES} rader kan läsas in "
                        "åt gången."
                    )
                return sheet, lines
    raise ImportFileError(
        "Hittade ingen rubrikrad. Filen behöver en rad med rubrikerna ”Nyckeltal”, ”År” och "
        "”Värde”, gärna också ”Period” och ”Kön”."
    )


def parse_value(text: str) -> Decimal:
    """ "61,5", "61.5", "1 234,5" or "12 %" → a Decimal; ValueError otherwise."""
    cleaned = re.sub(r"[\s\u00a0%]", "", text).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"Värdet ”{text}” är inget tal. Skriv till exempel 61,5.") from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 12:
        raise ValueError(f"Värdet ”{text}” är för stort.")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"Värdet ”{text}” har fler än två decimaler.")
    return value


def _year(text: str) -> int:
    digits = re.sub(r"\.0+$", "", text.strip())  # 2025.0, as some programs write it
    if not digits.isdigit() or not 1900 <= int(digits) <= 2100:
        raise ValueError(f"Året ”{text}” går inte att läsa. Skriv det med fyra siffror, 2025.")
    return int(digits)


def preview(
    area: Malomrade, lines: list[tuple[int, dict[str, str]]], sheet: str | None = None
) -> ValuePreview:
    """What importing the lines into the area's indicators would do (nothing is written)."""
    indicators = list(Indikator.objects.filter(malomrade=area))
    by_name = {fold(i.namn): i for i in indicators}
    by_id = {str(i.pk): i for i in indicators}
    existing = {
        (v.indikator_id, v.ar, v.period, v.kon): v
        for v in Indikatorvarde.objects.filter(
            indikator__malomrade=area, plats="", ar__isnull=False
        )
    }
    seen: dict[tuple[int, int, str, str], int] = {}
    result = ValuePreview(sheet=sheet, lines=[])
    for number, values in lines:
        line = ValueLine(
            number=number,
            indicator=values.get("Nyckeltal", ""),
            year=values.get("År", ""),
            period=values.get("Period", ""),
            gender=values.get("Kön", ""),
            value=values.get("Värde", ""),
        )
        result.lines.append(line)
        name = line.indicator
        ind = by_id.get(re.sub(r"\.0+$", "", name)) or by_name.get(fold(name))
        if not name:
            line.errors.append("Nyckeltalet saknas.")
        elif ind is None:
            line.errors.append(f"Det finns inget nyckeltal ”{name}” i {area.namn}.")
        elif ind.kalla != Indikator.Kalla.MANUELL:
            line.errors.append(
                f"”{ind.namn}” hämtas från Kolada; dess värden läses inte in från fil."
            )
        year: int | None = None
        try:
            year = _year(line.year) if line.year else None
            if year is None:
                line.errors.append("Året saknas.")
        except ValueError as error:
            line.errors.append(str(error))
        gender = GENDERS.get(fold(line.gender))
        if gender is None:
            line.errors.append(
                f"Könet ”{line.gender}” går inte att läsa. Skriv T (totalt), K (kvinnor) "
                "eller M (män)."
            )
        if len(line.period) > 20:
            line.errors.append("Perioden får vara högst 20 tecken.")
        value: Decimal | None = None
        if not line.value:
            line.errors.append("Värdet saknas.")
        else:
            try:
                value = parse_value(line.value)
            except ValueError as error:
                line.errors.append(str(error))
        if line.errors or ind is None or year is None or gender is None or value is None:
            continue
        key = (ind.pk, year, line.period, gender)
        if key in seen:
            line.errors.append(
                f"Samma nyckeltal, år, period och kön står redan på rad {seen[key]} i filen."
            )
            continue
        seen[key] = number
        line.indikator_id = ind.pk
        line.indicator = ind.namn
        line.parsed = NyttVarde(year, line.period, gender, value)
        old = existing.get(key)
        if old is None:
            line.kind = "ny"
        elif old.varde == value and old.kalla == Indikator.Kalla.MANUELL:
            line.kind = "oförändrad"
            line.before = _text(old.varde)
        else:
            line.kind = "ändrad"
            line.before = _text(old.varde)
    return result


def _text(value: Decimal | None) -> str:
    if value is None:
        return "saknas"
    return f"{value.normalize():f}".replace(".", ",")
