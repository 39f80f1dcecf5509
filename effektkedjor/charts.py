"""Bar charts, line charts and sparklines drawn on the server as SVG, so the same chart
serves the page and the PDF.

Every bar carries its label and number as text (never colour alone); the chart has a
title and a description for screen readers, and the page shows the same numbers in a
table beside it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .dashboard import Count_
from .formatting import number
from .indicators import Punkt

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


# Line charts of indicators (nyckeltal). Each series differs by dash pattern and marker
# as well as colour, and the legend names it in text; the page has a table beside.
LINE_STYLES = {
    "T": ("#00457c", "", "circle"),
    "K": ("#8a1c5c", "6 3", "square"),
    "M": ("#1a6b3c", "2 3", "diamond"),
    "0000": ("#6b4e00", "9 4", ""),  # the whole country: no markers
    "grupp": ("#4b3b8f", "3 2 9 2", ""),  # similar municipalities: no markers
}
COMPARISON_STYLE = ("#6b4e00", "9 4", "circle")
TARGET_COLOUR = "#a4000f"
BASELINE_COLOUR = "#5a6270"
CHART_W, CHART_H = 480, 300
LEFT, RIGHT, TOP, BOTTOM = 58, 16, 16, 90
LEGEND_COLUMNS, LEGEND_WIDTH = 2, 200
LEGEND_SHORT = 22  # characters that fit in one of the legend's columns


@dataclass(frozen=True)
class Linje:
    """One series of a line chart: its name, style key and points."""

    namn: str
    stil: str
    punkter: Sequence[Punkt]


def _nice_range(low: float, high: float) -> tuple[float, float, float]:
    """Axis bounds and step: about five round steps covering low..high."""
    if low == high:
        low, high = low - 1, high + 1
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def sparkline(points: Sequence[Punkt], *, label: str) -> SafeString:
    """A small trend line (100×24) with a text alternative naming the first and last values."""
    if len(points) < 2:
        return SafeString("")
    values = [float(p.varde) for p in points]
    low, high = min(values), max(values)
    span = (high - low) or 1
    coords = " ".join(
        f"{2 + 96 * i / (len(points) - 1):.1f},{22 - 20 * (v - low) / span:.1f}"
        for i, v in enumerate(values)
    )
    last_x, last_y = coords.rsplit(" ", 1)[-1].split(",")
    return format_html(
        '<svg class="sparkline" width="100" height="24" viewBox="0 0 100 24" role="img" '
        'aria-label="{}" xmlns="http://www.w3.org/2000/svg">'
        '<polyline points="{}" fill="none" stroke="#00457c" stroke-width="2"/>'
        '<circle cx="{}" cy="{}" r="2.5" fill="#00457c"/></svg>',
        label,
        coords,
        last_x,
        last_y,
    )


def _marker(kind: str, x: float, y: float, colour: str) -> SafeString:
    if kind == "square":
        return format_html(
            '<rect x="{}" y="{}" width="7" height="7" fill="{}"/>',
            round(x - 3.5, 1),
            round(y - 3.5, 1),
            colour,
        )
    if kind == "diamond":
        return format_html(
            '<path d="M{} {}l4.5 4.5-4.5 4.5-4.5-4.5z" fill="{}"/>', x, round(y - 4.5, 1), colour
        )
    return format_html('<circle cx="{}" cy="{}" r="3.5" fill="{}"/>', x, y, colour)


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    lines: Sequence[Linje],
    unit: str,
    baseline: Punkt | None = None,
    target: Punkt | None = None,
) -> SafeString:
    """A line chart of yearly values: axes with year and value labels as text, a line per
    series, the baseline as a dotted level and the target as a dashed line to its year."""
    points = [p for line in lines for p in line.punkter]
    years = [p.ar for p in points] + [p.ar for p in (baseline, target) if p is not None]
    values = [float(p.varde) for p in points] + [
        float(p.varde) for p in (baseline, target) if p is not None
    ]
    if not years:
        return SafeString("")
    first, last = min(years), max(years)
    if first == last:
        first, last = first - 1, last + 1
    low, high, step = _nice_range(min(values), max(values))
    plot_w, plot_h = CHART_W - LEFT - RIGHT, CHART_H - TOP - BOTTOM

    def x(year: int) -> float:
        return round(LEFT + plot_w * (year - first) / (last - first), 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - (value - low) / (high - low)), 1)

    parts: list[SafeString] = []
    tick = low
    while tick <= high + step / 2:
        parts.append(
            format_html(
                '<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="#d5d9de"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end" class="diagram__axel">{t}</text>',
                l=LEFT,
                r=CHART_W - RIGHT,
                y=y(tick),
                tx=LEFT - 6,
                ty=round(y(tick) + 4, 1),
                t=number(tick),
            )
        )
        tick += step
    year_step = max(1, math.ceil((last - first) / 6))
    for year in range(first, last + 1, year_step):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" class="diagram__axel">{}</text>',
                x(year),
                TOP + plot_h + 18,
                year,
            )
        )
    parts.append(
        format_html(
            '<line x1="{l}" x2="{l}" y1="{t}" y2="{b}" stroke="#333"/>'
            '<line x1="{l}" x2="{r}" y1="{b}" y2="{b}" stroke="#333"/>'
            '<text x="{cx}" y="{ay}" text-anchor="middle" class="diagram__axel">År</text>'
            '<text x="14" y="{cy}" text-anchor="middle" class="diagram__axel" '
            'transform="rotate(-90 14 {cy})">{unit}</text>',
            l=LEFT,
            r=CHART_W - RIGHT,
            t=TOP,
            b=TOP + plot_h,
            cx=LEFT + plot_w / 2,
            ay=TOP + plot_h + 36,
            cy=TOP + plot_h / 2,
            unit=unit,
        )
    )
    legend: list[tuple[str, str, str, str]] = []
    if baseline is not None:
        parts.append(
            format_html(
                '<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="{c}" '
                'stroke-dasharray="1 3" stroke-width="2"/>',
                l=LEFT,
                r=CHART_W - RIGHT,
                y=y(float(baseline.varde)),
                c=BASELINE_COLOUR,
            )
        )
        legend.append((f"Utgångsläge {baseline.ar}", BASELINE_COLOUR, "1 3", ""))
    if target is not None:
        start = baseline or target
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                'stroke-dasharray="8 4" stroke-width="2"/>',
                x(start.ar),
                x(target.ar),
                y(float(start.varde)),
                y(float(target.varde)),
                TARGET_COLOUR,
            )
        )
        parts.append(_marker("diamond", x(target.ar), y(float(target.varde)), TARGET_COLOUR))
        legend.append((f"Mål {target.ar}", TARGET_COLOUR, "8 4", "diamond"))
    for line in lines:
        colour, dash, marker = LINE_STYLES.get(line.stil, COMPARISON_STYLE)
        if len(line.punkter) > 1:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"{}/>',
                    " ".join(f"{x(p.ar)},{y(float(p.varde))}" for p in line.punkter),
                    colour,
                    format_html(' stroke-dasharray="{}"', dash) if dash else "",
                )
            )
        if len(line.punkter) == 1 or marker:
            for p in line.punkter:
                parts.append(_marker(marker, x(p.ar), y(float(p.varde)), colour))
        legend.append((line.namn, colour, dash, marker))
    column = row = 0
    for name, colour, dash, marker in legend:
        wide = len(name) > LEGEND_SHORT  # a long name (a group's title) gets a row of its own
        if wide and column:
            column, row = 0, row + 1
        lx = LEFT + column * LEGEND_WIDTH
        ly = TOP + plot_h + 58 + row * 18
        column += LEGEND_COLUMNS if wide else 1
        if column >= LEGEND_COLUMNS:
            column, row = 0, row + 1
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2.5"{}/>'
                '<text x="{}" y="{}" class="diagram__etikett">{}</text>',
                lx,
                lx + 26,
                ly - 4,
                ly - 4,
                colour,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
                lx + 32,
                ly,
                name,
            )
        )
        if marker:
            parts.append(_marker(marker, lx + 13, ly - 4, colour))
    rows = row + (1 if column else 0)
    height = CHART_H + max(0, rows - 2) * 18
    return format_html(
        '<svg class="diagram diagram--linje" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-titel {id}-beskrivning" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-titel">{title}</title>'
        '<desc id="{id}-beskrivning">{desc}</desc>{parts}</svg>',
        w=CHART_W,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        parts=format_html_join("", "{}", ((p,) for p in parts)),
    )
