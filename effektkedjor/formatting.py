"""How chain-row values read in Swedish, the same on pages, in PDFs, exports and history."""

import datetime

from django.utils.formats import date_format

from .models import Kedjerad


def month(value: datetime.date | None) -> str:
    """2026-03-01 → "mars 2026"."""
    return date_format(value, "F Y") if value else ""


def kronor(value: int | None) -> str:
    """120000 → "120 000 kr" with non-breaking spaces, as Swedish texts write it."""
    if value is None:
        return ""
    return f"{value:,}".replace(",", "\u00a0") + "\u00a0kr"


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
