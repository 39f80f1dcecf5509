"""Reading effect chains from the spreadsheets people actually have.

This module turns an uploaded xlsx or csv file into clean lines with known columns, or a
Swedish message saying why it cannot. It accepts the seed's layout: the seven headings
(matched without regard to case, spacing, a trailing colon or a missing å/ä/ö), title
lines above the heading row, the long-term effect written once (or merged vertically)
over the rows that serve it, several sheets (the one with the headings is read), csv in
UTF-8 (with or without BOM) or Windows-1252, with comma or semicolon separators.

Our own export reads back as written: the apostrophe the export puts before a cell that a
spreadsheet would run as a formula (or that starts with an apostrophe itself) is taken
off again, and a line holding only a long-term effect is that effect, without rows.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

MAX_BYTES = 5 * 1024 * 1024
# An xlsx is a zip archive; refuse one that unpacks to more than this (a "zip bomb").
MAX_UNPACKED = 100 * 1024 * 1024
MAX_LINES = 5000
HEADER_SEARCH_ROWS = 20

# Normalised heading → the column's name in this application.
HEADINGS = {
    "id": "ID",
    "malomrade": "Målområde",
    "langsiktiga effekter": "Långsiktiga effekter",
    "langsiktig effekt": "Långsiktiga effekter",
    "kortsiktiga effekter": "Kortsiktiga effekter",
    "kortsiktig effekt": "Kortsiktiga effekter",
    "prestation": "Prestation",
    "prestationer": "Prestation",
    "aktivitet": "Aktivitet",
    "aktiviteter": "Aktivitet",
    "ansvar": "Ansvar",
    "tid": "Tid",
    "resurser": "Resurser",
    "samverkansniva": "Samverkansnivå",
    "belopp": "Belopp",
    "resurser, belopp": "Belopp",
    "resurser belopp": "Belopp",
}
REQUIRED = "Aktivitet"
# Columns whose value, written once, holds for the blank cells below it.
FILL_DOWN = {"Långsiktiga effekter"}
# Columns that say where a line belongs rather than what the row holds: a line with a
# long-term effect and nothing else is the effect on its own (the export writes an
# effect that no row serves so).
PLACE_COLUMNS = {"Målområde", "Långsiktiga effekter"}
# What the export puts an apostrophe before (exporting.neutralise): formula starts, and
# an apostrophe itself, so that taking one apostrophe off gives back the value.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTED_STARTS = (*FORMULA_STARTS, "'")
# OOXML writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x).
OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


class ImportFileError(Exception):
    """The file cannot be read; the message is for the user, in Swedish."""


@dataclass
class Line:
    number: int  # the line number as the spreadsheet shows it
    values: dict[str, str]


@dataclass
class Table:
    columns: list[str]
    lines: list[Line] = field(default_factory=list)
    sheet: str | None = None
    ignored_columns: list[str] = field(default_factory=list)
    # Lines naming a long-term effect and nothing else: the effect, with no rows.
    effect_lines: list[Line] = field(default_factory=list)


def unquote(value: str) -> str:
    """Take off the apostrophe the export put before a formula-like value (or before a
    value starting with an apostrophe): "'=summa" → "=summa", "''a" → "'a"; "'a" stays."""
    if value.startswith("'") and value[1:].startswith(QUOTED_STARTS):
        return value[1:]
    return value


def cell_text(value: Any) -> str:
    """An xlsx cell's value as the text the import reads."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # A month typed as 2026-03 that the spreadsheet program turned into a date.
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return str(value)


def normalise_heading(text: Any) -> str:
    """ "Långsiktiga  effekter:" → "langsiktiga effekter"; "Status (Helår 2026)" → "status"."""
    value = str(text or "").strip().lower().rstrip(":").strip()
    value = value.split("(")[0].strip()
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c))
    return " ".join(value.split())


def read_table(content: bytes, filename: str) -> Table:
    """Read the uploaded file; raise ImportFileError with a Swedish message if it cannot."""
    grids = read_grids(content, filename)
    for sheet, grid in grids:
        table = _table_from_grid(grid, sheet)
        if table is not None:
            return table
    raise ImportFileError(
        "Hittade ingen rubrikrad. Filen behöver en rad med rubrikerna, minst "
        "”Aktivitet”, gärna också ”Långsiktiga effekter”, ”Kortsiktiga effekter”, "
        "”Prestation”, ”Ansvar”, ”Tid” och ”Resurser”."
    )


def read_grids(
    content: bytes, filename: str, headings: dict[str, str] = HEADINGS
) -> list[tuple[str | None, list[list[str]]]]:
    """The cells of each sheet of an uploaded xlsx or csv file, as text; `headings`
    (normalised heading → column) tell a csv file's separator. Raises ImportFileError
    with a Swedish message if the file cannot be read or holds nothing."""
    if not content:
        raise ImportFileError("Filen är tom.")
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            f"Filen är för stor ({len(content) / 1024 / 1024:.1f} MB). Största tillåtna "
            f"storlek är {MAX_BYTES // 1024 // 1024} MB."
        )
    name = filename.lower()
    if content.startswith(OLE_MAGIC):
        if ENCRYPTION_STREAM in content:
            raise ImportFileError(
                "Filen är lösenordsskyddad. Ta bort lösenordet i Excel (Arkiv → Info → "
                "Skydda arbetsbok) och ladda upp den igen."
            )
        raise ImportFileError(
            "Filen är i det gamla xls-formatet. Spara den som .xlsx eller .csv och försök igen."
        )
    if name.endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
        grids = _xlsx_grids(content)
    elif name.endswith((".csv", ".txt")):
        grids = [(None, _csv_grid(content, headings))]
    else:
        raise ImportFileError("Filen är inte ett kalkylblad. Ladda upp en .xlsx- eller .csv-fil.")
    if not any(any(cell.strip() for cell in row) for _sheet, grid in grids for row in grid):
        raise ImportFileError("Filen är tom: den innehåller inga värden.")
    return grids


def _xlsx_grids(content: bytes) -> list[tuple[str | None, list[list[str]]]]:
    import openpyxl  # loaded only for xlsx uploads
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = ImportFileError(
        "Filen kunde inte läsas som ett Excel-kalkylblad (.xlsx). Är den skadad eller "
        "sparad i ett annat format?"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise unreadable from error
    if unpacked > MAX_UNPACKED:
        raise ImportFileError("Filen är för stor uppackad. Dela upp den i mindre filer.")
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise unreadable from error
    grids = []
    for sheet in book.worksheets:
        if sheet.max_row > MAX_LINES + HEADER_SEARCH_ROWS:
            raise ImportFileError(
                f"Bladet ”{sheet.title}” har {sheet.max_row} rader. Högst {MAX_LINES} rader "
                "kan läsas in åt gången."
            )
        grid = [[cell_text(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
        # A merged cell holds its value in the top-left cell only: spread it over the range.
        for merged in sheet.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    grid[r][c] = value
        grids.append((sheet.title, grid))
    return grids


def _csv_grid(content: bytes, headings: dict[str, str] = HEADINGS) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # as Excel writes csv on Windows
    if "\x00" in text:
        raise ImportFileError("Filen är inte ett kalkylblad. Ladda upp en .xlsx- eller .csv-fil.")
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text, headings)))
    if len(rows) > MAX_LINES + HEADER_SEARCH_ROWS:
        raise ImportFileError(
            f"Filen har {len(rows)} rader. Högst {MAX_LINES} rader kan läsas in åt gången."
        )
    return [[cell.strip() for cell in row] for row in rows]


def _delimiter(text: str, headings: dict[str, str] = HEADINGS) -> str:
    """The separator under which the heading row reads best (a sniffer guessing from the
    text can be misled by semicolons or tabs inside the cells)."""

    def score(delimiter: str) -> int:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        best = 0
        for _index, row in zip(range(HEADER_SEARCH_ROWS), reader, strict=False):
            best = max(best, sum(1 for cell in row if normalise_heading(cell) in headings))
        return best

    try:
        scores = {d: score(d) for d in (",", ";", "\t")}
    except csv.Error:
        scores = {}
    if scores and max(scores.values()) > 0:
        return max(scores, key=lambda d: scores[d])
    sample = text[:8192]
    return ";" if sample.count(";") > sample.count(",") else ","


def _table_from_grid(grid: list[list[str]], sheet: str | None) -> Table | None:
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        mapped = [HEADINGS.get(normalise_heading(cell)) for cell in row]
        if REQUIRED in mapped and sum(1 for m in mapped if m) >= 2:
            return _table(grid, index, mapped, sheet)
    return None


def _table(
    grid: list[list[str]], header_index: int, mapped: list[str | None], sheet: str | None
) -> Table:
    header = grid[header_index]
    columns = []
    for m in mapped:
        if m and m not in columns:
            columns.append(m)
    table = Table(
        columns=columns,
        sheet=sheet,
        ignored_columns=[h for h, m in zip(header, mapped, strict=False) if h and not m],
    )
    carried: dict[str, str] = {}
    for offset, row in enumerate(grid[header_index + 1 :], start=header_index + 2):
        values: dict[str, str] = {}
        for cell, column in zip(row, mapped, strict=False):
            if column and column not in values:
                values[column] = unquote(cell)
        if not any(values.values()):
            continue  # a blank line
        for column in FILL_DOWN & set(columns):
            if values.get(column):
                carried[column] = values[column]
            elif values.get(REQUIRED):
                values[column] = carried.get(column, "")
        if values.get("Långsiktiga effekter") and not any(
            v for c, v in values.items() if c not in PLACE_COLUMNS
        ):
            table.effect_lines.append(Line(number=offset, values=values))
            continue
        table.lines.append(Line(number=offset, values=values))
    if len(table.lines) > MAX_LINES:
        raise ImportFileError(
            f"Filen har {len(table.lines)} rader. Högst {MAX_LINES} rader kan läsas in åt gången."
        )
    return table


# --- from lines to rows ---------------------------------------------------------------------

CODE_LIKE = re.compile(r"^[A-ZÅÄÖ0-9]{2,10}$")
MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(MONTHS)
_DATE = rf"(?:(?:{_MONTH_NAMES})\s+\d{{4}}|\d{{4}}-\d{{1,2}}(?:-\d{{1,2}})?)"
# The forms the export writes ("M – M", "från M", "till M", a lone M; M as "mars 2026"
# or 2026-03), at the start of the cell, then ", comment" (or a space and the comment).
TIME_PREFIX = re.compile(
    rf"^(?:till\s+(?P<until>{_DATE})"
    rf"|(?:från\s+)?(?P<start>{_DATE})(?:(?:\s*[–—-]\s*|\s+till\s+)(?P<end>{_DATE}))?)"
    r"(?=[\s,]|$)",
    re.IGNORECASE,
)
# A cell that begins like a date but is none: an error, not a comment.
BROKEN_DATE = re.compile(
    rf"^(?:(?:från|till)\s+)?(?:(?:{_MONTH_NAMES})\s*[^\s,]*\d"
    r"|\d{4}\s*[-/.]\s*\d{1,2}\b|\d{1,2}\s*[-/.]\s*\d{4}\b)",
    re.IGNORECASE,
)
AMOUNT = re.compile(r"(?:^|,\s*)(?P<n>\d[\d \u00a0]*)\s*kr\s*$")


def fold(text: str) -> str:
    """Compare texts without regard to case, spacing or å/ä/ö."""
    value = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(c for c in value if not unicodedata.combining(c)).split())


def parse_responsibility(cell: str, codes: dict[str, Any]) -> tuple[list[Any], str]:
    """ "GVUF, ALF och AF, berörda förvaltningar" → ([GVUF, ALF, AF], "berörda förvaltningar").

    Raises ValueError naming an unknown office code."""
    organisations: list[Any] = []
    notes: list[str] = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;\n]", cell))):
        pieces = [p.strip() for p in re.split(r"\s+och\s+|\s*&\s*", part) if p.strip()]
        if all(fold(p) in codes for p in pieces):
            organisations.extend(codes[fold(p)] for p in pieces)
        elif fold(part) in codes:
            organisations.append(codes[fold(part)])
        elif CODE_LIKE.match(part):
            raise ValueError(f"Okänd organisationskod ”{part}”.")
        else:
            notes.append(part)
    unique = list(dict.fromkeys(organisations))
    return unique, ", ".join(notes)


def _month(text: str) -> datetime.date:
    if "-" in text:
        year, month, *day = (int(x) for x in text.split("-"))
    else:
        word, year_text = text.split()
        year, month, day = int(year_text), MONTHS[word.lower()], []
    try:
        return datetime.date(year, month, day[0] if day else 1).replace(day=1)
    except ValueError:
        raise ValueError(
            f"Oläsligt datum ”{text}”: ange månad som ÅÅÅÅ-MM, till exempel 2026-03."
        ) from None


def parse_time(cell: str) -> tuple[datetime.date | None, datetime.date | None, str]:
    """ "mars 2026 – december 2026, löpande" → (2026-03-01, 2026-12-01, "löpande").

    The months come first, as the export writes them; what follows the comma is the
    comment, word for word ("Vårterminen 2027"). A cell without months is all comment,
    unless it begins like a date that cannot be read ("mars 20x6", "2026-13")."""
    cell = cell.strip()
    match = TIME_PREFIX.match(cell)
    if match is None:
        if BROKEN_DATE.match(cell):
            raise ValueError(
                f"Oläsligt datum i ”{cell}”: ange månader som ÅÅÅÅ-MM, till exempel 2026-03, "
                "eller som ”mars 2026”."
            )
        return None, None, cell
    rest = cell[match.end() :].lstrip()
    comment = rest[1:].strip() if rest.startswith(",") else rest
    if match.group("until"):
        return None, _month(match.group("until")), comment
    start = _month(match.group("start"))
    end = _month(match.group("end")) if match.group("end") else None
    return start, end, comment


def parse_amount(cell: str) -> int | None:
    """The "Belopp (kr)" cell: "120000", "120 000" or "120 000 kr" → 120000."""
    text = re.sub(r"[\s\u00a0]", "", cell).lower().removesuffix("kr")
    if not text:
        return None
    text = re.sub(r"[.,]0+$", "", text)  # 120000.0, as some programs write a number
    if not text.isdigit():
        raise ValueError(f"Oläsligt belopp ”{cell}”: ange hela kronor, till exempel 120000.")
    return int(text)


def parse_resources(cell: str) -> tuple[str, int | None]:
    """ "Två handledare, 120 000 kr" → ("Två handledare", 120000)."""
    match = AMOUNT.search(cell)
    if not match:
        return cell.strip(), None
    amount = int(re.sub(r"\D", "", match.group("n")))
    return cell[: match.start()].strip().rstrip(","), amount
