"""Where a value becomes text: how chain-row cells, choices and states read in Swedish.

Pages (through the template tags in templatetags/kedjor.py), the committee report and
its PDF, the spreadsheet export, the import preview and the readable history all call
these functions, so a cell reads the same wherever it is shown, and an exported cell
reads back in as the same value.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from .models import Bedomning, Kedjerad, Samverkansniva, Status

NO_REPORT = "Ingen rapport"
NOT_GIVEN = "Ej angivet"
LEVEL_NOT_GIVEN = "Ej angiven"
WHOLE_AREA = "Målområdet som helhet"

STATUS_LABELS: dict[str, str] = {value: str(label) for value, label in Status.choices}
ASSESSMENT_LABELS: dict[str, str] = {value: str(label) for value, label in Bedomning.choices}
LEVEL_LABELS: dict[int, str] = {value: str(label) for value, label in Samverkansniva.choices}


def status_label(value: str | None) -> str:
    return STATUS_LABELS.get(value or "", "")


def assessment_label(value: str | None) -> str:
    return ASSESSMENT_LABELS.get(value or "", "")


def level_label(value: int | None) -> str:
    return LEVEL_LABELS.get(value, "") if value else ""


def since_text(status: str | None, period_name: str) -> str:
    """A row finished in an earlier period: "Klar sedan Tertial 1 2026"."""
    return f"{status_label(status)} sedan {period_name}"


def state_text(status: str | None, assessment: str | None) -> str:
    """A row's state in a period: "Pågår, Risk för avvikelse", or "Ingen rapport"."""
    if not status:
        return NO_REPORT
    return f"{status_label(status)}, {assessment_label(assessment)}"


def day(value: datetime.date | str | None) -> str:
    """2026-08-31 → "31 augusti 2026": the display format of boras_social/formats/sv.
    Takes the ISO text a closed period's frozen report keeps as well as a date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return date_format(value, "DATE_FORMAT")


def moment(value: datetime.datetime | None) -> str:
    """A point in time, in Stockholm's time: "31 augusti 2026 kl. 14:05"."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "DATETIME_FORMAT")


def month(value: datetime.date | None) -> str:
    """2026-03-01 → "mars 2026"."""
    return date_format(value, "F Y") if value else ""


def kronor(value: int | None) -> str:
    """120000 → "120 000 kr" with non-breaking spaces, as Swedish texts write it."""
    if value is None:
        return ""
    return f"{value:,}".replace(",", "\u00a0") + "\u00a0kr"


# Units written after an indicator's number; "antal", "index" and "annan" need none.
INDICATOR_UNITS = {"procent": "%", "kr": "kr", "ar": "år", "per_1000": "per 1\u00a0000 inv."}


def number(value: Decimal | float | int | None) -> str:
    """84.10 → "84,1", -1234.5 → "−1 234,5": at most two decimals, Swedish separators."""
    if value is None:
        return ""
    text = f"{Decimal(value).quantize(Decimal('0.01')):,.2f}".rstrip("0").rstrip(".")
    text = text.replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "\u2212")


def indicator_value(value: Decimal | float | int | None, enhet: str) -> str:
    """An indicator's value with its unit: "84,1 %", "12 kr"; "Ej angivet" when missing."""
    if value is None:
        return NOT_GIVEN
    unit = INDICATOR_UNITS.get(enhet)
    return f"{number(value)}\u00a0{unit}" if unit else number(value)


def indicator_change(value: Decimal | None, enhet: str) -> str:
    """A change, signed: "+5 procentenheter", "−3 kr", "±0"."""
    if value is None:
        return NOT_GIVEN
    sign = "+" if value > 0 else ("±" if value == 0 else "")
    if enhet == "procent":
        return f"{sign}{number(value)}\u00a0procentenheter"
    return sign + indicator_value(value, enhet)


def responsibility_text(codes: Iterable[str], comment: str) -> str:
    """The "Ansvar" cell as the seed writes it: the offices' codes, then the free text."""
    return ", ".join([*codes, *([comment] if comment else [])])


def row_responsibility(row: Kedjerad) -> str:
    """A row's "Ansvar" cell (its organisations prefetched, in the cell's order)."""
    return responsibility_text(
        (o.kod for o in row.ansvariga_organisationer.all()), row.ansvar_kommentar
    )


def time_text(row: Kedjerad) -> str:
    """The "Tid" cell: a month span, an open start or end, and the free-text note."""
    parts = []
    if row.start and row.slut:
        parts.append(f"{month(row.start)} – {month(row.slut)}")
    elif row.start:
        parts.append(f"från {month(row.start)}")
    elif row.slut:
        parts.append(f"till {month(row.slut)}")
    if row.tid_kommentar:
        parts.append(row.tid_kommentar)
    return ", ".join(parts)


def resources_text(row: Kedjerad) -> str:
    """The "Resurser" cell: the free text and the amount."""
    parts = [row.resurser] if row.resurser else []
    if row.resurser_belopp is not None:
        parts.append(kronor(row.resurser_belopp))
    return ", ".join(parts)


def effects_text(texts: Iterable[str], separator: str = "\n") -> str:
    """The "Långsiktiga effekter" cell; a row naming none serves the area as a whole."""
    return separator.join(texts) or WHOLE_AREA


def display_value(name: str, value: Any) -> str:
    """A saved field's value as a person reads it (history, the edit-conflict choices)."""
    if value is None or value == "":
        return "(tomt)"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if name in {"start", "slut"}:
        return month(value)
    if isinstance(value, datetime.datetime):
        return moment(value)
    if isinstance(value, datetime.date):
        return day(value)
    if name == "samverkansniva":
        return level_label(value)
    if name == "resurser_belopp":
        return kronor(value)
    return str(value)
