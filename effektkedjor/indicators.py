"""Reads of indicators (nyckeltal): where each one stands and whether it is on track.

Every page that shows an indicator (the area page, the indicator page, the dashboard,
the committee report) reads it through `lagen` (many, in a fixed number of queries) or
`lage` (one indicator whose values are prefetched), so they all agree on the status.

The rule this module keeps, written once:

- **Baseline** (utgångsläge): the indicator's baseline year and value. Without a value,
  the total's value for the baseline year; without a baseline year either, the earliest
  total value.
- **Latest value**: the total's newest yearly value with a figure (a value of a period
  within a year, such as "T1", counts for its year, the later period winning).
- **Change since baseline**: latest minus baseline, in the indicator's unit. It is an
  *improvement* when it goes the indicator's way: up for "higher is better", down for
  "lower is better".
- **Progress toward the target**: the share of the way from baseline to target covered,
  `(latest - baseline) / (target - baseline)`: 0 at the baseline, 1 at the target, negative
  when the value moved away from the target; a fall is progress when the target lies below
  the baseline. None when there is no target or it equals the baseline.
- **Expected value** in a year: the straight line from (baseline year, baseline) to
  (target year, target); the baseline before the baseline year, the target after the
  target year.
- **Status**:
    * *no data* (inga uppgifter) when there is no latest value, or no baseline or target to
      judge it against;
    * *on track* (i fas) when the latest value is at or beyond the expected value for its
      year in the indicator's direction, allowing the indicator's margin (`marginal`, in its
      unit; none means 0): for "higher is better" `latest >= expected - margin`, for "lower
      is better" `latest <= expected + margin`;
    * *off track* (inte i fas) otherwise.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.safestring import SafeString

from .formatting import NOT_GIVEN, indicator_change, indicator_value
from .models import Indikator, Indikatorvarde, LangsiktigEffekt


class Status(StrEnum):
    I_FAS = "i_fas"
    INTE_I_FAS = "inte_i_fas"
    INGA_UPPGIFTER = "inga_uppgifter"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.I_FAS: "I fas",
    Status.INTE_I_FAS: "Inte i fas",
    Status.INGA_UPPGIFTER: "Inga uppgifter",
}

GENDER_LABELS = {"T": "Totalt", "K": "Kvinnor", "M": "Män"}


@dataclass(frozen=True)
class Punkt:
    """One point of a series: a year (and period within it, if any) and its value."""

    ar: int
    varde: Decimal
    period: str = ""

    @property
    def etikett(self) -> str:
        return f"{self.ar} {self.period}" if self.period else str(self.ar)


@dataclass(frozen=True)
class Serie:
    """A series of values: the indicator's own for a gender, or a comparison's total."""

    kon: str
    punkter: tuple[Punkt, ...]
    plats: str = ""  # "" own; Indikatorvarde.RIKET or GRUPP for a comparison

    @property
    def namn(self) -> str:
        if self.plats:
            return comparison_label(self.plats)
        return GENDER_LABELS.get(self.kon, self.kon)

    @property
    def stil(self) -> str:
        """The chart's style key: the gender, or the comparison's place."""
        return self.plats or self.kon


def comparison_label(plats: str) -> str:
    if plats == Indikatorvarde.RIKET:
        return "Riket"
    if plats == Indikatorvarde.GRUPP:
        group = str(settings.KOLADA_JAMFORELSEGRUPP).strip()
        return f"{group} (medel)" if group else "Liknande kommuner (medel)"
    return plats


@dataclass(frozen=True)
class Lage:
    """Where an indicator stands (see the module's docstring for every rule)."""

    indikator: Indikator
    serier: tuple[Serie, ...]  # total first, then women and men when given
    jamforelser: tuple[Serie, ...]  # the country, similar municipalities (totals), if fetched
    baslinje: Punkt | None
    mal: Punkt | None
    senaste: Punkt | None
    forandring: Decimal | None  # latest - baseline, in the unit
    forbattring: bool | None  # the change goes the indicator's way (None: no change/unknown)
    framsteg: Decimal | None  # share of the way from baseline to target, 1 = reached
    forvantat: Decimal | None  # the straight line's value in the latest value's year
    status: Status
    skal: str = ""  # why the status is "no data", in Swedish
    varden: tuple[Indikatorvarde, ...] = field(default=(), repr=False)

    @property
    def alla_serier(self) -> tuple[Serie, ...]:
        """The own series, then the comparisons (the chart's lines, the table's columns)."""
        return (*self.serier, *self.jamforelser)

    @property
    def trend(self) -> tuple[Punkt, ...]:
        """The total's series (for the sparkline)."""
        return self.serier[0].punkter if self.serier else ()

    @property
    def framsteg_procent(self) -> int | None:
        return None if self.framsteg is None else round(self.framsteg * 100)

    @property
    def status_text(self) -> str:
        return self.status.label

    @property
    def kolada(self) -> bool:
        return self.indikator.kalla == Indikator.Kalla.KOLADA

    @property
    def kalla_text(self) -> str:
        """The source as the pages cite it ("Källa: Kolada" for Kolada's figures)."""
        if self.kolada:
            return "Kolada"
        return self.indikator.kalla_text or "Borås Stad"

    def _value(self, point: Punkt | None) -> str:
        return indicator_value(point.varde if point else None, self.indikator.enhet)

    @property
    def senaste_text(self) -> str:
        return self._value(self.senaste)

    @property
    def baslinje_text(self) -> str:
        return self._value(self.baslinje)

    @property
    def mal_text(self) -> str:
        return self._value(self.mal)

    @property
    def forandring_text(self) -> str:
        return indicator_change(self.forandring, self.indikator.enhet)

    @property
    def riktning_text(self) -> str:
        """Whether the change goes the indicator's way, in words."""
        if self.forbattring is None:
            return "oförändrat" if self.forandring == 0 else ""
        return "bättre" if self.forbattring else "sämre"

    @property
    def framsteg_text(self) -> str:
        if self.senaste is None:
            return "Inga värden"
        if self.framsteg is None or self.mal is None:
            return "Inget mål att mäta mot" if self.mal is None else NOT_GIVEN
        share = self.framsteg_procent
        if share is not None and share < 0:
            return f"Längre från målet än vid utgångsläget ({share}\u00a0%)"
        return f"{share}\u00a0% av vägen till målet {self.mal.ar}"

    @property
    def sparkline(self) -> SafeString:
        from .charts import sparkline  # charts draws Punkt; imported late to avoid a cycle

        trend = self.trend
        if len(trend) < 2:
            return SafeString("")
        label = (
            f"Utveckling {trend[0].etikett}–{trend[-1].etikett}: "
            f"från {self._value(trend[0])} till {self._value(trend[-1])}"
        )
        return sparkline(trend, label=label)


def _series(varden: Iterable[Indikatorvarde], kon: str) -> tuple[Punkt, ...]:
    by_year: dict[int, Indikatorvarde] = {}
    for v in varden:
        if v.kon != kon or v.ar is None or v.varde is None:
            continue
        current = by_year.get(v.ar)
        # A whole-year value wins over a period's; among periods, the later one.
        if (
            current is None
            or (current.period and not v.period)
            or (current.period and v.period > current.period)
        ):
            by_year[v.ar] = v
    return tuple(
        Punkt(ar=ar, varde=v.varde, period=v.period)  # type: ignore[arg-type]
        for ar, v in sorted(by_year.items())
    )


def expected(baslinje: Punkt, mal: Punkt, ar: int) -> Decimal:
    """The straight line from baseline to target, held flat outside the two years."""
    if mal.ar <= baslinje.ar or ar >= mal.ar:
        return mal.varde
    if ar <= baslinje.ar:
        return baslinje.varde
    share = Decimal(ar - baslinje.ar) / Decimal(mal.ar - baslinje.ar)
    return baslinje.varde + (mal.varde - baslinje.varde) * share


def lage(indikator: Indikator) -> Lage:
    """Where one indicator stands; uses its prefetched `varden` (no query if prefetched)."""
    every = tuple(indikator.varden.all())
    varden = tuple(v for v in every if not v.plats)
    genders = ["T"] + ([k for k in ("K", "M") if any(v.kon == k for v in varden)] if varden else [])
    serier = tuple(Serie(kon=k, punkter=_series(varden, k)) for k in genders)
    jamforelser = tuple(
        Serie(kon="T", plats=plats, punkter=points)
        for plats in (Indikatorvarde.RIKET, Indikatorvarde.GRUPP)
        if (points := _series((v for v in every if v.plats == plats), "T"))
    )
    total = serier[0].punkter
    senaste = total[-1] if total else None

    baslinje: Punkt | None = None
    if indikator.baslinje_ar is not None and indikator.baslinje_varde is not None:
        baslinje = Punkt(ar=indikator.baslinje_ar, varde=indikator.baslinje_varde)
    elif indikator.baslinje_ar is not None:
        baslinje = next((p for p in total if p.ar == indikator.baslinje_ar), None)
    elif total:
        baslinje = total[0]
    mal = (
        Punkt(ar=indikator.mal_ar, varde=indikator.mal_varde)
        if indikator.mal_ar is not None and indikator.mal_varde is not None
        else None
    )
    if mal is None and indikator.mal_varde is not None and baslinje is not None:
        # A target without a year: treat it as due at once (the line is flat at the target).
        mal = Punkt(ar=baslinje.ar, varde=indikator.mal_varde)

    sign = -1 if indikator.riktning == Indikator.Riktning.LAGRE else 1
    forandring = forbattring = framsteg = forvantat = None
    if senaste is not None and baslinje is not None:
        forandring = senaste.varde - baslinje.varde
        forbattring = None if forandring == 0 else (forandring * sign > 0)
    if senaste is not None and baslinje is not None and mal is not None:
        if mal.varde != baslinje.varde:
            framsteg = (senaste.varde - baslinje.varde) / (mal.varde - baslinje.varde)
        forvantat = expected(baslinje, mal, senaste.ar)

    skal = ""
    if senaste is None:
        status, skal = Status.INGA_UPPGIFTER, "Inga värden ännu."
    elif baslinje is None or mal is None or forvantat is None:
        status, skal = Status.INGA_UPPGIFTER, "Utgångsläge eller mål saknas."
    else:
        margin = indikator.marginal or Decimal(0)
        on_track = (senaste.varde - forvantat) * sign >= -margin
        status = Status.I_FAS if on_track else Status.INTE_I_FAS
    return Lage(
        indikator=indikator,
        serier=serier,
        jamforelser=jamforelser,
        baslinje=baslinje,
        mal=mal,
        senaste=senaste,
        forandring=forandring,
        forbattring=forbattring,
        framsteg=framsteg,
        forvantat=forvantat,
        status=status,
        skal=skal,
        varden=varden,
    )


def values_prefetch(prefix: str = "") -> Prefetch:
    """The prefetch `lage` reads: an indicator's values, oldest first."""
    return Prefetch(
        f"{prefix}varden", queryset=Indikatorvarde.objects.order_by("ar", "period", "kon", "id")
    )


def with_values(queryset: QuerySet[Indikator] | None = None) -> QuerySet[Indikator]:
    """Indicators with what `lage` reads, in two queries however many there are."""
    qs = queryset if queryset is not None else Indikator.objects.all()
    return qs.prefetch_related(values_prefetch())


def lagen(indikatorer: QuerySet[Indikator] | Sequence[Indikator] | None = None) -> list[Lage]:
    """Where each indicator stands. A queryset (or None: all) is loaded in two queries; a
    list is used as given (prefetch `varden` with `values_prefetch` to keep it fixed)."""
    if indikatorer is None or isinstance(indikatorer, QuerySet):
        indikatorer = list(with_values(indikatorer))
    return [lage(ind) for ind in indikatorer]


def counts(lagen_: Iterable[Lage]) -> dict[Status, int]:
    """How many are on track, off track and without data (every status present)."""
    result = dict.fromkeys(Status, 0)
    for item in lagen_:
        result[item.status] += 1
    return result


@dataclass(frozen=True)
class Effektgrupp:
    """The indicators of one long-term effect (None: those serving no effect of the area)."""

    effekt: LangsiktigEffekt | None
    lagen: tuple[Lage, ...]

    @property
    def rubrik(self) -> str:
        return self.effekt.text if self.effekt else "Målområdet som helhet"


def per_effect(effekter: Sequence[LangsiktigEffekt], lagen_: Sequence[Lage]) -> list[Effektgrupp]:
    """Group the indicators by the effects they serve (prefetched `effekter`), in the
    effects' order; an indicator serving two effects is shown under both."""
    groups = []
    for effekt in effekter:
        own = tuple(x for x in lagen_ if any(e.pk == effekt.pk for e in x.indikator.effekter.all()))
        if own:
            groups.append(Effektgrupp(effekt=effekt, lagen=own))
    known = {e.pk for e in effekter}
    rest = tuple(x for x in lagen_ if not any(e.pk in known for e in x.indikator.effekter.all()))
    if rest:
        groups.append(Effektgrupp(effekt=None, lagen=rest))
    return groups


@dataclass(frozen=True)
class Tabellrad:
    """One year of the indicator page's table: a value per series and the target line."""

    ar: int
    varden: tuple[str, ...]
    forvantat: str


def table_rows(state: Lage) -> list[Tabellrad]:
    """The chart's numbers as a table: one row per year with any value, oldest first."""
    by_series = [{p.ar: p for p in s.punkter} for s in state.alla_serier]
    years = sorted({ar for s in by_series for ar in s})
    unit = state.indikator.enhet
    rows = []
    for ar in years:
        cells = tuple(indicator_value(s[ar].varde, unit) if ar in s else "–" for s in by_series)
        line = ""
        if state.baslinje is not None and state.mal is not None and ar >= state.baslinje.ar:
            line = indicator_value(expected(state.baslinje, state.mal, ar), unit)
        rows.append(Tabellrad(ar=ar, varden=cells, forvantat=line))
    return rows


def chart_description(state: Lage) -> str:
    """The line chart's numbers in words, for its `<desc>`."""
    unit = state.indikator.enhet
    parts = [
        f"{s.namn}: "
        + ", ".join(f"{p.etikett} {indicator_value(p.varde, unit)}" for p in s.punkter)
        for s in state.alla_serier
        if s.punkter
    ]
    if state.baslinje is not None:
        parts.append(f"Utgångsläge {state.baslinje.ar}: {state.baslinje_text}")
    if state.mal is not None:
        parts.append(f"Mål {state.mal.ar}: {state.mal_text}")
    return ". ".join(parts) + "." if parts else "Inga värden ännu."
