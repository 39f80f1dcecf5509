"""Bar charts drawn on the server as SVG, so the same chart serves the page and the PDF.

Every bar carries its label and number as text (never colour alone); the chart has a
title and a description for screen readers, and the page shows the same numbers in a
table beside it.
"""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .dashboard import Count_

# Fill colours as SVG attributes (WeasyPrint's SVG renderer ignores CSS `fill`). The
# bars' meaning is in their text labels; colour only repeats it.
COLOURS = {
    "status-klar": "#1a7f37",
    "bedomning-enligt_plan": "#1a7f37",
    "bedomning-risk": "#b35900",
    "bedomning-avvikelse": "#a4000f",
    "status-avbruten": "#a4000f",
    "status-ingen": "#6b7480",
    "bedomning-ingen": "#6b7480",
    "samverkan-ingen": "#6b7480",
}
DEFAULT_COLOUR = "#00457c"
ROW_HEIGHT = 30
LABEL_WIDTH = 230
BAR_AREA = 300
WIDTH = LABEL_WIDTH + BAR_AREA + 60


def bar_chart(*, chart_id: str, title: str, items: Sequence[Count_], kind: str) -> SafeString:
    largest = max((item.value for item in items), default=0) or 1
    height = ROW_HEIGHT * len(items) + 10
    bars = []
    for i, item in enumerate(items):
        y = 5 + i * ROW_HEIGHT
        width = round(BAR_AREA * item.value / largest) if item.value else 0
        bars.append(
            (
                LABEL_WIDTH - 8,
                y + 19,
                item.label,
                LABEL_WIDTH,
                y + 4,
                max(width, 1),
                COLOURS.get(f"{kind}-{item.key}", DEFAULT_COLOUR),
                LABEL_WIDTH + width + 6,
                y + 19,
                item.value,
            )
        )
    description = ", ".join(f"{item.label}: {item.value}" for item in items)
    return format_html(
        '<svg class="diagram" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-titel {id}-beskrivning" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-titel">{title}</title>'
        '<desc id="{id}-beskrivning">{desc}</desc>{bars}</svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        bars=format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="end" class="diagram__etikett">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="20" fill="{}"/>'
            '<text x="{}" y="{}" class="diagram__varde">{}</text>',
            bars,
        ),
    )
