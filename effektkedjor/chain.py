"""Reads that pages of both apps need: the chain table of an area and lists of rows, each
row with its latest status report, its links and what the user may do with it.

Rows reach templates as `RadVy` view-models (the row itself plus what the page adds),
never as model instances with attributes set on them. Each read runs a fixed number of
queries whatever the number of rows (tests/malomraden/test_pages.py pins them).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from malomraden.models import Malomrade
from malomraden.roles import Roles

from .models import (
    Kedjerad,
    Lagesrapport,
    LangsiktigEffekt,
    Radgrupp,
    Rapportperiod,
    group_by_effects,
)

# Links are built without one reverse() per link: a chain table of 60 rows needs some
# 600 URLs, and at that count reverse() was the largest single cost of rendering the page
# (see the benchmark note in the README). Each pattern is reversed once, with a
# placeholder, and the ids are filled in.
_ID = "987654321"
_SLUG = "platshallare-for-slug"
ROW_VIEWS = ["rad", "rad_andra", "rad_ta_bort", "rad_flytta", "rapportera"]


@dataclass(frozen=True)
class Ansvarig:
    """An organisation in a row's "Ansvar" cell, with the link to its page."""

    kod: str
    namn: str
    url: str


@dataclass
class RadVy:
    """A row as a page shows it."""

    rad: Kedjerad
    u: dict[str, str]  # the row's URLs by view name, and its area's page as "omrade"
    ansvariga: list[Ansvarig]
    senaste_rapport: Lagesrapport | None
    kan_andra: bool = False  # edit the row and report on it
    har_rapport: bool = False  # a report in the current period (Mina rader)
    # "Rapportera läget" leads to a form: the current period is open, and the user may
    # write the row's report for it (or correct the one there is).
    kan_rapportera: bool = False
    klar_sedan: str = ""  # "Klar sedan Tertial 1 2026": finished in an earlier period
    # Other rows serve the same long-term effects: "Flytta till" can move it among them.
    flyttbar: bool = False

    @property
    def pk(self) -> int:
        return self.rad.pk

    def effekter(self) -> list[LangsiktigEffekt]:
        return list(self.rad.langsiktiga_effekter.all())

    def effektnyckel(self) -> tuple[int, ...]:
        """What rows of one group share (models.group_by_effects)."""
        return tuple(e.pk for e in self.rad.langsiktiga_effekter.all())


class _Links:
    """The URL patterns of row pages, reversed once per list."""

    def __init__(self) -> None:
        self.row = {name: reverse(f"effektkedjor:{name}", args=[int(_ID)]) for name in ROW_VIEWS}
        self.area = reverse("malomraden:malomrade", kwargs={"slug": _SLUG})
        self.organisation = reverse("malomraden:organisation", kwargs={"slug": _SLUG})

    def for_row(self, row: Kedjerad) -> dict[str, str]:
        links = {name: url.replace(_ID, str(row.pk)) for name, url in self.row.items()}
        links["omrade"] = self.area.replace(_SLUG, row.malomrade.slug)
        return links


def latest_reports(rows: Iterable[Kedjerad]) -> dict[int, Lagesrapport]:
    """The latest report of each row (annotated by `for_display`), by row id, in one
    query."""
    by_row = {
        row.pk: report_id
        for row in rows
        if (report_id := getattr(row, "senaste_rapport_id", None)) is not None
    }
    reports = Lagesrapport.objects.select_related("period", "forfattare").in_bulk(
        list(by_row.values())
    )
    return {row_id: reports[report_id] for row_id, report_id in by_row.items()}


def row_views(
    rows: Iterable[Kedjerad], roles: Roles, *, current_report: set[int] | None = None
) -> list[RadVy]:
    """View-models of rows fetched with `for_display()`; `current_report` holds the ids
    of rows reported in the current period, where the page shows that."""
    rows = list(rows)
    links = _Links()
    reports = latest_reports(rows)
    return [
        RadVy(
            rad=row,
            u=links.for_row(row),
            ansvariga=[
                Ansvarig(o.kod, o.namn, links.organisation.replace(_SLUG, o.slug))
                for o in row.ansvariga_organisationer.all()
            ],
            senaste_rapport=reports.get(row.pk),
            kan_andra=roles.can_edit_row(row),
            har_rapport=current_report is not None and row.pk in current_report,
        )
        for row in rows
    ]


def row_view(pk: int, roles: Roles) -> RadVy:
    """One row as a page shows it (Kedjerad.DoesNotExist if it is gone), with whether
    the user can report on it now."""
    vy = row_views([Kedjerad.objects.for_display().get(pk=pk)], roles)[0]
    current = Rapportperiod.current()
    vy.kan_rapportera = vy.kan_andra and current is not None and current.open_for_reports
    return vy


def group_views(views: Iterable[RadVy]) -> list[Radgrupp[RadVy]]:
    return group_by_effects(views, RadVy.effekter)


def chain_table(area: Malomrade, roles: Roles) -> dict[str, Any]:
    """What the chain table of an area needs (templates/effektkedjor/_kedjetabell.html),
    with each row's edit rights."""
    rows = Kedjerad.objects.filter(malomrade=area).for_display().order_by("ordning", "id")
    views = row_views(rows, roles)
    per_key = Counter(v.effektnyckel() for v in views)
    for v in views:
        v.flyttbar = per_key[v.effektnyckel()] > 1
    can_edit_area = roles.can_edit_area(area.pk)
    show_actions = can_edit_area or any(v.kan_andra for v in views)
    return {
        "omrade": area,
        "grupper": group_views(views),
        "antal_rader": len(views),
        "kan_andra_omrade": can_edit_area,
        "visa_atgarder": show_actions,
        "kolumner": 9 if show_actions else 8,
        "tabell_id": f"kedja-{area.slug}",
        "caption": f"Effektkedja för {area.namn}",
    }


def chain_row(area: Malomrade, roles: Roles, pk: int) -> dict[str, Any]:
    """The chain table's context narrowed to one row: its group and whether it opens
    the group (a row redrawn in place keeps its merged first cell), and every row that
    serves the same long-term effects, itself included, in table order ("Flytta till")."""
    context = chain_table(area, roles)
    views = [v for group in context["grupper"] for v in group.rader]
    for group in context["grupper"]:
        for i, candidate in enumerate(group.rader):
            if candidate.pk == pk:
                key = candidate.effektnyckel()
                return {
                    **context,
                    "rad": candidate.rad,
                    "vy": candidate,
                    "grupp": group,
                    "forsta": i == 0,
                    "samma_effekter": [v.rad for v in views if v.effektnyckel() == key],
                }
    raise LookupError(pk)


def area_effects(area: Malomrade) -> list[LangsiktigEffekt]:
    return list(area.langsiktiga_effekter.order_by("ordning", "id"))
