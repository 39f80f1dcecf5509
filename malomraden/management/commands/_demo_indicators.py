"""The demo database's indicators (nyckeltal): one or more for every long-term effect of
the seed programme, with EXAMPLE values.

The values are made up for the demo and are never Borås's real figures: every one of these
indicators has the source text `EXEMPELDATA`, which every page, the report and the export
show as the indicator's source, and a description that says so. They are manual indicators
(so `fetch_indicators` leaves them alone and never mixes real figures into the example
series); those that match a Kolada KPI name it (`kolada_kpi`, from the issue's list of
verified ids), so that switching one to Kolada is a change of its source.

`create_indicators` is safe to run again: an indicator that already exists in its area
(by name) is left as it is.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from effektkedjor.models import Indikator, Indikatorvarde, LangsiktigEffekt
from malomraden.models import Malomrade

EXEMPELDATA = "Exempeldata – inte Borås verkliga siffror"

# The seed's own statement about eligibility for upper secondary school (the reflection
# in "En god start i livet"), the baseline note of the gymnasiebehörighet indicator.
GYMNASIEBEHORIGHET_NOTE = (
    "Programmets källa: ”Ca 200 barn som inte klarar skolan varje år (x10 år, ca 15 %).” "
    "Omkring 200 elever om året, ungefär 15 procent, lämnar årskurs 9 utan behörighet "
    "till gymnasiet."
)

Values = dict[int, float]


@dataclass(frozen=True)
class Spec:
    area: str  # the area's slug
    effects: tuple[str, ...]  # the start of each long-term effect's text in the seed
    name: str
    unit: str
    direction: str
    baseline: tuple[int, float]
    target: tuple[int, float]
    margin: float
    values: Values
    kpi: str = ""
    how: str = ""
    baseline_note: str = ""
    # Offsets of women's and men's values from the total, when the source splits by gender.
    gender: tuple[float, float] | None = None


def _years(first: int, *values: float) -> Values:
    return {first + i: v for i, v in enumerate(values)}


P, N = Indikator.Enhet.PROCENT, Indikator.Enhet.ANTAL
UP, DOWN = Indikator.Riktning.HOGRE, Indikator.Riktning.LAGRE
START = "god-start-i-livet"
ARBETE = "forutsattningar-for-arbete"
BOENDE = "boende-och-narmiljo"
NORRBY = "omradesutveckling-norrby"

SPECS: tuple[Spec, ...] = (
    Spec(
        area=START,
        effects=("I Borås ska barn och unga vara förberedda",),
        name="Elever i åk 9 som är behöriga till yrkesprogram, hemkommun, andel (%)",
        kpi="N15428",
        unit=P,
        direction=UP,
        baseline=(2016, 85.0),
        target=(2030, 92.0),
        margin=1.0,
        values=_years(2016, 85.0, 84.1, 85.6, 86.2, 85.4, 86.9, 87.3, 87.0, 88.1, 88.9),
        gender=(2.4, -2.3),
        baseline_note=GYMNASIEBEHORIGHET_NOTE,
        how="Andel av eleverna i årskurs 9 som är behöriga till ett yrkesprogram på gymnasiet.",
    ),
    Spec(
        area=START,
        effects=("I Borås ska barn och unga vara förberedda",),
        name="Gymnasieelever med examen inom 4 år, hemkommun, andel (%)",
        kpi="N17461",
        unit=P,
        direction=UP,
        baseline=(2016, 70.0),
        target=(2030, 80.0),
        margin=1.0,
        values=_years(2016, 70.0, 69.2, 70.5, 69.8, 71.0, 70.4, 69.9, 70.8, 70.2, 70.6),
    ),
    Spec(
        area=START,
        effects=("I Borås ska barn och unga växa upp med stödjande vuxna",),
        name="Invånare 0–19 år med låg ekonomisk standard, andel (%)",
        kpi="N66077",
        unit=P,
        direction=DOWN,
        baseline=(2016, 16.0),
        target=(2030, 12.0),
        margin=0.5,
        values=_years(2016, 16.0, 15.8, 15.1, 15.4, 14.9, 14.6, 14.8, 14.2, 14.0, 13.7),
    ),
    Spec(
        area=START,
        effects=("I Borås ska barn och unga ha tillit till sin egen förmåga",),
        name="Elever i åk 8 som upplever att de kan påverka i skolan, andel (%)",
        unit=P,
        direction=UP,
        baseline=(2018, 55.0),
        target=(2030, 70.0),
        margin=1.0,
        values=_years(2018, 55.0, 56.0, 54.0, 57.0, 58.0, 57.0, 59.0, 60.0),
        how="Borås Stads elevenkät, årskurs 8.",
    ),
    Spec(
        area=START,
        effects=("I Borås ska barn och unga ha likvärdiga möjligheter att delta",),
        name="Barn och unga 7–20 år som deltar i organiserad fritids- eller "
        "kulturverksamhet, andel (%)",
        unit=P,
        direction=UP,
        baseline=(2018, 62.0),
        target=(2030, 70.0),
        margin=1.0,
        values=_years(2018, 62.0, 61.0, 58.0, 59.0, 63.0, 64.0, 65.0, 66.0),
        how="Borås Stads egen uppföljning av föreningsbidrag och kulturskola.",
    ),
    Spec(
        area=START,
        effects=("I Borås ska barn och ungas språkutveckling främjas",),
        name="Femåringar i förskolan med åldersadekvat språkutveckling, andel (%)",
        unit=P,
        direction=UP,
        baseline=(2026, 80.0),
        target=(2030, 88.0),
        margin=1.0,
        values={},  # measured from 2026: no values yet
        how="Förskolans språkscreening vid fem års ålder; mätningen börjar 2026.",
    ),
    Spec(
        area=ARBETE,
        effects=("I Borås ska alla invånare i arbetsför ålder ha utbildning",),
        name="Invånare 16–24 år som varken arbetar eller studerar, andel (%)",
        kpi="N02797",
        unit=P,
        direction=DOWN,
        baseline=(2016, 8.5),
        target=(2030, 6.0),
        margin=0.3,
        values=_years(2016, 8.5, 8.3, 8.0, 8.4, 9.1, 8.7, 8.2, 7.9, 7.8, 7.6),
    ),
    Spec(
        area=ARBETE,
        effects=("I Borås ska alla, även utsatta grupper, finnas i arbete",),
        name="Arbetslösa 18–65 år, öppet arbetslösa och i program, andel (%)",
        kpi="N03920",
        unit=P,
        direction=DOWN,
        baseline=(2016, 8.0),
        target=(2030, 6.0),
        margin=0.3,
        values=_years(2016, 8.0, 7.6, 7.2, 7.5, 9.3, 8.6, 7.4, 7.1, 7.3, 7.0),
        gender=(-0.6, 0.6),
    ),
    Spec(
        area=ARBETE,
        effects=("I Borås ska alla, även utsatta grupper, finnas i arbete",),
        name="Arbetslösa 18–24 år, öppet arbetslösa och i program, andel (%)",
        kpi="N03935",
        unit=P,
        direction=DOWN,
        baseline=(2016, 11.0),
        target=(2030, 7.0),
        margin=0.3,
        values=_years(2016, 11.0, 10.2, 9.5, 9.9, 12.4, 10.8, 9.0, 8.7, 9.4, 9.1),
    ),
    Spec(
        area=ARBETE,
        effects=("I Borås ska alla, även utsatta grupper, finnas i arbete",),
        name="Invånare med långvarigt ekonomiskt bistånd, andel (%)",
        kpi="N31816",
        unit=P,
        direction=DOWN,
        baseline=(2016, 2.4),
        target=(2030, 1.5),
        margin=0.1,
        values=_years(2016, 2.4, 2.3, 2.2, 2.2, 2.3, 2.1, 2.0, 1.9, 1.9, 1.8),
    ),
    Spec(
        area=ARBETE,
        effects=("Arbetsgivare i Borås har en bred rekrytering",),
        name="Arbetsgivare som anställt genom kommunens arbetsmarknadsinsatser (antal)",
        unit=N,
        direction=UP,
        baseline=(2019, 120),
        target=(2030, 250),
        margin=5,
        values=_years(2019, 120, 105, 130, 150, 160, 175, 190),
        how="Arbetslivsförvaltningens egen uppföljning.",
    ),
    Spec(
        area=BOENDE,
        effects=("I Borås ska det inte finnas några utsatta områden",),
        name="Områden i Borås på polisens lista över utsatta områden (antal)",
        unit=N,
        direction=DOWN,
        baseline=(2017, 3),
        target=(2030, 0),
        margin=0,
        values={2017: 3, 2019: 3, 2021: 2, 2023: 2, 2025: 2},
        how="Polisens lägesbild, som kommer vartannat år.",
    ),
    Spec(
        area=BOENDE,
        effects=("I Borås ska det finnas en blandad bebyggelse",),
        name="Trångbodda invånare, andel (%)",
        kpi="N07907",
        unit=P,
        direction=DOWN,
        baseline=(2016, 14.0),
        target=(2030, 11.0),
        margin=0.3,
        values=_years(2016, 14.0, 14.2, 14.5, 14.3, 14.6, 14.4, 14.8, 14.9, 15.1, 15.0),
    ),
    Spec(
        area=BOENDE,
        effects=("I Borås ska närmiljöerna vara attraktiva, trygga",),
        name="Invånare som känner sig trygga utomhus när det är mörkt, andel (%)",
        kpi="N00610",
        unit=P,
        direction=UP,
        baseline=(2016, 62.0),
        target=(2030, 72.0),
        margin=1.0,
        values={2016: 62.0, 2018: 63.0, 2019: 61.0, 2021: 64.0, 2023: 66.0, 2025: 67.5},
    ),
    Spec(
        area=BOENDE,
        effects=("I Borås ska invånarna och samhällets olika aktörer känna tillit",),
        name="Valdeltagande i kommunvalet, andel (%)",
        kpi="N05401",
        unit=P,
        direction=UP,
        baseline=(2014, 81.0),
        target=(2030, 86.0),
        margin=1.0,
        values={2014: 81.0, 2018: 83.5, 2022: 81.2},
    ),
    Spec(
        area=NORRBY,
        effects=("Jämlika livsvillkor och god hälsa på Norrby",),
        name="Förvärvsarbetande invånare 20–64 år på Norrby, andel (%)",
        unit=P,
        direction=UP,
        baseline=(2016, 48.0),
        target=(2030, 60.0),
        margin=1.0,
        values=_years(2016, 48.0, 49.0, 50.0, 51.0, 49.0, 50.0, 52.0, 53.0, 54.0, 55.0),
        how="Borås Stads egen statistik för Norrby (under kommunnivå).",
    ),
    Spec(
        area=NORRBY,
        effects=("Jämlika livsvillkor och god hälsa på Norrby",),
        name="Medellivslängd i Borås (år)",
        kpi="N00923",
        unit=Indikator.Enhet.AR,
        direction=UP,
        baseline=(2016, 82.0),
        target=(2030, 83.5),
        margin=0.2,
        values=_years(2016, 82.0, 82.1, 82.3, 82.2, 81.8, 82.1, 82.4, 82.6, 82.7, 82.8),
        how="Hela Borås, som jämförelse för Norrby.",
    ),
)


def _description(spec: Spec) -> str:
    parts = [spec.how] if spec.how else []
    if spec.kpi:
        parts.append(
            f"Motsvarar Koladas nyckeltal {spec.kpi}: med källan Kolada hämtar "
            "fetch_indicators Borås verkliga siffror."
        )
    parts.append(
        "Värdena här är exempeldata för demonstrationen, påhittade och inte Borås verkliga siffror."
    )
    return " ".join(parts)


def _number(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def create_indicators(*, today: datetime.date) -> list[Indikator]:
    """Create the demo indicators that are missing (by area and name) with their example
    values up to `today`'s year; return those created."""
    areas = {a.slug: a for a in Malomrade.objects.all()}
    effects = list(LangsiktigEffekt.objects.all())
    created: list[Indikator] = []
    values: list[Indikatorvarde] = []
    for order, spec in enumerate(SPECS, start=100):
        area = areas.get(spec.area)
        if area is None or Indikator.objects.filter(malomrade=area, namn=spec.name).exists():
            continue
        indicator = Indikator(
            malomrade=area,
            namn=spec.name,
            enhet=spec.unit,
            riktning=spec.direction,
            kalla=Indikator.Kalla.MANUELL,
            kalla_text=EXEMPELDATA,
            kolada_kpi=spec.kpi,
            kon_uppdelat=spec.gender is not None,
            baslinje_ar=spec.baseline[0],
            baslinje_varde=_number(spec.baseline[1]),
            baslinje_kommentar=spec.baseline_note,
            mal_ar=spec.target[0],
            mal_varde=_number(spec.target[1]),
            marginal=_number(spec.margin),
            beskrivning=_description(spec),
            ordning=order,
        )
        indicator._change_reason = "Exempeldata i demodatabasen"  # type: ignore[attr-defined]
        indicator.save()
        indicator.effekter.set(
            [e for e in effects if e.malomrade_id == area.pk and e.text.startswith(spec.effects)]
        )
        created.append(indicator)
        for year, value in spec.values.items():
            if year > today.year:
                continue
            genders = [("T", 0.0)]
            if spec.gender is not None:
                genders += [("K", spec.gender[0]), ("M", spec.gender[1])]
            for kon, offset in genders:
                values.append(
                    Indikatorvarde(
                        indikator=indicator,
                        ar=year,
                        kon=kon,
                        varde=_number(value + offset),
                        kalla=Indikator.Kalla.MANUELL,
                    )
                )
    if values:
        bulk_create_with_history(
            values, Indikatorvarde, default_change_reason="Exempeldata i demodatabasen"
        )
    return created
