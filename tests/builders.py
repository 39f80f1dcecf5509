"""Builders for test data: small functions that make valid objects with few arguments."""

from itertools import count
from typing import Any

from django.contrib.auth.models import User

from effektkedjor.models import Indikator, Indikatorvarde, Kedjerad, LangsiktigEffekt
from malomraden.models import Malomrade, Organisation, Program

_seq = count(1)


def make_program() -> Program:
    return Program.objects.create(namn="Social hållbarhet", vision="Jämlika livsvillkor")


def make_area(program: Program | None = None, **kwargs: object) -> Malomrade:
    n = next(_seq)
    defaults: dict[str, object] = {
        "namn": f"Målområde {n}",
        "kortnamn": f"Område {n}",
        "slug": f"omrade-{n}",
        "ordning": n,
    }
    defaults.update(kwargs)
    return Malomrade.objects.create(program=program or make_program(), **defaults)


def make_org(**kwargs: object) -> Organisation:
    n = next(_seq)
    defaults: dict[str, object] = {"kod": f"ORG{n}", "slug": f"org{n}", "namn": f"Förvaltning {n}"}
    defaults.update(kwargs)
    return Organisation.objects.create(**defaults)


def make_effect(area: Malomrade, **kwargs: object) -> LangsiktigEffekt:
    n = next(_seq)
    defaults: dict[str, object] = {"text": f"I Borås ska effekt {n} nås", "ordning": n}
    defaults.update(kwargs)
    return LangsiktigEffekt.objects.create(malomrade=area, **defaults)


def make_row(
    area: Malomrade,
    orgs: list[Organisation] | None = None,
    effects: list[LangsiktigEffekt] | None = None,
    **kwargs: object,
) -> Kedjerad:
    n = next(_seq)
    defaults: dict[str, object] = {
        "aktivitet": f"Aktivitet {n}",
        "prestation": f"Prestation {n}",
        "kortsiktig_effekt": f"Kortsiktig effekt {n}",
        "ordning": n,
    }
    defaults.update(kwargs)
    row = Kedjerad.objects.create(malomrade=area, **defaults)
    for i, org in enumerate(orgs or []):
        row.ansvariga_organisationer.add(org, through_defaults={"ordning": i})
    if effects:
        row.langsiktiga_effekter.set(effects)
    return row


def make_user(username: str = "", **kwargs: Any) -> User:
    name = username or f"user{next(_seq)}"
    return User.objects.create_user(username=name, password="pw", **kwargs)


def make_indicator(
    area: Malomrade,
    effects: list[LangsiktigEffekt] | None = None,
    values: dict[int, float | None] | None = None,
    **kwargs: Any,
) -> Indikator:
    """An indicator of the area with yearly total values ({year: value})."""
    n = next(_seq)
    defaults: dict[str, Any] = {"namn": f"Nyckeltal {n}", "ordning": n}
    defaults.update(kwargs)
    ind = Indikator.objects.create(malomrade=area, **defaults)
    if effects:
        ind.effekter.set(effects)
    for year, value in (values or {}).items():
        Indikatorvarde.objects.create(indikator=ind, ar=year, varde=value)
    return ind
