"""Formatting of chain-row values the Swedish way (months, kronor)."""

import datetime

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html

from effektkedjor.models import Kedjerad

register = template.Library()


def _manad(value: datetime.date) -> str:
    return date_format(value, "F Y")


@register.filter
def kronor(value: int | None) -> str:
    """120000 → "120 000 kr" with a non-breaking space, as Swedish texts write it."""
    if value is None:
        return ""
    return f"{value:,}".replace(",", "\u00a0") + "\u00a0kr"


@register.simple_tag
def tid(rad: Kedjerad) -> str:
    """The "Tid" cell: a month span, an open start or end, and the free-text note."""
    delar: list[str] = []
    if rad.start and rad.slut:
        delar.append(f"{_manad(rad.start)} – {_manad(rad.slut)}")
    elif rad.start:
        delar.append(f"från {_manad(rad.start)}")
    elif rad.slut:
        delar.append(f"till {_manad(rad.slut)}")
    if rad.tid_kommentar:
        delar.append(rad.tid_kommentar)
    if not delar:
        return format_html('<span class="dampad">{}</span>', "Ej angivet")
    return format_html("{}", ", ".join(delar))
