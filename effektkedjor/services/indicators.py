"""Fetching indicator values (nyckeltal) from Kolada, or from a Kolada answer saved as a file.

A fetch stores what came: a new value is added, a revised one updates its row (the row's
history keeps the earlier figure), a missing value (`null`) is kept as missing. Either
everything is stored or nothing is: on any failure the values stay as they were, and the
fetch log (`Hamtning`) says what went wrong. A closed period's report is a copy taken when
the period closed (`Periodbild`), so a later fetch never changes it.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..kolada import Datapunkt, KoladaClient, KoladaError, KpiInfo, parse_data
from ..models import Hamtning, Indikator, Indikatorvarde
from ..versioning import claim_version

# How many years back a fetch asks for when an indicator has no baseline year.
DEFAULT_YEARS_BACK = 10


@dataclass
class Resultat:
    received: int = 0
    changed: int = 0
    warnings: list[str] = field(default_factory=list)


def kolada_indicators() -> list[Indikator]:
    return list(
        Indikator.objects.filter(kalla=Indikator.Kalla.KOLADA)
        .exclude(kolada_kpi="")
        .order_by("malomrade__ordning", "ordning", "id")
    )


def years_for(indikatorer: Sequence[Indikator], today: datetime.date | None = None) -> list[int]:
    this_year = (today or timezone.localdate()).year
    starts = [i.baslinje_ar for i in indikatorer if i.baslinje_ar]
    first = min(starts) if starts else this_year - DEFAULT_YEARS_BACK
    return list(range(min(first, this_year), this_year + 1))


def _describe(indikatorer: Sequence[Indikator], years: Sequence[int], fil: str | None) -> str:
    kpis = ", ".join(sorted({i.kolada_kpi for i in indikatorer})) or "inga nyckeltal"
    span = f"{years[0]}–{years[-1]}" if years else "alla år i filen"
    where = f"från filen {fil}" if fil else "från Kolada"
    return f"{kpis}, {span}, {where}"


def apply_kpi_info(indikator: Indikator, info: KpiInfo) -> Indikator:
    """Fill an indicator (not saved) from the metadata of the KPI picked for it: its id,
    title (unless already named), description (unless written), unit and gender split."""
    indikator.kalla = Indikator.Kalla.KOLADA
    indikator.kolada_kpi = info.id
    if not indikator.namn.strip():
        indikator.namn = info.title[:300]
    if not indikator.beskrivning.strip():
        indikator.beskrivning = info.description
    indikator.enhet = info.unit
    indikator.kon_uppdelat = info.divided_by_gender
    return indikator


COMPARISONS = (Indikatorvarde.RIKET, Indikatorvarde.GRUPP)


def group_members(client: KoladaClient, title: str) -> list[str]:
    """The municipalities of the comparison group, found by its title (ids change yearly):
    the group whose title matches exactly (ignoring case), else the first hit."""
    groups = client.municipality_groups(title)
    exact = [g for g in groups if str(g.get("title", "")).casefold() == title.casefold()]
    chosen = (exact or groups)[:1]
    return [str(m["id"]) for g in chosen for m in g.get("members", []) if m.get("id")]


def group_means(points: Iterable[Datapunkt]) -> list[Datapunkt]:
    """The group's (unweighted) mean per KPI, year and gender, as Kolada shows it, over
    the members that have a value; marked with the place "grupp"."""
    sums: dict[tuple[str, int, str], list[Decimal]] = {}
    for p in points:
        if p.value is not None:
            sums.setdefault((p.kpi.upper(), p.year, p.gender), []).append(p.value)
    return [
        Datapunkt(
            kpi=kpi,
            municipality=Indikatorvarde.GRUPP,
            ou="",
            year=year,
            gender=gender,
            value=(sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01")),
        )
        for (kpi, year, gender), values in sorted(sums.items())
    ]


def store(
    indikatorer: Sequence[Indikator], points: Iterable[Datapunkt], *, comparisons: bool = False
) -> Resultat:
    """Store the points that belong to the indicators (by KPI and municipality or unit).

    With `comparisons`, points for the whole country ("0000") and the group's mean
    ("grupp") are stored as comparisons (`plats`) of every indicator of the KPI measured
    for a municipality; without, they are left out like any other place."""
    result = Resultat()
    by_key: dict[tuple[str, str, str], list[Indikator]] = {}
    by_kpi: dict[str, list[Indikator]] = {}
    for ind in indikatorer:
        by_key.setdefault((ind.kolada_kpi.upper(), ind.kommun, ind.ou), []).append(ind)
        if not ind.ou:
            by_kpi.setdefault(ind.kolada_kpi.upper(), []).append(ind)
    now = timezone.now()
    for point in points:
        place = ("", point.ou) if point.ou else (point.municipality, "")
        targets = [(ind, "") for ind in by_key.get((point.kpi.upper(), *place), [])]
        if comparisons and not point.ou and point.municipality in COMPARISONS:
            targets += [
                (ind, point.municipality)
                for ind in by_kpi.get(point.kpi.upper(), [])
                if ind.kommun != point.municipality
            ]
        for ind, plats in targets:
            result.received += 1
            existing = Indikatorvarde.objects.filter(
                indikator=ind, plats=plats, ar=point.year, period="", kon=point.gender
            ).first()
            if existing is None:
                Indikatorvarde.objects.create(
                    indikator=ind,
                    plats=plats,
                    ar=point.year,
                    kon=point.gender,
                    varde=point.value,
                    kalla=Indikator.Kalla.KOLADA,
                    hamtad=now,
                )
                result.changed += 1
            elif existing.varde != point.value or existing.kalla != Indikator.Kalla.KOLADA:
                existing.varde = point.value
                existing.kalla = Indikator.Kalla.KOLADA
                existing.hamtad = now
                existing._change_reason = "Reviderat värde från Kolada"  # type: ignore[attr-defined]
                existing.save()
                result.changed += 1
    return result


def fetch_indicators(
    *,
    client: KoladaClient | None = None,
    indikatorer: Sequence[Indikator] | None = None,
    years: Sequence[int] | None = None,
    payload: Any = None,
    fil: str | None = None,
    user: Any = None,
    log: Hamtning | None = None,
) -> Hamtning:
    """Fetch the values of the Kolada indicators (all of them unless given) and log it.

    With `payload` (a saved Kolada data answer) nothing is asked over the network. Raises
    KoladaError after logging the failure; nothing is stored then. With `log` (a fetch
    queued by `start_fetch`) that entry is filled in instead of a new one.
    """
    chosen = list(indikatorer) if indikatorer is not None else kolada_indicators()
    chosen = [i for i in chosen if i.kalla == Indikator.Kalla.KOLADA and i.kolada_kpi]
    wanted_years = list(years) if years is not None else years_for(chosen)
    vad = _describe(chosen, [] if payload is not None else wanted_years, fil)
    if log is None:
        log = Hamtning.objects.create(
            vad=vad, startad_av=user if getattr(user, "is_authenticated", False) else None
        )
    else:
        # Queued by the programme management (start_fetch): it starts now.
        log.vad = vad
        log.startad = timezone.now()
        log.save(update_fields=["vad", "startad"])
    try:
        warnings: list[str] = []
        if payload is not None:
            points = parse_data(payload)
        else:
            client = client or KoladaClient()
            kpis = sorted({i.kolada_kpi.upper() for i in chosen})
            known = client.kpis(kpis) if kpis else {}
            unknown = [k for k in kpis if k not in known]
            if unknown:
                warnings.append("Kolada känner inte till " + ", ".join(unknown) + ".")
            found = [i for i in chosen if i.kolada_kpi.upper() in known]
            points = []
            by_place = [i for i in found if not i.ou]
            if by_place:
                place_kpis = sorted({i.kolada_kpi.upper() for i in by_place})
                compare = bool(settings.KOLADA_JAMFORELSER)
                places = {i.kommun for i in by_place} | (
                    {Indikatorvarde.RIKET} if compare else set()
                )
                points += client.data(place_kpis, sorted(places), wanted_years)
                group = str(settings.KOLADA_JAMFORELSEGRUPP).strip() if compare else ""
                members = group_members(client, group) if group else []
                if group and not members:
                    warnings.append(f"Kolada har ingen kommungrupp som heter ”{group}”.")
                if members:
                    points += group_means(client.data(place_kpis, members, wanted_years))
            for ind in (i for i in found if i.ou):
                points += client.ou_data([ind.kolada_kpi.upper()], [ind.ou], wanted_years)
        with transaction.atomic():
            result = store(chosen, points, comparisons=bool(settings.KOLADA_JAMFORELSER))
    except KoladaError as error:
        log.fel = str(error)
        log.klar = timezone.now()
        log.save(update_fields=["fel", "klar"])
        raise
    log.antal_varden = result.received
    log.antal_andrade = result.changed
    log.fel = " ".join(warnings)
    log.klar = timezone.now()
    log.save(update_fields=["antal_varden", "antal_andrade", "fel", "klar"])
    return log


# Editing indicators and their values (forms in the application)


@transaction.atomic
def save_indicator(
    *,
    indikator: Indikator,
    effekter: Sequence[Any],
    expected_version: int | None = None,
) -> Indikator:
    """Create or update an indicator with the long-term effects it serves, as one entry
    in its history. An update needs the version the user's form was opened on
    (versioning.EditConflict if someone saved since)."""
    created = indikator.pk is None
    if not created:
        if expected_version is None:
            raise ValueError("expected_version is required when updating")
        claim_version(indikator, expected_version)
    if any(e.malomrade_id != indikator.malomrade_id for e in effekter):
        raise ValueError("an indicator serves only long-term effects of its own area")
    # The history entry is written once the links are in place, so it shows them.
    indikator.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        indikator.save()
        indikator.effekter.set(effekter)
    finally:
        del indikator.skip_history_when_saving  # type: ignore[attr-defined]
    indikator.save()
    if created:
        # The one entry of a new indicator is its creation, not a change.
        indikator.history.filter(pk=indikator.history.latest().pk).update(history_type="+")
    return indikator


@dataclass(frozen=True)
class NyttVarde:
    """A value as a person enters or imports it."""

    ar: int
    period: str
    kon: str
    varde: Decimal


@transaction.atomic
def save_values(
    *, indikator: Indikator, varden: Sequence[NyttVarde], user: Any, reason: str
) -> tuple[int, int]:
    """Enter values of an indicator by hand (or from a file): a new year, period and
    gender is added, an existing one changed (its history keeps the earlier figure), all
    of them or none. Each records who entered it and when. Returns (new, changed)."""
    # The indicator's row first: two people entering the same year wait for each other.
    Indikator.objects.select_for_update().filter(pk=indikator.pk).first()
    now = timezone.now()
    person = user if getattr(user, "is_authenticated", False) else None
    existing = {
        (v.ar, v.period, v.kon): v
        for v in Indikatorvarde.objects.filter(indikator=indikator, plats="", ar__isnull=False)
    }
    new = changed = 0
    for item in varden:
        found = existing.get((item.ar, item.period, item.kon))
        if found is None:
            found = Indikatorvarde(
                indikator=indikator, ar=item.ar, period=item.period, kon=item.kon
            )
            new += 1
        elif found.varde == item.varde and found.kalla == Indikator.Kalla.MANUELL:
            continue
        else:
            changed += 1
        found.varde = item.varde
        found.kalla = Indikator.Kalla.MANUELL
        found.hamtad = now
        found.inmatad_av = person
        found._change_reason = reason  # type: ignore[attr-defined]
        found.save()
        existing[(item.ar, item.period, item.kon)] = found
    return new, changed


# A fetch queued for the task worker (tasks.py) says so in its log until it starts.
QUEUED = "Väntar på att starta: alla nyckeltal från Kolada"


def start_fetch(*, user: Any) -> tuple[Hamtning, bool]:
    """Queue a fetch of every Kolada indicator for the task worker, logged at once so
    its page can follow it; a fetch already queued or under way (started within the
    hour) is followed instead of starting another. Returns (the fetch, whether it is new)."""
    from ..tasks import fetch_indicator_values  # tasks.py imports the services

    with transaction.atomic():
        running = (
            Hamtning.objects.select_for_update()
            .filter(klar__isnull=True, startad__gte=timezone.now() - datetime.timedelta(hours=1))
            .first()
        )
        if running is not None:
            return running, False
        log = Hamtning.objects.create(
            vad=QUEUED, startad_av=user if getattr(user, "is_authenticated", False) else None
        )
    fetch_indicator_values.enqueue(log.pk)
    return log, True
