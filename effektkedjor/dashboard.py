"""The programme's state for a reporting period: the numbers behind the dashboard.

A row's state in a period is its status report in that period, or, for a row finished
(Klar, Avbruten) in an earlier period, that earlier report (`latest_report_ids`); a row
with neither has "ingen rapport". Everything is counted in the database, in a fixed
number of queries whatever the size of the programme (tests/effektkedjor/test_dashboard.py
checks that). The indicators' status per area ("Rör sig effekterna?") is counted from
effektkedjor/indicators.py's reading of their latest values, in three queries.
"""

import datetime
import functools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.urls import reverse
from django.utils import timezone

from malomraden.models import Malomrade, Organisation

from . import formatting, indicators
from .forms import NONE, FilterForm
from .models import (
    FINISHED_STATUSES,
    Bedomning,
    Indikator,
    Kedjerad,
    Lagesrapport,
    Rapportperiod,
    Samverkansniva,
    Status,
)

LIST_LENGTH = 10  # rows shown in each list on the dashboard; the rest behind a link


def filter_form(params: Any) -> FilterForm:
    """The filter form bound to the query string, the current period by default."""
    data = params.copy()
    if not data.get("period"):
        default = Rapportperiod.current() or Rapportperiod.objects.first()
        if default is not None:
            data["period"] = str(default.pk)
    return FilterForm(data)


@dataclass
class Filters:
    period: Rapportperiod | None = None
    omrade: Malomrade | None = None
    organisation: Organisation | None = None
    status: str = ""
    bedomning: str = ""
    forsenad: bool = False
    samverkansniva: str = ""

    @classmethod
    def from_form(cls, form: FilterForm) -> "Filters":
        form.is_valid()
        data = {
            name: form.cleaned_data.get(name) for name in form.fields if name not in form.errors
        }
        period = data.get("period") or Rapportperiod.current() or Rapportperiod.objects.first()
        return cls(
            period=period,
            omrade=data.get("omrade"),
            organisation=data.get("organisation"),
            status=data.get("status") or "",
            bedomning=data.get("bedomning") or "",
            forsenad=bool(data.get("forsenad")),
            samverkansniva=data.get("samverkansniva") or "",
        )

    def params(self, **changes: Any) -> dict[str, str]:
        """The filters as query parameters, with `changes` applied (None drops one)."""
        values: dict[str, Any] = {
            "period": self.period.pk if self.period else None,
            "omrade": self.omrade.slug if self.omrade else None,
            "organisation": self.organisation.slug if self.organisation else None,
            "status": self.status or None,
            "bedomning": self.bedomning or None,
            "forsenad": "1" if self.forsenad else None,
            "samverkansniva": self.samverkansniva or None,
        }
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def query(self, **changes: Any) -> str:
        return urlencode(self.params(**changes))


def overdue_before(period: Rapportperiod | None) -> datetime.date:
    """A row is late when its end month is over: before this month, or before the
    month after the period ends when the period is over."""
    today = timezone.localdate()
    reference = min(today, period.slut) if period else today
    return reference.replace(day=1)


def latest_report_ids(period: Rapportperiod | None) -> QuerySet[Any]:
    """The id of the report that gives each row its state in the period: the row's
    report in the period (there is at most one), or, when it has none, its latest report
    of an earlier period (one that ended before this one) if that says Klar or Avbruten:
    a finished row stays finished ("Klar sedan Tertial 1") and is not asked for a report
    again.

    Computed once for all rows, so that rows can join their state instead of looking it
    up row by row. The earlier report is one index walk per row without a report in the
    period (lagesrapport_senaste), not a ranking of every earlier report: at the scale
    of the benchmark (70,000 reports) the ranking made the dashboard three times slower.
    """
    if period is None:
        return Lagesrapport.objects.filter(period__isnull=True).values("id")
    in_period = Lagesrapport.objects.filter(period=period)
    latest_earlier = (
        Kedjerad.objects.exclude(pk__in=Subquery(in_period.values("rad_id")))
        .annotate(
            senaste=Subquery(
                Lagesrapport.objects.filter(rad=OuterRef("pk"), period__slut__lt=period.slut)
                .order_by("-period__slut", "-period__start", "-datum", "-id")
                .values("id")[:1]
            )
        )
        .filter(senaste__isnull=False)
        .values("senaste")
    )
    return Lagesrapport.objects.filter(
        Q(period=period) | Q(status__in=FINISHED_STATUSES, id__in=Subquery(latest_earlier))
    ).values("id")


def rows_for(filters: Filters) -> QuerySet[Any]:
    """The rows the filters select, each with its state in the period (p_status,
    p_bedomning: None when the row has no report in the period)."""
    rows = Kedjerad.objects.annotate(
        p=FilteredRelation(
            "rapporter",
            condition=Q(rapporter__id__in=Subquery(latest_report_ids(filters.period))),
        ),
        p_status=F("p__status"),
        p_bedomning=F("p__bedomning"),
    )
    if filters.omrade:
        rows = rows.filter(malomrade=filters.omrade)
    if filters.organisation:
        rows = rows.filter(radansvar__organisation=filters.organisation)
    for name in ("status", "bedomning"):
        value = getattr(filters, name)
        if value == NONE:
            rows = rows.filter(**{f"p_{name}__isnull": True})
        elif value:
            rows = rows.filter(**{f"p_{name}": value})
    if filters.forsenad:
        rows = rows.filter(_overdue_q(filters.period))
    if filters.samverkansniva == NONE:
        rows = rows.filter(samverkansniva__isnull=True)
    elif filters.samverkansniva:
        rows = rows.filter(samverkansniva=filters.samverkansniva)
    return rows


def _overdue_q(period: Rapportperiod | None) -> Q:
    unfinished = [s for s in Status.values if s not in FINISHED_STATUSES]
    return Q(slut__lt=overdue_before(period)) & (
        Q(p_status__isnull=True) | Q(p_status__in=unfinished)
    )


def with_latest_report(rows: QuerySet[Any]) -> QuerySet[Any]:
    """Add the comment and date of the row's latest report in the period (for lists of
    rows from `rows_for`)."""
    return rows.annotate(
        p_kommentar=F("p__kommentar"),
        p_datum=F("p__datum"),
        # The period the state was reported in: an earlier one for a finished row.
        p_period_id=F("p__period_id"),
        p_period_namn=F("p__period__namn"),
    )


def listed_rows(filters: Filters) -> QuerySet[Any]:
    """The filtered rows as lists show them (the row list, the export): with their latest
    report in the period, area and ordered organisations, in the programme's order."""
    return (
        with_latest_report(rows_for(filters))
        .select_related("malomrade")
        .prefetch_related(
            Prefetch(
                "ansvariga_organisationer",
                queryset=Organisation.objects.order_by("radansvar__ordning", "kod"),
            )
        )
        .order_by("malomrade__ordning", "malomrade_id", "ordning", "id")
    )


@dataclass
class Count_:
    """One number on the dashboard, with the filters of the rows behind it."""

    key: str
    label: str
    value: int
    query: str

    @property
    def href(self) -> str:
        return f"{_rows_url()}?{self.query}"


@functools.cache
def _rows_url() -> str:
    # Hundreds of numbers link to the same view: reverse it once (the URLconf is fixed).
    return reverse("effektkedjor:instrumentpanel_rader")


@dataclass
class AreaLine:
    area: Malomrade
    total: int
    counts: list[Count_]


@dataclass
class Dashboard:
    filters: Filters
    total: int
    by_status: list[Count_]
    by_assessment: list[Count_]
    by_level: list[Count_]
    by_area: list[AreaLine]
    at_risk: list[Kedjerad]
    at_risk_total: int
    overdue: list[Kedjerad]
    overdue_total: int
    unreported_by_org: list[Count_]
    unreported_total: int
    latest_reports: list[Lagesrapport] = field(default_factory=list)
    indicators: list["IndicatorLine"] = field(default_factory=list)


def _tally(
    groups: dict[Any, int], choices: list[tuple[Any, str]], filters: Filters, param: str
) -> list[Count_]:
    result = [
        Count_(str(value), str(label), groups.get(value, 0), filters.query(**{param: value}))
        for value, label in choices
    ]
    none_label = formatting.LEVEL_NOT_GIVEN if param == "samverkansniva" else formatting.NO_REPORT
    result.append(Count_(NONE, none_label, groups.get(None, 0), filters.query(**{param: NONE})))
    return result


def build(filters: Filters) -> Dashboard:
    rows = rows_for(filters)

    # One grouped query gives every count: by status, assessment, collaboration level,
    # area × status, and late rows. The groups are few (areas × states), so they are
    # summed up here.
    by: dict[str, dict[Any, int]] = {"p_status": {}, "p_bedomning": {}, "samverkansniva": {}}
    matrix: dict[int, dict[Any, int]] = {}
    overdue_total = 0
    grouped = (
        rows.annotate(late=Case(When(_overdue_q(filters.period), then=True), default=False))
        .values("malomrade", "p_status", "p_bedomning", "samverkansniva", "late")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for g in grouped:
        for column, counts in by.items():
            counts[g[column]] = counts.get(g[column], 0) + g["n"]
        cells = matrix.setdefault(g["malomrade"], {})
        cells[g["p_status"]] = cells.get(g["p_status"], 0) + g["n"]
        overdue_total += g["n"] if g["late"] else 0

    by_status = _tally(by["p_status"], Status.choices, filters, "status")
    by_assessment = _tally(by["p_bedomning"], Bedomning.choices, filters, "bedomning")
    by_level = _tally(by["samverkansniva"], Samverkansniva.choices, filters, "samverkansniva")
    total = sum(c.value for c in by_status)

    by_area = []
    for area in Malomrade.objects.filter(pk__in=matrix.keys()).order_by("ordning", "id"):
        cells = matrix[area.pk]
        area_counts = [
            Count_(
                str(value),
                str(label),
                cells.get(value, 0),
                filters.query(omrade=area.slug, status=value),
            )
            for value, label in [*Status.choices, (NONE, formatting.NO_REPORT)]
        ]
        area_counts[-1].value = cells.get(None, 0)
        by_area.append(AreaLine(area, sum(cells.values()), area_counts))

    risky = Q(p_bedomning__in=[Bedomning.RISK, Bedomning.AVVIKELSE])
    at_risk = list(
        with_latest_report(rows.filter(risky))
        .select_related("malomrade")
        .order_by("-p_bedomning", "malomrade__ordning", "ordning", "id")[:LIST_LENGTH]
    )
    at_risk_total = sum(
        c.value for c in by_assessment if c.key in {Bedomning.RISK, Bedomning.AVVIKELSE}
    )
    overdue = list(
        with_latest_report(rows.filter(_overdue_q(filters.period)))
        .select_related("malomrade")
        .order_by("slut", "malomrade__ordning", "ordning", "id")[:LIST_LENGTH]
    )
    by_org = unreported_by_org(rows.filter(p_status__isnull=True), filters)
    unreported_total = by_status[-1].value
    reports = Lagesrapport.objects.filter(period=filters.period)
    if filters.status or filters.bedomning or filters.forsenad or filters.samverkansniva:
        reports = reports.filter(rad__in=rows.values("pk"))
    else:  # no need for each row's state: walk the index (period, -skapad)
        if filters.omrade:
            reports = reports.filter(rad__malomrade=filters.omrade)
        if filters.organisation:
            reports = reports.filter(rad__radansvar__organisation=filters.organisation)
    latest_reports = list(
        reports.select_related("rad__malomrade", "forfattare", "period").order_by("-skapad", "-id")[
            :LIST_LENGTH
        ]
    )
    return Dashboard(
        filters=filters,
        total=total,
        by_status=by_status,
        by_assessment=by_assessment,
        by_level=by_level,
        by_area=by_area,
        at_risk=at_risk,
        at_risk_total=at_risk_total,
        overdue=overdue,
        overdue_total=overdue_total,
        unreported_by_org=by_org,
        unreported_total=unreported_total,
        latest_reports=latest_reports,
        indicators=indicator_lines(filters.omrade),
    )


# --- "Rör sig effekterna?": the indicators' status per area -------------------------------


@dataclass(frozen=True)
class IndicatorCount:
    """How many of an area's indicators have a status, linked to the list of them."""

    key: str
    label: str
    value: int
    href: str


@dataclass(frozen=True)
class IndicatorLine:
    area: Malomrade | None  # None: the whole programme (the table's total)
    total: int
    counts: list[IndicatorCount]

    @property
    def href(self) -> str:
        return indicator_list_url(self.area)


def indicator_list_url(area: Malomrade | None = None, status: str = "") -> str:
    params = {"omrade": area.slug if area else "", "status": status}
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("effektkedjor:instrumentpanel_nyckeltal") + (f"?{query}" if query else "")


def indicator_lines(area: Malomrade | None = None) -> list[IndicatorLine]:
    """Per area (or the one area), how many indicators are on track, off track and without
    data (effektkedjor/indicators.py decides), and the programme's total last when there
    are several areas. The indicators' latest values, whatever the period: three queries
    (areas, indicators, their values) however many there are."""
    areas = list(Malomrade.objects.filter(pk=area.pk) if area else Malomrade.objects.all())
    areas.sort(key=lambda a: (a.ordning, a.pk))
    every = indicators.lagen(Indikator.objects.filter(malomrade__in=areas))
    by_area: dict[int, list[indicators.Lage]] = {}
    for item in every:
        by_area.setdefault(item.indikator.malomrade_id, []).append(item)

    def line(of: Malomrade | None, items: list[indicators.Lage]) -> IndicatorLine:
        counts = indicators.counts(items)
        return IndicatorLine(
            area=of,
            total=len(items),
            counts=[
                IndicatorCount(str(s), s.label, n, indicator_list_url(of, str(s)))
                for s, n in counts.items()
            ],
        )

    lines = [line(a, by_area.get(a.pk, [])) for a in areas]
    if len(areas) > 1:
        lines.append(line(None, every))
    return lines


def indicator_list(area: Malomrade | None, status: str) -> list[indicators.Lage]:
    """The indicators behind a number of "Rör sig effekterna?", in the programme's order."""
    chosen = Indikator.objects.select_related("malomrade").order_by(
        "malomrade__ordning", "malomrade_id", "ordning", "id"
    )
    if area is not None:
        chosen = chosen.filter(malomrade=area)
    return [item for item in indicators.lagen(chosen) if not status or item.status == status]


def unreported_by_org(unreported: QuerySet[Any], filters: Filters) -> list[Count_]:
    """Who has not reported: unreported rows counted per responsible organisation."""
    lines = (
        Organisation.objects.filter(radansvar__rad__in=unreported.values("pk"))
        .annotate(n=Count("radansvar__rad", distinct=True))
        .order_by("-n", "kod")
    )
    return [
        Count_(
            org.slug,
            f"{org.kod} – {org.namn}" if org.namn != org.kod else org.kod,
            org.n,
            filters.query(organisation=org.slug, status=NONE),
        )
        for org in lines
    ]


def describe(filters: Filters) -> list[tuple[str, str]]:
    """The active filters in words, for the heading of a list of rows."""
    parts = [("Period", str(filters.period) if filters.period else "ingen")]
    if filters.omrade:
        parts.append(("Målområde", filters.omrade.namn))
    if filters.organisation:
        parts.append(("Organisation", f"{filters.organisation.kod} – {filters.organisation.namn}"))
    if filters.status:
        parts.append(("Status", formatting.status_label(filters.status) or formatting.NO_REPORT))
    if filters.bedomning:
        label = formatting.assessment_label(filters.bedomning) or formatting.NO_REPORT
        parts.append(("Bedömning", label))
    if filters.samverkansniva:
        level = filters.samverkansniva
        label = formatting.level_label(int(level)) if level.isdigit() else ""
        parts.append(("Samverkansnivå", label or formatting.LEVEL_NOT_GIVEN))
    if filters.forsenad:
        parts.append(("Försenade", "slutmånaden har passerat och raden är inte klar"))
    return parts
