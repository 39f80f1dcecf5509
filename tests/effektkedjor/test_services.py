"""The write services called directly, without HTTP: positions and locks, versions and
conflicts, history entries, closed periods, PDF orders, staged imports and area texts."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django_tasks_db.models import DBTaskResult

from effektkedjor import versioning
from effektkedjor.models import (
    Importfil,
    Kedjerad,
    Lagesrapport,
    LangsiktigEffekt,
    PdfBestallning,
    Periodbild,
    Radansvar,
    Rapportperiod,
    group_by_effects,
)
from effektkedjor.services import areas, effects, imports, reports, rows
from effektkedjor.spreadsheets.importing import area_state
from effektkedjor.spreadsheets.reading import ImportFileError, read_table
from malomraden.forms import MalomradeForm, OmradestextFormSet
from malomraden.models import Malomrade
from tests.builders import make_area, make_effect, make_org, make_row, make_user
from tests.personas import make_world

pytestmark = pytest.mark.django_db
HEAD = "Långsiktiga effekter,Kortsiktiga effekter,Prestation,Aktivitet,Ansvar,Tid,Resurser\n"
NEW_LINE = "Målområdet som helhet,Mål,Verktyg,Helt ny aktivitet,SKA,,\n"


def _csv(text: str) -> bytes:
    return (HEAD + text).encode("utf-8")


def _new_row(area: Malomrade, aktivitet: str) -> Kedjerad:
    return rows.save_row(
        row=Kedjerad(malomrade=area, aktivitet=aktivitet), organisations=[], effects=[]
    )


def _positions(area: Malomrade) -> list[tuple[str, int]]:
    return list(
        Kedjerad.objects.filter(malomrade=area)
        .order_by("ordning")
        .values_list("aktivitet", "ordning")
    )


# Rows


def test_a_new_row_goes_after_the_highest_position_even_after_a_delete() -> None:
    area = make_area()
    first, middle, last = (_new_row(area, name) for name in ["Ett", "Två", "Tre"])
    assert [first.ordning, middle.ordning, last.ordning] == [1, 2, 3]
    rows.delete_row(row=middle)
    added = _new_row(area, "Fyra")
    assert added.ordning == 4  # the deleted row's position is not reused
    assert _positions(area) == [("Ett", 1), ("Tre", 3), ("Fyra", 4)]


def test_a_new_row_keeps_its_organisations_in_order_links_effects_and_is_one_creation() -> None:
    w = make_world()
    row = rows.save_row(
        row=Kedjerad(malomrade=w.area, aktivitet="Intervjuer med näringslivet"),
        organisations=[w.ska, w.alf],
        effects=[w.effect],
    )
    links = Radansvar.objects.filter(rad=row).order_by("ordning")
    assert [(link.organisation.kod, link.ordning) for link in links] == [("SKA", 0), ("ALF", 1)]
    assert list(row.langsiktiga_effekter.all()) == [w.effect]
    assert [h.history_type for h in row.history.all()] == ["+"]


def test_updating_a_row_needs_the_version_the_form_was_opened_on() -> None:
    w = make_world()
    w.row.prestation = "Utan version"
    with pytest.raises(ValueError, match="expected_version"):
        rows.save_row(row=w.row, organisations=[w.alf], effects=[w.effect])
    assert Kedjerad.objects.get(pk=w.row.pk).prestation != "Utan version"


def test_an_update_writes_one_history_entry_and_moves_the_version() -> None:
    w = make_world()
    entries = w.row.history.count()
    w.row.prestation = "Fler når studier"
    rows.save_row(row=w.row, organisations=[w.alf, w.ska], effects=[], expected_version=1)
    row = Kedjerad.objects.get(pk=w.row.pk)
    assert (row.prestation, row.version) == ("Fler når studier", 2)
    assert [o.kod for o in row.ansvariga_organisationer.order_by("radansvar__ordning")] == [
        "ALF",
        "SKA",
    ]
    assert list(row.langsiktiga_effekter.all()) == []
    assert row.history.count() == entries + 1
    assert row.history.latest().history_type == "~"


def test_a_stale_row_save_raises_a_conflict_and_changes_nothing() -> None:
    w = make_world()
    mine = Kedjerad.objects.get(pk=w.row.pk)  # opened at version 1 …
    w.row.prestation = "Först"
    rows.save_row(row=w.row, organisations=[w.alf], effects=[w.effect], expected_version=1)
    entries = w.row.history.count()
    mine.prestation = "Sen"
    with pytest.raises(versioning.EditConflict) as conflict:
        rows.save_row(row=mine, organisations=[w.ska], effects=[], expected_version=1)
    assert conflict.value.current.pk == w.row.pk
    row = Kedjerad.objects.get(pk=w.row.pk)
    assert (row.prestation, row.version, row.history.count()) == ("Först", 2, entries)
    assert [o.kod for o in row.ansvariga_organisationer.all()] == ["ALF"]
    assert list(row.langsiktiga_effekter.all()) == [w.effect]


def test_a_row_cannot_serve_an_effect_of_another_area_and_nothing_moves() -> None:
    w = make_world()
    foreign = make_effect(w.other_area, text="Främmande effekt")
    with pytest.raises(ValidationError) as refused:
        rows.save_row(row=w.row, organisations=[w.alf], effects=[foreign], expected_version=1)
    assert "sitt eget målområde" in str(refused.value)
    row = Kedjerad.objects.get(pk=w.row.pk)
    assert row.version == 1  # a refused save leaves no phantom conflict behind
    assert list(row.langsiktiga_effekter.all()) == [w.effect]


def test_deleting_a_row_removes_it_and_its_reports() -> None:
    w = make_world()
    Lagesrapport.objects.create(
        rad=w.other_row, period=w.period, status="pagar", bedomning="enligt_plan"
    )
    rows.delete_row(row=w.other_row)
    assert not Kedjerad.objects.filter(pk=w.other_row.pk).exists()
    assert not Lagesrapport.objects.exists()


def test_a_row_with_a_report_in_a_closed_period_is_not_deleted() -> None:
    w = make_world()
    Lagesrapport.objects.create(
        rad=w.row, period=w.closed_period, status="pagar", bedomning="enligt_plan"
    )
    with pytest.raises(rows.RowHasClosedReports) as refused:
        rows.delete_row(row=w.row)
    assert refused.value.periods == [w.closed_period.namn]
    assert w.closed_period.namn in str(refused.value)
    assert Kedjerad.objects.filter(pk=w.row.pk).exists()
    assert Lagesrapport.objects.filter(rad=w.row).count() == 1


def test_moving_rows_renumbers_positions_and_refuses_past_the_ends() -> None:
    w = make_world()  # positions from the builders, not 1, 2
    assert rows.move_row(row=w.other_row, steps=-1)
    assert _positions(w.area) == [(w.other_row.aktivitet, 1), (w.row.aktivitet, 2)]
    assert not rows.move_row(row=w.other_row, steps=-1)  # already first
    assert not rows.move_row(row=w.row, steps=1)  # already last
    assert rows.move_row(row=w.other_row, steps=1)
    assert _positions(w.area) == [(w.row.aktivitet, 1), (w.other_row.aktivitet, 2)]


def _table(area: Malomrade) -> list[str]:
    return [r.aktivitet for r in Kedjerad.objects.filter(malomrade=area).order_by("ordning", "id")]


def _add(area: Malomrade, aktivitet: str, effects: list[LangsiktigEffekt]) -> Kedjerad:
    return rows.save_row(
        row=Kedjerad(malomrade=area, aktivitet=aktivitet), organisations=[], effects=effects
    )


def _groups(area: Malomrade) -> list[list[str]]:
    """The table's groups as the page builds them: the activities of each."""
    table = Kedjerad.objects.filter(malomrade=area).for_display().order_by("ordning", "id")
    return [[r.aktivitet for r in g.rader] for g in group_by_effects(table)]


def test_a_new_row_goes_into_the_group_of_its_effects_not_last_in_the_table() -> None:
    area = make_area()
    a, b, c = (make_effect(area, ordning=i) for i in (1, 2, 3))
    _add(area, "Helhet 1", [])
    _add(area, "A1", [a])
    _add(area, "A2", [a])
    _add(area, "C1", [c])
    assert _table(area) == ["Helhet 1", "A1", "A2", "C1"]  # each landed in effect order
    _add(area, "A3", [a])
    _add(area, "Helhet 2", [])
    _add(area, "C2", [c])
    # An effect with no rows yet gets its group where the effects' order puts it.
    _add(area, "B1", [b])
    # Serving two effects: after the rows of its first effect, not at the end.
    _add(area, "A+C", [a, c])
    assert _table(area) == ["Helhet 1", "Helhet 2", "A1", "A2", "A3", "A+C", "B1", "C1", "C2"]
    assert _groups(area) == [
        ["Helhet 1", "Helhet 2"],
        ["A1", "A2", "A3"],
        ["A+C"],
        ["B1"],
        ["C1", "C2"],
    ]
    # Positions stay distinct and in order (only the rows after the new one moved down).
    positions = [p for _, p in _positions(area)]
    assert positions == sorted(set(positions))


def test_a_row_whose_effects_change_moves_into_its_new_group() -> None:
    area = make_area()
    a, b = make_effect(area, ordning=1), make_effect(area, ordning=2)
    a1, a2 = _add(area, "A1", [a]), _add(area, "A2", [a])
    _add(area, "B1", [b])
    _add(area, "B2", [b])
    a1.refresh_from_db()
    rows.save_row(row=a1, organisations=[], effects=[b], expected_version=a1.version)
    assert _groups(area) == [["A2"], ["B1", "B2", "A1"]]
    # Changing another field leaves the row where it is.
    a2.refresh_from_db()
    a2.prestation = "Ny prestation"
    rows.save_row(row=a2, organisations=[], effects=[a], expected_version=a2.version)
    assert _table(area) == ["A2", "B1", "B2", "A1"]
    # A row whose new effects match the group it already stands in stays too.
    b1 = Kedjerad.objects.get(aktivitet="B1")
    rows.save_row(row=b1, organisations=[], effects=[a], expected_version=b1.version)
    assert _groups(area) == [["A2", "B1"], ["B2", "A1"]]


def test_a_row_moves_to_a_chosen_place_in_its_group_in_one_step() -> None:
    area = make_area()
    a, b = make_effect(area, ordning=1), make_effect(area, ordning=2)
    a1, a2, a3, a4 = (_add(area, f"A{i}", [a]) for i in range(1, 5))
    b1 = _add(area, "B1", [b])
    assert rows.move_row_to(row=a4, after=None)  # first in its group
    assert _table(area) == ["A4", "A1", "A2", "A3", "B1"]
    assert rows.move_row_to(row=a1, after=a3.pk)
    assert _table(area) == ["A4", "A2", "A3", "A1", "B1"]
    assert not rows.move_row_to(row=a1, after=a3.pk)  # already there
    assert [p for _, p in _positions(area)] == [1, 2, 3, 4, 5]
    # Not next to a row of another group: that would split the groups.
    with pytest.raises(rows.NotInGroup):
        rows.move_row_to(row=a2, after=b1.pk)
    with pytest.raises(rows.NotInGroup):
        rows.move_row_to(row=b1, after=None)  # alone in its group
    assert _table(area) == ["A4", "A2", "A3", "A1", "B1"]


def test_ordered_organisations_keep_the_previous_order_and_add_new_ones_by_code() -> None:
    w = make_world()
    tek, vux, byg = (make_org(kod=kod, slug=kod.lower()) for kod in ["TEK2", "VUX", "BYG"])
    ordered = rows.ordered_organisations(
        previous=[w.ska, tek, w.alf], chosen=[vux, w.alf, byg, w.ska]
    )
    assert [o.kod for o in ordered] == ["SKA", "ALF", "BYG", "VUX"]


# Long-term effects


def test_a_new_effect_goes_after_the_highest_position_even_after_a_delete() -> None:
    area = make_area()
    made = []
    for text in ["Effekt ett", "Effekt två", "Effekt tre"]:
        effect = LangsiktigEffekt(malomrade=area, text=text)
        effects.save_effect(effect=effect)
        made.append(effect)
    assert [e.ordning for e in made] == [1, 2, 3]
    effects.delete_effect(effect=made[1])
    added = LangsiktigEffekt(malomrade=area, text="Effekt fyra")
    effects.save_effect(effect=added)
    assert added.ordning == 4


def test_an_effect_update_needs_a_version_and_a_stale_one_is_refused() -> None:
    w = make_world()
    w.effect.text = "Utan version"
    with pytest.raises(ValueError, match="expected_version"):
        effects.save_effect(effect=w.effect)
    mine = LangsiktigEffekt.objects.get(pk=w.effect.pk)
    w.effect.text = "Första ändringen"
    effects.save_effect(effect=w.effect, expected_version=1)
    mine.text = "Andra ändringen"
    with pytest.raises(versioning.EditConflict):
        effects.save_effect(effect=mine, expected_version=1)
    stored = LangsiktigEffekt.objects.get(pk=w.effect.pk)
    assert (stored.text, stored.version) == ("Första ändringen", 2)


def test_deleting_an_effect_unlinks_its_rows_moves_their_versions_and_records_it() -> None:
    w = make_world()
    second = make_row(w.area, orgs=[w.ska], effects=[w.effect])
    served = [w.row, second]
    entries = {r.pk: r.history.count() for r in served}
    effects.delete_effect(effect=w.effect)
    assert not LangsiktigEffekt.objects.filter(pk=w.effect.pk).exists()
    for old in served:
        row = Kedjerad.objects.get(pk=old.pk)
        assert list(row.langsiktiga_effekter.all()) == []
        assert row.version == old.version + 1
        assert row.history.count() == entries[row.pk] + 1
    assert Kedjerad.objects.get(pk=w.other_row.pk).version == 1  # it served none


# Reports and periods


def test_a_report_is_saved_in_an_open_period() -> None:
    w = make_world()
    report = Lagesrapport(rad=w.row, period=w.period, status="pagar", bedomning="risk")
    saved = reports.save_report(report=report, expected_version=0)
    assert saved.pk is not None
    assert Lagesrapport.objects.get().bedomning == "risk"


def test_a_second_report_on_a_row_and_period_corrects_the_first_and_keeps_history() -> None:
    w = make_world()
    first = reports.save_report(
        report=Lagesrapport(
            rad=w.row, period=w.period, status="pagar", bedomning="risk", kommentar="Sen start"
        ),
        expected_version=0,
    )
    correction = Lagesrapport(
        rad=w.row, period=w.period, status="klar", bedomning="enligt_plan", kommentar="Klart"
    )
    saved = reports.save_report(report=correction, expected_version=first.version)
    assert saved.pk == first.pk and saved.version == 2
    stored = Lagesrapport.objects.get()
    assert (stored.status, stored.kommentar) == ("klar", "Klart")
    versions = list(stored.history.order_by("history_date").values_list("status", "kommentar"))
    assert versions == [("pagar", "Sen start"), ("klar", "Klart")]
    assert stored.history.latest().history_change_reason == "Rapporten rättades"


def test_two_reports_from_forms_opened_before_either_was_saved_make_one_report() -> None:
    """Two people open the form for a row with no report yet and both save: the second
    learns of the first (EditConflict) instead of adding a second report."""
    w = make_world()
    reports.save_report(
        report=Lagesrapport(rad=w.row, period=w.period, status="pagar", bedomning="enligt_plan"),
        expected_version=0,
    )
    with pytest.raises(versioning.EditConflict) as conflict:
        reports.save_report(
            report=Lagesrapport(rad=w.row, period=w.period, status="klar", bedomning="enligt_plan"),
            expected_version=0,
        )
    assert getattr(conflict.value.current, "status") == "pagar"  # noqa: B009
    assert Lagesrapport.objects.count() == 1


def test_the_database_keeps_one_report_per_row_and_period() -> None:
    from django.db import IntegrityError, transaction

    w = make_world()
    Lagesrapport.objects.create(rad=w.row, period=w.period, status="pagar", bedomning="risk")
    with pytest.raises(IntegrityError), transaction.atomic():
        Lagesrapport.objects.create(rad=w.row, period=w.period, status="klar", bedomning="risk")


def test_periods_are_created_changed_and_one_made_current() -> None:
    import datetime

    w = make_world()
    year = w.period.start.year
    period = reports.save_period(
        period=Rapportperiod(
            namn=f"Tertial 2 {year}",
            typ="tertial",
            start=datetime.date(year, 5, 1),
            slut=datetime.date(year, 8, 31),
            sista_rapportdag=datetime.date(year, 8, 20),
            aktuell=True,  # ignored: only make_current makes a period current
        )
    )
    assert not period.aktuell and not period.stangd
    reports.make_current(period=period)
    assert Rapportperiod.current() == period
    w.period.refresh_from_db()
    assert not w.period.aktuell
    assert w.period.history.latest().history_change_reason == f"Tertial 2 {year} blev aktuell"
    period.namn = f"Andra tertialet {year}"
    period.aktuell = False  # ignored as well
    reports.save_period(period=period)
    period.refresh_from_db()
    assert period.aktuell and period.namn == f"Andra tertialet {year}"
    with pytest.raises(reports.PeriodClosed):
        reports.make_current(period=w.closed_period)
    assert Rapportperiod.current() == period


def test_a_report_in_a_period_that_just_closed_is_refused_and_nothing_saved() -> None:
    w = make_world()
    report = Lagesrapport(rad=w.row, period=w.closed_period, status="pagar", bedomning="risk")
    with pytest.raises(reports.PeriodClosed) as refused:
        reports.save_report(report=report, expected_version=0)
    assert "stängdes nyss" in str(refused.value) and w.closed_period.namn in str(refused.value)
    assert not Lagesrapport.objects.exists()


def test_closing_a_period_freezes_its_report_and_keeps_the_reason() -> None:
    w = make_world()
    reports.close_period(period=w.period, reason="Nämnden har fastställt rapporten")
    w.period.refresh_from_db()
    assert w.period.stangd and w.period.stangd_tid is not None
    snapshot = Periodbild.objects.get(period=w.period)
    assert snapshot.data["period"]["namn"] == w.period.namn
    assert snapshot.data["period"]["stangd"] is True
    latest = w.period.history.latest()
    assert latest.history_change_reason == "Nämnden har fastställt rapporten"


def test_reopening_a_period_removes_the_snapshot_and_records_why() -> None:
    w = make_world()
    reports.close_period(period=w.period)
    assert w.period.history.latest().history_change_reason == "Perioden stängdes"
    reports.reopen_period(period=w.period, reason="En rapport saknades")
    w.period.refresh_from_db()
    assert not w.period.stangd and w.period.stangd_tid is None
    assert not Periodbild.objects.filter(period=w.period).exists()
    latest = w.period.history.latest()
    assert latest.history_change_reason == "Öppnades igen: En rapport saknades"


def test_a_waiting_pdf_order_is_reused_until_it_is_being_made() -> None:
    w = make_world()
    member = w.users["member"]
    order = reports.order_pdf(period=w.period, area=w.area, user=member)
    assert (order.status, order.bestallare) == ("vantar", member)
    assert DBTaskResult.objects.count() == 1  # queued for the worker
    again = reports.order_pdf(period=w.period, area=w.area, user=w.users["owner"])
    assert again.pk == order.pk and PdfBestallning.objects.count() == 1
    whole = reports.order_pdf(period=w.period, area=None, user=member)
    assert whole.pk != order.pk  # the whole programme is another report
    PdfBestallning.objects.filter(pk=order.pk).update(status="pagar")
    fresh = reports.order_pdf(period=w.period, area=w.area, user=member)
    assert fresh.pk not in (order.pk, whole.pk) and fresh.status == "vantar"
    assert PdfBestallning.objects.count() == 3


# Imports


def test_staging_an_import_keeps_the_file_and_previews_without_writing() -> None:
    w = make_world()
    owner = w.users["owner"]
    before = Kedjerad.objects.count()
    stored, preview = imports.stage_import(
        area=w.area, user=owner, filename="kedja.csv", content=_csv(NEW_LINE)
    )
    assert [(line.kind, line.activity) for line in preview.lines] == [("ny", "Helt ny aktivitet")]
    assert (stored.filnamn, bytes(stored.innehall)) == ("kedja.csv", _csv(NEW_LINE))
    assert stored.lage == area_state(w.area)
    assert Kedjerad.objects.count() == before
    assert not Kedjerad.objects.filter(aktivitet="Helt ny aktivitet").exists()


def test_a_second_upload_replaces_the_first_but_not_someone_elses() -> None:
    w = make_world()
    owner, director = w.users["owner"], w.users["director"]
    imports.stage_import(area=w.area, user=owner, filename="forsta.csv", content=_csv(NEW_LINE))
    imports.stage_import(area=w.area, user=director, filename="chef.csv", content=_csv(NEW_LINE))
    imports.stage_import(area=w.area, user=owner, filename="andra.csv", content=_csv(NEW_LINE))
    assert Importfil.objects.get(anvandare=owner).filnamn == "andra.csv"
    assert Importfil.objects.get(anvandare=director).filnamn == "chef.csv"


def test_an_unreadable_upload_is_refused_in_swedish_and_nothing_kept() -> None:
    w = make_world()
    with pytest.raises(ImportFileError, match="Filen är tom"):
        imports.stage_import(area=w.area, user=make_user(), filename="kedja.csv", content=b"")
    assert not Importfil.objects.exists()


def test_confirming_imports_and_drops_the_upload() -> None:
    w = make_world()
    stored, _ = imports.stage_import(
        area=w.area, user=w.users["owner"], filename="kedja.csv", content=_csv(NEW_LINE)
    )
    outcome = imports.confirm_import(stored=stored)
    assert outcome.imported and not outcome.state_changed and not outcome.result.errors
    new = Kedjerad.objects.get(aktivitet="Helt ny aktivitet", malomrade=w.area)
    assert [o.kod for o in new.ansvariga_organisationer.all()] == ["SKA"]
    assert not Importfil.objects.exists()


def test_confirming_after_a_save_in_the_area_writes_nothing_and_shows_the_new_state() -> None:
    w = make_world()
    stored, _ = imports.stage_import(
        area=w.area, user=w.users["owner"], filename="kedja.csv", content=_csv(NEW_LINE)
    )
    w.row.resurser = "En ny tjänst"
    rows.save_row(row=w.row, organisations=[w.alf], effects=[w.effect], expected_version=1)

    outcome = imports.confirm_import(stored=stored)
    assert outcome.state_changed and not outcome.imported
    assert [line.kind for line in outcome.result.lines] == ["ny"]
    assert not Kedjerad.objects.filter(aktivitet="Helt ny aktivitet").exists()
    kept = Importfil.objects.get(pk=stored.pk)
    assert kept.lage == area_state(w.area)  # the state the new preview was shown for
    assert Kedjerad.objects.get(pk=w.row.pk).resurser == "En ny tjänst"

    again = imports.confirm_import(stored=kept)
    assert again.imported
    assert Kedjerad.objects.filter(aktivitet="Helt ny aktivitet").exists()


def test_a_table_with_one_bad_line_imports_nothing_at_all() -> None:
    w = make_world()
    before = list(Kedjerad.objects.values_list("pk", "aktivitet", "prestation", "version"))
    table = read_table(
        _csv(
            "I Borås ska alla ha utbildning på gymnasienivå,,Ny prestation,Uppsökande verksamhet,ALF,,\n"
            + NEW_LINE
            + "Målområdet som helhet,,,Rad med fel,XYZ,,\n"
        ),
        "kedja.csv",
    )
    result = imports.import_table(table=table, area=w.area)
    assert [line.activity for line in result.errors] == ["Rad med fel"]
    assert ("Ansvar", "Okänd organisationskod ”XYZ”.") in result.errors[0].errors
    assert list(Kedjerad.objects.values_list("pk", "aktivitet", "prestation", "version")) == before


# Area texts


def _area_forms(area: Malomrade, rubrik: str) -> tuple[MalomradeForm, Any]:
    text = area.texter.get()
    form = MalomradeForm({"rubrik": rubrik, "version": area.version}, instance=area)
    texts = OmradestextFormSet(
        {
            "texter-TOTAL_FORMS": "1",
            "texter-INITIAL_FORMS": "1",
            "texter-0-id": text.pk,
            "texter-0-malomrade": area.pk,
            "texter-0-typ": "atagande",
            "texter-0-text": f"Åtagande: {rubrik}",
            "texter-0-ordning": "1",
        },
        instance=area,
    )
    assert form.is_valid(), form.errors
    assert texts.is_valid(), texts.errors
    return form, texts


def test_area_texts_are_saved_as_one_change() -> None:
    w = make_world()
    form, texts = _area_forms(w.area, "Att ha ett jobb")
    areas.save_area_texts(form=form, texts=texts, expected_version=1)
    w.area.refresh_from_db()
    assert (w.area.rubrik, w.area.version) == ("Att ha ett jobb", 2)
    assert w.area.texter.get().text == "Åtagande: Att ha ett jobb"


def test_a_stale_area_text_save_raises_a_conflict_and_changes_nothing() -> None:
    w = make_world()
    first = _area_forms(Malomrade.objects.get(pk=w.area.pk), "Rubrik ett")
    second = _area_forms(Malomrade.objects.get(pk=w.area.pk), "Rubrik två")
    areas.save_area_texts(form=first[0], texts=first[1], expected_version=1)
    with pytest.raises(versioning.EditConflict):
        areas.save_area_texts(form=second[0], texts=second[1], expected_version=1)
    w.area.refresh_from_db()
    assert (w.area.rubrik, w.area.version) == ("Rubrik ett", 2)
    assert w.area.texter.get().text == "Åtagande: Rubrik ett"


# Versioning


def test_of_two_claims_from_the_same_version_the_second_gets_the_conflict() -> None:
    w = make_world()
    other = Kedjerad.objects.get(pk=w.row.pk)
    versioning.claim_version(w.row, 1)
    assert w.row.version == 2
    with pytest.raises(versioning.EditConflict) as conflict:
        versioning.claim_version(other, 1)
    assert conflict.value.current.version == 2  # type: ignore[attr-defined]
    assert Kedjerad.objects.get(pk=w.row.pk).version == 2


def test_bump_version_moves_the_version_and_writes_a_history_entry() -> None:
    w = make_world()
    entries = w.row.history.count()
    versioning.bump_version(w.row)
    assert w.row.version == 2
    assert Kedjerad.objects.get(pk=w.row.pk).version == 2
    assert w.row.history.count() == entries + 1


def test_rebind_puts_the_users_input_in_a_validated_form_at_the_current_version() -> None:
    w = make_world()
    Malomrade.objects.filter(pk=w.area.pk).update(version=5)
    current = Malomrade.objects.get(pk=w.area.pk)
    post = QueryDict(mutable=True)
    post.update({"rubrik": "Det jag skrev", "version": "1"})
    form = versioning.rebind(post, current, lambda data: MalomradeForm(data, instance=current))
    assert form.data["version"] == "5" and form.data["rubrik"] == "Det jag skrev"
    assert form.is_bound and form.cleaned_data["version"] == 5
    assert post["version"] == "1"  # the request's own data is left as it was
