"""Template tags for chain-row cells and states, through effektkedjor/formatting.py so
that pages read the same as the PDF, the export and the import preview.

    {% load kedjor %}
    {% tid rad %}  {% resurser rad %}  {% ansvar vy %}
    {{ belopp|kronor }}  {{ rapport.status|status_text }}  {{ v|bedomning_text }}
    {{ r.period.start|dag }}
"""

import datetime

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from effektkedjor import formatting
from effektkedjor.chain import RadVy
from effektkedjor.models import Kedjerad

register = template.Library()


def _not_given() -> SafeString:
    return format_html('<span class="dampad">{}</span>', formatting.NOT_GIVEN)


@register.filter
def kronor(value: int | None) -> str:
    return formatting.kronor(value)


@register.filter
def dag(value: datetime.date | str | None) -> str:
    """A date as people read it, "31 augusti 2026", also from a frozen report's ISO text
    (a date object reads the same with Django's own `|date`)."""
    return formatting.day(value)


@register.filter
def status_text(value: str | None) -> str:
    """A status's label; "Ingen rapport" when there is none."""
    return formatting.status_label(value) or formatting.NO_REPORT


@register.filter
def bedomning_text(value: str | None) -> str:
    return formatting.assessment_label(value)


@register.simple_tag
def tid(rad: Kedjerad) -> str:
    """The "Tid" cell, or "Ej angivet" when the row has no time."""
    text = formatting.time_text(rad)
    return format_html("{}", text) if text else _not_given()


@register.simple_tag
def resurser(rad: Kedjerad) -> str:
    """The "Resurser" cell: the free text (its line breaks kept), the amount on a line of
    its own, or "Ej angivet"."""
    parts = []
    if rad.resurser:
        parts.append(linebreaksbr(rad.resurser, autoescape=True))
    if rad.resurser_belopp is not None:
        parts.append(format_html("{}", formatting.kronor(rad.resurser_belopp)))
    if not parts:
        return _not_given()
    return SafeString("<br>".join(parts))


@register.simple_tag
def ansvar(vy: RadVy, namn: bool = False) -> str:
    """The "Ansvar" cell: each office's code linked to its page, then the free text, or
    "Ej angivet". In a table the name is the abbreviation's title; with `namn=True` (a
    row's own page) it is written out after the code."""
    parts = [
        format_html('<a href="{}">{}</a> ({})', o.url, o.kod, o.namn)
        if namn
        else format_html('<a href="{}"><abbr title="{}">{}</abbr></a>', o.url, o.namn, o.kod)
        for o in vy.ansvariga
    ]
    if vy.rad.ansvar_kommentar:
        parts.append(format_html("{}", vy.rad.ansvar_kommentar))
    if not parts:
        return _not_given()
    return SafeString(", ".join(parts))


@register.simple_tag
def koder(vy: RadVy) -> str:
    """The offices' codes alone, for a compact line ("SKA, ALF")."""
    return format_html_join(", ", "{}", ((o.kod,) for o in vy.ansvariga))
