"""The demo fixture holds the whole programme of the reference transcription.

tests/data/program.yaml is a copy of the project's reference transcription of the seed,
kept here as the test oracle; the fixture under test was written from it once.
"""

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from effektkedjor.models import Indikator, Kedjerad, LangsiktigEffekt
from malomraden.models import (
    Malomrade,
    Omradestext,
    Organisation,
    Person,
    Program,
)

REFERENCE = yaml.safe_load(
    (Path(__file__).parent.parent / "data" / "program.yaml").read_text(encoding="utf-8")
)

pytestmark = pytest.mark.django_db


def _areas() -> list[dict[str, Any]]:
    return REFERENCE["target_areas"]


def test_counts_match_the_seed(program: None) -> None:
    assert Malomrade.objects.count() == 4
    assert LangsiktigEffekt.objects.count() == 13
    assert Kedjerad.objects.count() == 25
    assert Organisation.objects.count() == 12


def test_programme_texts(program: None) -> None:
    ref = REFERENCE["programme"]
    prog = Program.objects.get()
    assert (prog.namn, prog.kommun, prog.vision, prog.omfattning) == (
        ref["name"],
        ref["organisation"],
        ref["vision"],
        ref["scope"],
    )
    assert [(t.fran, t.till) for t in prog.teman.all()] == [
        (t["from"], t["to"]) for t in ref["themes"]
    ]
    assert [p.text for p in prog.principer.all()] == ref["guiding_principles"]
    ansvariga = [a.person for a in prog.programansvarig_set.select_related("person")]
    assert [(p.namn, p.titel) for p in ansvariga] == [
        (r["name"], r.get("title", "")) for r in ref["overarching"]["responsible"]
    ]


def test_organisations(program: None) -> None:
    kinds = {
        "förvaltning": "forvaltning",
        "kommunalt bolag": "bolag",
        "extern myndighet": "myndighet",
    }
    for ref in REFERENCE["organisations"]:
        org = Organisation.objects.get(kod=ref["code"])
        assert org.namn == ref["name"]
        assert org.typ == kinds[ref["kind"]]
        assert org.tolkning == bool(ref.get("interpretation"))


@pytest.mark.parametrize("ref", _areas(), ids=lambda a: a["slug"])
def test_area_texts(program: None, ref: dict[str, Any]) -> None:
    area = Malomrade.objects.get(slug=ref["slug"])
    assert (area.namn, area.kortnamn, area.rubrik) == (
        ref["name"],
        ref["short_name"],
        ref.get("headline", ""),
    )
    assert area.typ == ("omrade" if ref.get("kind") == "area-based" else "hela_staden")
    assert [a.person.namn for a in area.omradesansvarig_set.all()] == [
        r["name"] for r in ref["responsible"]
    ]
    for key, typ in [
        ("commitments", "atagande"),
        ("reflections", "reflektion"),
        ("status_notes", "nulage"),
        ("completed_work", "fardigstallt"),
    ]:
        texts = Omradestext.objects.filter(malomrade=area, typ=typ).order_by("ordning")
        assert [t.text for t in texts] == [t.strip() for t in ref.get(key, [])]

    effects = list(area.langsiktiga_effekter.order_by("ordning"))
    assert [(e.text, e.osaker) for e in effects] == [
        (e["text"], bool(e.get("uncertain"))) for e in ref["long_term_effects"]
    ]
    by_id = {e["id"]: eff for e, eff in zip(ref["long_term_effects"], effects, strict=True)}

    rows = list(area.rader.order_by("ordning"))
    assert len(rows) == len(ref["rows"])
    for row, rref in zip(rows, ref["rows"], strict=True):
        assert row.kortsiktig_effekt == rref["short_term_effect"]
        assert row.prestation == rref["output"]
        assert row.aktivitet == rref["activity"]
        orgs = Kedjerad.objects.for_display().get(pk=row.pk).ansvariga_organisationer.all()
        assert [o.kod for o in orgs] == rref["responsible"]
        assert row.ansvar_kommentar == rref.get("responsible_note", "")
        assert {e.pk for e in row.langsiktiga_effekter.all()} == {
            by_id[i].pk for i in rref["contributes_to"]
        }
        # The seed's Tid and Resurser columns are empty: officials fill them in.
        assert (row.start, row.slut, row.resurser) == (None, None, "")

    indicators = list(
        Indikator.objects.filter(malomrade=area).prefetch_related("varden").order_by("ordning")
    )
    refs = ref.get("reference_indicators", [])
    assert [i.namn for i in indicators] == [i["name"] for i in refs]
    for ind, iref in zip(indicators, refs, strict=True):
        # The seed's key figures: the baseline, the latest figure (a value of the
        # indicator, its year when the seed gives one), the target and the note.
        assert (ind.baslinje_ar, ind.baslinje_varde) == figure(iref.get("baseline"))
        assert (ind.mal_ar, ind.mal_varde) == figure(iref.get("target"))
        latest = ind.latest_value()
        assert ((latest.ar, latest.varde) if latest else (None, None)) == figure(iref.get("latest"))
        assert ind.kommentar == iref.get("note", "")


def figure(ref: dict[str, Any] | None) -> tuple[int | None, Decimal | None]:
    if ref is None:
        return (None, None)
    return (ref.get("year"), Decimal(str(ref["value"])))


def test_people_are_not_duplicated(program: None) -> None:
    # Ylva Lengberg is responsible both overall and for Förutsättningar för arbete.
    assert Person.objects.filter(namn="Ylva Lengberg").count() == 1


def test_loading_twice_changes_nothing(program: None) -> None:
    from django.core.management import call_command

    from tests.conftest import PROGRAM_FIXTURE

    call_command("loaddata", str(PROGRAM_FIXTURE), verbosity=0)
    assert Kedjerad.objects.count() == 25
    assert LangsiktigEffekt.objects.count() == 13


def test_load_program_fills_an_empty_database_and_keeps_later_edits() -> None:
    from django.core.management import call_command

    call_command("load_program", stdout=open(os.devnull, "w"))  # noqa: SIM115
    row = Kedjerad.objects.get(aktivitet="Uppsökande verksamhet")
    row.tid_kommentar = "löpande"
    row.save()
    call_command("load_program", stdout=open(os.devnull, "w"))  # noqa: SIM115
    row.refresh_from_db()
    assert row.tid_kommentar == "löpande"
    call_command("load_program", "--reset", stdout=open(os.devnull, "w"))  # noqa: SIM115
    row.refresh_from_db()
    assert row.tid_kommentar == ""
