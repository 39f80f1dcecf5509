"""Spreadsheet export of effect chains and status reports (django-import-export).

Columns carry the seed's headings (Långsiktiga effekter … Resurser) plus what the seed
lacks: identifiers for a round trip, the collaboration level, and the status, assessment
and comment for a chosen period. Every cell that a spreadsheet would run as a formula is
neutralised.
"""

from typing import Any

from import_export import resources
from import_export.fields import Field

from .. import formatting
from ..models import Kedjerad, Lagesrapport, Rapportperiod

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would treat as a formula with an apostrophe, which
    Excel and LibreOffice show as plain text (OWASP's advice against CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
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

    id = Field(attribute="id", column_name="ID")
    omrade = Field(column_name="Målområde")
    langsiktiga = Field(column_name="Långsiktiga effekter")
    kortsiktig_effekt = Field(attribute="kortsiktig_effekt", column_name="Kortsiktiga effekter")
    prestation = Field(attribute="prestation", column_name="Prestation")
    aktivitet = Field(attribute="aktivitet", column_name="Aktivitet")
    ansvar = Field(column_name="Ansvar")
    tid = Field(column_name="Tid")
    resurser = Field(column_name="Resurser")
    samverkansniva = Field(column_name="Samverkansnivå")
    status = Field(column_name="Status")
    bedomning = Field(column_name="Bedömning")
    kommentar = Field(column_name="Kommentar")

    class Meta:
        model = Kedjerad
        fields = (
            "id", "omrade", "langsiktiga", "kortsiktig_effekt", "prestation", "aktivitet",
            "ansvar", "tid", "resurser", "samverkansniva", "status", "bedomning", "kommentar",
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

    def dehydrate_resurser(self, row: Kedjerad) -> str:
        return formatting.resources_text(row)

    def dehydrate_samverkansniva(self, row: Kedjerad) -> str:
        return formatting.level_label(row.samverkansniva)

    def dehydrate_status(self, row: Any) -> str:
        return formatting.status_label(getattr(row, "p_status", None))

    def dehydrate_bedomning(self, row: Any) -> str:
        return formatting.assessment_label(getattr(row, "p_bedomning", None))

    def dehydrate_kommentar(self, row: Any) -> str:
        return getattr(row, "p_kommentar", None) or ""


class LagesrapportResource(SafeExportResource):
    id = Field(attribute="id", column_name="ID")
    rad = Field(attribute="rad_id", column_name="Rad-ID")
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
