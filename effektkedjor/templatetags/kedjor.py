"""Formatting of chain-row values the Swedish way (months, kronor) in templates."""

from django import template
from django.utils.html import format_html

from effektkedjor import formatting
from effektkedjor.models import Kedjerad

register = template.Library()


@register.filter
def kronor(value: int | None) -> str:
    return formatting.kronor(value)


@register.simple_tag
def tid(rad: Kedjerad) -> str:
    """The "Tid" cell, or "Ej angivet" when the row has no time."""
    text = formatting.time_text(rad)
    if not text:
        return format_html('<span class="dampad">{}</span>', "Ej angivet")
    return format_html("{}", text)
