"""Committee reports: a period's state of the programme (or of one area), as an HTML page
and as an accessible PDF (WeasyPrint, PDF/UA-1).

The report's content is a plain dict built here (`report_data`). An open period's report
is built from the live rows; a closed period's comes from the snapshot taken when it was
closed (`Periodbild`, written by services/reports.py), so it reads the same every time.
That holds for the areas' indicators (nyckeltal) too: their values, status and table are
data in the snapshot, and a later fetch of values never changes a closed report. Both
render through the same templates.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import F, FilteredRelation, Prefetch, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import slugify

from malomraden.models import Malomrade, Omradesansvarig, Program

from . import charts, formatting, indicators
from .dashboard import latest_report_ids
from .models import (
    Bedomning,
    Indikator,
    Kedjerad,
    LangsiktigEffekt,
    Periodbild,
    Rapportperiod,
    Status,
    group_by_effects,
)

REPORT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "rapport.css"


def _states(period: Rapportperiod | None, rows: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Each row's latest report in the period: status, assessment, comment."""
    if period is None:
        return {}
    found = (
        Kedjerad.objects.filter(pk__in=list(rows))
        .annotate(
            p=FilteredRelation(
                "rapporter", condition=Q(rapporter__id__in=Subquery(latest_report_ids(period)))
            )
        )
        .filter(p__isnull=False)
        .values(
            "pk", status=F("p__status"), bedomning=F("p__bedomning"), kommentar=F("p__kommentar")
        )
    )
    return {line["pk"]: dict(line) for line in found}


def previous_period(period: Rapportperiod) -> Rapportperiod | None:
    return (
        Rapportperiod.objects.filter(slut__lt=period.slut)
        .exclude(pk=period.pk)
        .order_by("-slut", "-start")
        .first()
    )


def build_report(period: Rapportperiod, area: Malomrade | None = None) -> dict[str, Any]:
    """The report of `period` built from the live data, for one area or all."""
    program = Program.objects.prefetch_related("principer", "teman").first()
    areas = list(Malomrade.objects.filter(pk=area.pk) if area else Malomrade.objects.all())
    rows = list(
        Kedjerad.objects.filter(malomrade__in=areas)
        .for_display()
        .order_by("malomrade", "ordning", "id")
    )
    states = _states(period, (r.pk for r in rows))
    prev = previous_period(period)
    prev_states = _states(prev, (r.pk for r in rows)) if prev else {}
    prev_snapshot_rows = _snapshot_row_ids(prev) if prev else None
    responsible: dict[int, list[str]] = {}
    for link in Omradesansvarig.objects.filter(malomrade__in=areas).select_related("person"):
        responsible.setdefault(link.malomrade_id, []).append(link.person.namn)
    effects: dict[int, list[str]] = {}
    for effect in LangsiktigEffekt.objects.filter(malomrade__in=areas).order_by("ordning", "id"):
        effects.setdefault(effect.malomrade_id, []).append(effect.text)

    nyckeltal = _indicators(areas)

    area_data = []
    for a in areas:
        a_rows = [r for r in rows if r.malomrade_id == a.pk]
        groups = []
        for group in group_by_effects(a_rows):
            groups.append(
                {
                    "effekter": [e.text for e in group.effekter],
                    "rader": [_row_data(r, states.get(r.pk)) for r in group.rader],
                }
            )
        changed = []
        for r in a_rows:
            now, before = states.get(r.pk), prev_states.get(r.pk)
            now_key = (now or {}).get("status"), (now or {}).get("bedomning")
            before_key = (before or {}).get("status"), (before or {}).get("bedomning")
            if prev and now_key != before_key:
                changed.append(
                    {
                        "aktivitet": r.aktivitet,
                        "fore": _state_text(before),
                        "efter": _state_text(now),
                    }
                )
        changes: dict[str, Any] = {"status": changed, "jamforbar": prev_snapshot_rows is not None}
        if prev_snapshot_rows is not None:
            prev_area = prev_snapshot_rows.get(a.slug, {})
            changes["nya"] = [r.aktivitet for r in a_rows if r.pk not in prev_area]
            changes["borttagna"] = [
                text for pk, text in prev_area.items() if pk not in {r.pk for r in a_rows}
            ]
        area_data.append(
            {
                "namn": a.namn,
                "slug": a.slug,
                "kortnamn": a.kortnamn,
                "rubrik": a.rubrik,
                "typ": a.get_typ_display(),
                "ansvariga": responsible.get(a.pk, []),
                "effekter": effects.get(a.pk, []),
                "grupper": groups,
                "ej_rapporterade": [r.aktivitet for r in a_rows if r.pk not in states],
                "andringar": changes,
                "antal": _counts(a_rows, states),
                "nyckeltal": nyckeltal.get(a.pk, []),
            }
        )
    return {
        "program": {
            "namn": program.namn if program else "",
            "kommun": program.kommun if program else "Borås Stad",
            "vision": program.vision if program else "",
            "teman": [f"{t.fran} → {t.till}" for t in program.teman.all()] if program else [],
            "principer": [p.text for p in program.principer.all()] if program else [],
        },
        "period": {
            "id": period.pk,
            "namn": period.namn,
            "start": period.start.isoformat(),
            "slut": period.slut.isoformat(),
            "stangd": period.stangd,
        },
        "foregaende": prev.namn if prev else "",
        "omraden": area_data,
        "antal": _counts(rows, states),
    }


def _indicators(areas: list[Malomrade]) -> dict[int, list[dict[str, Any]]]:
    """Each area's indicators as the report shows them (status, values, the chart's series
    and the table), in plain data so that a closed period's snapshot keeps them: a later
    fetch of values never changes a closed report. Three queries for every area."""
    chosen = (
        Indikator.objects.filter(malomrade__in=areas)
        .prefetch_related(
            Prefetch("effekter", queryset=LangsiktigEffekt.objects.order_by("ordning", "id"))
        )
        .order_by("ordning", "id")
    )
    result: dict[int, list[dict[str, Any]]] = {}
    for state in indicators.lagen(chosen):
        result.setdefault(state.indikator.malomrade_id, []).append(_indicator_data(state))
    return result


def _point(point: indicators.Punkt | None) -> list[Any] | None:
    return None if point is None else [point.ar, str(point.varde), point.period]


def _indicator_data(state: indicators.Lage) -> dict[str, Any]:
    ind = state.indikator
    unit = formatting.INDICATOR_UNITS.get(ind.enhet, "")
    return {
        "id": ind.pk,
        "namn": ind.namn,
        "effekter": [e.text for e in ind.effekter.all()],
        "riktning": ind.get_riktning_display(),
        "kalla": state.kalla_text,
        "kolada_kpi": ind.kolada_kpi if state.kolada else "",
        "axel": f"Värde ({unit})" if unit else "Värde",
        "status": str(state.status),
        "status_text": state.status_text,
        "skal": state.skal,
        "senaste": state.senaste_text if state.senaste else "",
        "senaste_ar": state.senaste.etikett if state.senaste else "",
        "forandring": state.forandring_text if state.forandring is not None else "",
        "riktning_ord": state.riktning_text,
        "framsteg": state.framsteg_text,
        "baslinje_text": state.baslinje_text if state.baslinje else "",
        "baslinje_kommentar": ind.baslinje_kommentar,
        "mal_text": state.mal_text if state.mal else "",
        "baslinje": _point(state.baslinje),
        "mal": _point(state.mal),
        "serier": [
            # Own series, then comparisons (country, group), as table_rows has them;
            # "kon" is the chart's style key (a gender or a comparison's place).
            {"kon": s.stil, "namn": s.namn, "punkter": [_point(p) for p in s.punkter]}
            for s in state.alla_serier
        ],
        "diagram_beskrivning": indicators.chart_description(state),
        "tabell": [
            {"ar": r.ar, "varden": list(r.varden), "forvantat": r.forvantat}
            for r in indicators.table_rows(state)
        ],
    }


def _indicator_chart(item: dict[str, Any], chart_id: str) -> SafeString:
    """The line chart of an indicator as the report's data holds it."""

    def point(p: list[Any] | None) -> indicators.Punkt | None:
        return None if p is None else indicators.Punkt(ar=p[0], varde=Decimal(p[1]), period=p[2])

    lines = [
        charts.Linje(
            namn=s["namn"], stil=s["kon"], punkter=[p for p in map(point, s["punkter"]) if p]
        )
        for s in item["serier"]
    ]
    if not any(line.punkter for line in lines):
        return SafeString("")
    return charts.line_chart(
        chart_id=chart_id,
        title=item["namn"],
        description=item["diagram_beskrivning"],
        lines=lines,
        unit=item["axel"],
        baseline=point(item["baslinje"]),
        target=point(item["mal"]),
    )


def _with_charts(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the report's data with each indicator's chart drawn (the data itself,
    perhaps a snapshot, is left as it is)."""
    return {
        **data,
        "omraden": [
            {
                **a,
                "nyckeltal": [
                    {
                        **i,
                        "diagram": _indicator_chart(i, f"rapport-nyckeltal-{a['slug']}-{i['id']}"),
                    }
                    for i in a.get("nyckeltal", [])
                ],
                # A report frozen before indicators were in it says nothing about them.
                "har_nyckeltal": "nyckeltal" in a,
            }
            for a in data["omraden"]
        ],
    }


def _snapshot_row_ids(period: Rapportperiod) -> dict[str, dict[int, str]] | None:
    """Row ids and activities per area in a closed period's snapshot, or None."""
    snapshot = Periodbild.objects.filter(period=period).first()
    if snapshot is None:
        return None
    return {
        a["slug"]: {r["id"]: r["aktivitet"] for g in a["grupper"] for r in g["rader"]}
        for a in snapshot.data["omraden"]
    }


def _state_text(state: dict[str, Any] | None) -> str:
    state = state or {}
    return formatting.state_text(state.get("status"), state.get("bedomning"))


def _row_data(row: Kedjerad, state: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kortsiktig_effekt": row.kortsiktig_effekt,
        "prestation": row.prestation,
        "aktivitet": row.aktivitet,
        "ansvar": formatting.row_responsibility(row),
        "tid": formatting.time_text(row),
        "resurser": formatting.resources_text(row),
        "status": formatting.status_label(state["status"]) if state else "",
        "bedomning": state["bedomning"] if state else "",
        "bedomning_text": formatting.assessment_label(state["bedomning"]) if state else "",
        "kommentar": state["kommentar"] if state else "",
    }


def _counts(rows: list[Kedjerad], states: dict[int, dict[str, Any]]) -> dict[str, list[list[Any]]]:
    by_status = {key: 0 for key in [*Status.values, "ingen"]}
    by_assessment = {key: 0 for key in [*Bedomning.values, "ingen"]}
    for r in rows:
        state = states.get(r.pk)
        by_status[state["status"] if state else "ingen"] += 1
        by_assessment[state["bedomning"] if state else "ingen"] += 1
    labels = {
        **formatting.STATUS_LABELS,
        **formatting.ASSESSMENT_LABELS,
        "ingen": formatting.NO_REPORT,
    }
    return {
        "status": [[k, str(labels[k]), n] for k, n in by_status.items()],
        "bedomning": [[k, str(labels[k]), n] for k, n in by_assessment.items()],
    }


def report_data(period: Rapportperiod, area: Malomrade | None = None) -> dict[str, Any]:
    """The report: the closed period's snapshot, or built live for an open period."""
    snapshot = Periodbild.objects.filter(period=period).first() if period.stangd else None
    if snapshot is None:
        data = build_report(period, area)
        data["fastst"] = None
        return data
    data = dict(snapshot.data)
    data["fastst"] = snapshot.skapad.isoformat()
    if area is not None:
        data["omraden"] = [a for a in data["omraden"] if a["slug"] == area.slug]
        data["antal"] = data["omraden"][0]["antal"] if data["omraden"] else data["antal"]
    return data


def row_count(data: dict[str, Any]) -> int:
    return sum(len(g["rader"]) for a in data["omraden"] for g in a["grupper"])


# --- output -------------------------------------------------------------------------------


def filename(period: Rapportperiod, area: Malomrade | None) -> str:
    """effektkedjor-forutsattningar-for-arbete-delar-2026.pdf"""
    scope = area.slug if area else "hela-programmet"
    return f"effektkedjor-{scope}-{slugify(period.namn)}.pdf"


def render_html(data: dict[str, Any], *, for_pdf: bool, hela: bool = True) -> str:
    counts = data["antal"]
    context = {
        "r": _with_charts(data),
        "hela": hela,
        "for_pdf": for_pdf,
        "utskriven": timezone.localtime(),
        "fastst": datetime.datetime.fromisoformat(data["fastst"]) if data.get("fastst") else None,
        "diagram_status": charts.bar_chart(
            chart_id="rapport-status",
            title="Rader per status",
            items=[charts.Count_(k, label, n, "") for k, label, n in counts["status"]],
            kind="status",
        ),
        "diagram_bedomning": charts.bar_chart(
            chart_id="rapport-bedomning",
            title="Rader per bedömning",
            items=[charts.Count_(k, label, n, "") for k, label, n in counts["bedomning"]],
            kind="bedomning",
        ),
    }
    return render_to_string(
        "effektkedjor/rapport_pdf.html" if for_pdf else "effektkedjor/_rapport.html", context
    )


def render_pdf(data: dict[str, Any], *, hela: bool = True) -> tuple[bytes, int]:
    """The PDF (tagged PDF/UA-1, A4, fonts embedded) and its number of pages."""
    import weasyprint  # imported here: loading Pango costs time every process would pay

    html = render_html(data, for_pdf=True, hela=hela)
    document = weasyprint.HTML(string=html, base_url=str(REPORT_CSS.parent)).render(
        stylesheets=[weasyprint.CSS(filename=str(REPORT_CSS))]
    )
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf, len(document.pages)
