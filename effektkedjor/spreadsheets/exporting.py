"""Spreadsheet export of effect chains, status reports (django-import-export) and
indicator values (`indicator_dataset`).

Columns carry the seed's headings (Långsiktiga effekter … Resurser) plus what the seed
lacks: identifiers for a round trip, the collaboration level, and the status, assessment
and comment for a chosen period. Every cell that a spreadsheet would run as a formula is
neutralised, in a way the import undoes (reading.unquote), so that an exported chain
imports again with zero changes. An area's long-term effects that no row serves get a
line of their own (the effect, nothing else), which the import reads as that effect.

The xlsx is written here with openpyxl (not tablib's writer): a sheet named after the
area, wrapped text in bounded column widths, the heading row frozen and filtered, IDs and
amounts as numbers.
"""

import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import tablib
from django.utils import timezone
from import_export import resources
from import_export.fields import Field
from import_export.widgets import IntegerWidget

from malomraden.models import Malomrade

from .. import formatting
from ..models import (
    Indikator,
    Indikatorvarde,
    Kedjerad,
    Lagesrapport,
    LangsiktigEffekt,
    Rapportperiod,
)
from .reading import FORMULA_STARTS as FORMULA_STARTS  # the security tests read it here
from .reading import QUOTED_STARTS

# Excel keeps integers exactly up to 15 digits; a larger amount is written as text.
LARGEST_NUMBER = 10**15 - 1
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters an XML file cannot hold, and "_x" (OOXML's own escape); see _ooxml_text.
# A carriage return too: XML reads a bare one as a line feed.
OOXML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
COLUMN_WIDTH = {"ID": 8, "Rad-ID": 8, "Belopp (kr)": 14, "Datum": 12, "År": 8, "Kön": 10}
MIN_WIDTH, MAX_WIDTH = 10, 50


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would treat as a formula with an apostrophe, which
    Excel and LibreOffice show as plain text (OWASP's advice against CSV injection).
    Text that starts with an apostrophe gets one too, so the import can take exactly one
    off again."""
    if isinstance(value, str) and value.startswith(QUOTED_STARTS):
        return "'" + value
    return value


class SafeExportResource(resources.ModelResource):
    def export_resource(
        self, instance: Any, selected_fields: Any = None, **kwargs: Any
    ) -> list[Any]:
        return [neutralise(v) for v in super().export_resource(instance, selected_fields, **kwargs)]


class KedjeradResource(SafeExportResource):
    """One line per chain row. Rows come annotated with their state in the period
    (`dashboard.listed_rows`): p_status, p_bedomning, p_kommentar."""

    id = Field(attribute="id", column_name="ID", widget=IntegerWidget(coerce_to_string=False))
    omrade = Field(column_name="Målområde")
    langsiktiga = Field(column_name="Långsiktiga effekter")
    kortsiktig_effekt = Field(attribute="kortsiktig_effekt", column_name="Kortsiktiga effekter")
    prestation = Field(attribute="prestation", column_name="Prestation")
    aktivitet = Field(attribute="aktivitet", column_name="Aktivitet")
    ansvar = Field(column_name="Ansvar")
    tid = Field(column_name="Tid")
    resurser = Field(attribute="resurser", column_name="Resurser")
    belopp = Field(column_name="Belopp (kr)")
    samverkansniva = Field(column_name="Samverkansnivå")
    status = Field(column_name="Status")
    bedomning = Field(column_name="Bedömning")
    kommentar = Field(column_name="Kommentar")

    class Meta:
        model = Kedjerad
        fields = (
            "id", "omrade", "langsiktiga", "kortsiktig_effekt", "prestation", "aktivitet",
            "ansvar", "tid", "resurser", "belopp", "samverkansniva", "status", "bedomning",
            "kommentar",
        )  # fmt: skip
        export_order = fields

    def __init__(self, period: Rapportperiod | None = None) -> None:
        super().__init__()
        self.period = period
        if period is not None:
            for name in ("status", "bedomning", "kommentar"):
                self.fields[name].column_name += f" ({period.namn})"

    def dehydrate_omrade(self, row: Kedjerad) -> str:
        return row.malomrade.namn

    def dehydrate_langsiktiga(self, row: Kedjerad) -> str:
        # Written out even for the area as a whole: a blank cell would, on import, take
        # the effect of the line above (the seed's "written once" layout).
        return formatting.effects_text(e.text for e in row.langsiktiga_effekter.all())

    def dehydrate_ansvar(self, row: Kedjerad) -> str:
        return formatting.row_responsibility(row)

    def dehydrate_tid(self, row: Kedjerad) -> str:
        return formatting.time_text(row)

    def dehydrate_belopp(self, row: Kedjerad) -> int | str | None:
        amount = row.resurser_belopp
        return amount if amount is None or amount <= LARGEST_NUMBER else str(amount)

    def dehydrate_samverkansniva(self, row: Kedjerad) -> str:
        return formatting.level_label(row.samverkansniva)

    def dehydrate_status(self, row: Any) -> str:
        return formatting.status_label(getattr(row, "p_status", None))

    def dehydrate_bedomning(self, row: Any) -> str:
        return formatting.assessment_label(getattr(row, "p_bedomning", None))

    def dehydrate_kommentar(self, row: Any) -> str:
        return getattr(row, "p_kommentar", None) or ""


class LagesrapportResource(SafeExportResource):
    id = Field(attribute="id", column_name="ID", widget=IntegerWidget(coerce_to_string=False))
    rad = Field(
        attribute="rad_id", column_name="Rad-ID", widget=IntegerWidget(coerce_to_string=False)
    )
    omrade = Field(attribute="rad__malomrade__namn", column_name="Målområde")
    aktivitet = Field(attribute="rad__aktivitet", column_name="Aktivitet")
    period = Field(attribute="period__namn", column_name="Period")
    datum = Field(column_name="Datum")
    status = Field(column_name="Status")
    bedomning = Field(column_name="Bedömning")
    kommentar = Field(attribute="kommentar", column_name="Kommentar")
    forfattare = Field(column_name="Författare")

    class Meta:
        model = Lagesrapport
        fields = (
            "id", "rad", "omrade", "aktivitet", "period", "datum", "status", "bedomning",
            "kommentar", "forfattare",
        )  # fmt: skip
        export_order = fields

    def dehydrate_datum(self, report: Lagesrapport) -> str:
        return report.datum.isoformat()

    def dehydrate_status(self, report: Lagesrapport) -> str:
        return report.get_status_display()

    def dehydrate_bedomning(self, report: Lagesrapport) -> str:
        return report.get_bedomning_display()

    def dehydrate_forfattare(self, report: Lagesrapport) -> str:
        return report.forfattare_namn


def chain_dataset(
    rows: Iterable[Kedjerad],
    period: Rapportperiod | None,
    *,
    areas: Iterable[Malomrade] = (),
    title: str,
) -> tablib.Dataset:
    """The chain rows, one line each, and for each of `areas` (in the rows' order of
    areas) a line per long-term effect that no row serves, after that area's rows."""
    rows = list(rows)
    dataset = KedjeradResource(period).export(rows)
    dataset.title = title
    areas = list(areas)
    if not areas:
        return dataset
    headers = list(dataset.headers or [])
    by_area: dict[int, list[Any]] = {}
    for row, line in zip(rows, dataset, strict=True):
        by_area.setdefault(row.malomrade_id, []).append(line)
    empty: dict[int, list[LangsiktigEffekt]] = {}
    for effect in LangsiktigEffekt.objects.filter(malomrade__in=areas, rader__isnull=True).order_by(
        "ordning", "id"
    ):
        empty.setdefault(effect.malomrade_id, []).append(effect)
    lines: list[Any] = []
    for area in areas:
        lines += by_area.pop(area.pk, [])
        for effect in empty.get(area.pk, []):
            line = ["" for _ in headers]
            line[headers.index("Målområde")] = neutralise(area.namn)
            line[headers.index("Långsiktiga effekter")] = neutralise(effect.text)
            lines.append(tuple(line))
    for rest in by_area.values():
        lines += rest
    return tablib.Dataset(*lines, headers=headers, title=title)


def sheet_name(text: str) -> str:
    """An Excel sheet name: at most 31 characters, none of [ ] : * ? / \\."""
    name = " ".join(SHEET_NAME_FORBIDDEN.sub(" ", text).split()).strip("'")
    return name[:31].rstrip() or "Effektkedja"


def _ooxml_text(value: str) -> str:
    """Write characters XML cannot hold as _xHHHH_, as Excel does (reading.cell_text
    reads them back)."""
    return OOXML_UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)


def xlsx(dataset: tablib.Dataset) -> bytes:
    """The dataset as an xlsx workbook of one sheet named after its title."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name(dataset.title or "")
    headers = list(dataset.headers or [])
    sheet.append(headers)
    for line in dataset:
        sheet.append([_ooxml_text(v) if isinstance(v, str) else v for v in line])
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = wrap
    for index, heading in enumerate(headers, start=1):
        letter = get_column_letter(index)
        values = [str(heading)] + [
            str(v) for v in dataset.get_col(index - 1) if v not in (None, "")
        ]
        longest = max(len(part) for value in values for part in value.split("\n"))
        sheet.column_dimensions[letter].width = COLUMN_WIDTH.get(
            str(heading), min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))
        )
        for cell in sheet[letter][1:]:
            cell.alignment = wrap
            if heading == "Belopp (kr)" and isinstance(cell.value, int):
                cell.number_format = "#,##0"
    sheet.freeze_panes = "A2"
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(dataset) + 1)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- indicator values ---------------------------------------------------------------------

INDICATOR_HEADINGS = [
    "Målområde",
    "Nyckeltal",
    "Långsiktiga effekter",
    "Enhet",
    "Riktning",
    "År",
    "Period",
    "Kön",
    "Värde",
    "Källa",
    "Kolada-KPI",
    "Kommun (Kolada-id)",
    "Hämtad eller inmatad",
    "Utgångsläge, år",
    "Utgångsläge",
    "Mål, år",
    "Mål",
]
GENDERS = {"T": "Totalt", "K": "Kvinnor", "M": "Män"}


def _export_number(value: Decimal | None) -> int | Decimal | None:
    """84.10 → 84.1, 190.00 → 190: a number the sheet shows as written, no exponent."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def indicator_source(indicator: Indikator, value: Indikatorvarde | None) -> str:
    """Where a value comes from: "Kolada" for Kolada's figures (its terms ask for the
    citation), otherwise the indicator's own source text (such as the demo's "Exempeldata
    – inte Borås verkliga siffror"), or Borås Stad's own statistics."""
    kalla = value.kalla if value is not None else indicator.kalla
    if kalla == Indikator.Kalla.KOLADA:
        return "Kolada"
    return indicator.kalla_text or "Borås Stad"


def indicator_dataset(indikatorer: Iterable[Indikator], *, title: str) -> tablib.Dataset:
    """One line per value (year or period, and gender) of each indicator, in the order
    given; an indicator without values gets one line without year or value, so the file
    lists every indicator. Indicators come with `malomrade`, `effekter` and `varden`
    loaded (views/spreadsheets.export_nyckeltal)."""
    lines = []
    for ind in indikatorer:
        common = {
            "Målområde": ind.malomrade.namn,
            "Nyckeltal": ind.namn,
            "Långsiktiga effekter": formatting.effects_text(e.text for e in ind.effekter.all()),
            "Enhet": ind.get_enhet_display(),
            "Riktning": ind.get_riktning_display(),
            "Kolada-KPI": ind.kolada_kpi,
            "Kommun (Kolada-id)": ind.kommun if ind.kalla == Indikator.Kalla.KOLADA else "",
            "Utgångsläge, år": ind.baslinje_ar,
            "Utgångsläge": _export_number(ind.baslinje_varde),
            "Mål, år": ind.mal_ar,
            "Mål": _export_number(ind.mal_varde),
        }
        values: list[Indikatorvarde | None] = list(ind.varden.all()) or [None]
        for value in values:
            line: dict[str, Any] = {
                **common,
                "År": value.ar if value else None,
                "Period": value.period if value else "",
                "Kön": GENDERS.get(value.kon, value.kon) if value else "",
                "Värde": _export_number(value.varde) if value else None,
                "Källa": indicator_source(ind, value),
                "Hämtad eller inmatad": (
                    timezone.localtime(value.hamtad).strftime("%Y-%m-%d %H:%M") if value else ""
                ),
            }
            lines.append(tuple(neutralise(line[h]) for h in INDICATOR_HEADINGS))
    return tablib.Dataset(*lines, headers=INDICATOR_HEADINGS, title=title)
