"""Importing an area's effect chain: preview first, then all or nothing; the seed's own
table and our own export both come back with zero changes."""

import datetime
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from effektkedjor import formatting
from effektkedjor.forms import KedjeradForm
from effektkedjor.models import Importfil, Kedjerad, Lagesrapport, LangsiktigEffekt
from effektkedjor.services.effects import save_effect
from effektkedjor.services.imports import import_table
from effektkedjor.services.rows import save_row
from effektkedjor.spreadsheets.importing import ImportChoices, preview_import, similarity
from effektkedjor.spreadsheets.reading import BROKEN_DATE, TIME_PREFIX, parse_time, read_table
from malomraden.models import Malomrade, Organisation
from tests.personas import make_world, row_post_data

pytestmark = pytest.mark.django_db
REFERENCE = Path(__file__).parent.parent / "data" / "program.yaml"
HEAD = "Långsiktiga effekter,Kortsiktiga effekter,Prestation,Aktivitet,Ansvar,Tid,Resurser\n"


def _csv(text: str) -> bytes:
    return (HEAD + text).encode("utf-8")


def _seed_sheet(area: dict[str, Any]) -> bytes:
    """An area's table laid out like the seed's slides: the effect cell merged over the
    rows that serve it, "Ansvar" as codes and free text."""
    effects = {e["id"]: e["text"] for e in area["long_term_effects"]}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([area["name"]])
    sheet.append(
        [
            "Långsiktiga effekter:",
            "Kortsiktiga effekter:",
            "Prestation:",
            "Aktivitet:",
            "Ansvar:",
            "Tid:",
            "Resurser:",
        ]
    )
    start = None
    previous = None
    for i, row in enumerate(area["rows"]):
        key = tuple(row["contributes_to"])
        text = "\n".join(effects[k] for k in key) or "Målområdet som helhet"
        responsible = ", ".join(
            [
                *row["responsible"],
                *([row["responsible_note"]] if row.get("responsible_note") else []),
            ]
        )
        sheet.append(
            [
                text if key != previous else None,
                row["short_term_effect"],
                row["output"],
                row["activity"],
                responsible,
                None,
                None,
            ]
        )
        line = i + 3
        if key == previous:
            sheet.merge_cells(start_row=start, start_column=1, end_row=line, end_column=1)
        else:
            start = line
        previous = key
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "slug",
    [
        "god-start-i-livet",
        "forutsattningar-for-arbete",
        "boende-och-narmiljo",
        "omradesutveckling-norrby",
    ],
)
def test_the_seeds_own_table_imports_with_zero_changes(program: None, slug: str) -> None:
    reference = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    area_ref = next(a for a in reference["target_areas"] if a["slug"] == slug)
    table = read_table(_seed_sheet(area_ref), "bilder.xlsx")
    preview = preview_import(table, Malomrade.objects.get(slug=slug))
    assert [(line.kind, line.changes, line.errors) for line in preview.lines] == [
        ("oförändrad", [], []) for _ in area_ref["rows"]
    ]


def test_our_own_export_imports_with_zero_changes(client: Client) -> None:
    w = make_world()
    Kedjerad.objects.filter(pk=w.row.pk).update(
        tid_kommentar="löpande", resurser="Två handledare", resurser_belopp=120000
    )
    client.force_login(w.users["member"])
    for fmt in ("xlsx", "csv"):
        content = client.get(f"/export/rader.{fmt}", {"omrade": "arbete"}).content
        preview = preview_import(read_table(content, f"export.{fmt}"), w.area)
        assert [line.kind for line in preview.lines] == ["oförändrad", "oförändrad"], preview.lines


def test_preview_names_new_changed_and_errors_and_writes_nothing() -> None:
    w = make_world()
    before = list(Kedjerad.objects.values_list("pk", "aktivitet", "prestation"))
    content = _csv(
        "I Borås ska alla ha utbildning på gymnasienivå,Individer återgår,Ny prestation,Uppsökande verksamhet,ALF,2026-03 – 2026-12,\n"
        'Målområdet som helhet,Mål,Verktyg,Helt ny aktivitet,"SKA och ALF, berörda förvaltningar",löpande,"Två tjänster, 50 000 kr"\n'
        ",,,,XYZ,,\n"
        "Okänd effekt,,,Tredje,QQQ,mars 20x6,\n"
        "Boendes effekt,,,Fjärde,ALF,,\n"
    )
    LangsiktigEffekt.objects.create(malomrade=w.other_area, text="Boendes effekt")
    preview = preview_import(read_table(content, "kedja.csv"), w.area)
    kinds = [(line.number, line.kind) for line in preview.lines]
    assert kinds == [(2, "ändrad"), (3, "ny"), (4, "fel"), (5, "fel"), (6, "fel")]
    changes = dict((c, (b, a)) for c, b, a in preview.lines[0].changes)
    assert (
        changes["Prestation"] == ("Prestation 7", "Ny prestation")
        or changes["Prestation"][1] == "Ny prestation"
    )
    assert changes["Tid"][1] == "mars 2026 – december 2026"
    assert ("Aktivitet", "Aktiviteten saknas.") in preview.lines[2].errors
    assert ("Ansvar", "Okänd organisationskod ”XYZ”.") in preview.lines[2].errors
    errors = dict(preview.lines[3].errors)
    assert errors["Ansvar"] == "Okänd organisationskod ”QQQ”."
    assert "Oläsligt datum" in errors["Tid"]
    assert preview.lines[4].errors == [
        ("Långsiktiga effekter", "”Boendes effekt” är en långsiktig effekt i målområdet Boende.")
    ]
    assert list(Kedjerad.objects.values_list("pk", "aktivitet", "prestation")) == before

    refused = import_table(table=read_table(content, "kedja.csv"), area=w.area)
    assert refused.errors
    assert list(Kedjerad.objects.values_list("pk", "aktivitet", "prestation")) == before


def test_import_writes_all_of_it_as_the_users_change() -> None:
    w = make_world()
    content = _csv(
        "I Borås ska alla ha utbildning på gymnasienivå,Individer återgår,Ny prestation,Uppsökande verksamhet,ALF,2026-03 – 2026-12,\n"
        'I Borås ska fler arbeta,Mål,Verktyg,Helt ny aktivitet,"SKA och ALF, berörda förvaltningar",löpande,"Två tjänster, 50 000 kr"\n'
    )
    result = import_table(table=read_table(content, "kedja.csv"), area=w.area)
    assert not result.errors and result.new_effects == ["I Borås ska fler arbeta"]
    new = Kedjerad.objects.for_display().get(aktivitet="Helt ny aktivitet")
    assert [o.kod for o in new.ansvariga_organisationer.all()] == ["SKA", "ALF"]
    assert (new.ansvar_kommentar, new.tid_kommentar, new.resurser, new.resurser_belopp) == (
        "berörda förvaltningar",
        "löpande",
        "Två tjänster",
        50000,
    )
    assert [e.text for e in new.langsiktiga_effekter.all()] == ["I Borås ska fler arbeta"]
    w.row.refresh_from_db()
    assert (w.row.prestation, str(w.row.start), str(w.row.slut)) == (
        "Ny prestation",
        "2026-03-01",
        "2026-12-01",
    )
    assert w.row.history.latest().history_type == "~"
    assert Kedjerad.objects.filter(pk=w.other_row.pk).exists()  # lines not in the file stay


def test_management_command(tmp_path: Path) -> None:
    w = make_world()
    good = tmp_path / "bra.csv"
    good.write_bytes(_csv("Målområdet som helhet,,,Ny rad från kommandot,ALF,,\n"))
    out = io.StringIO()
    call_command("import_effect_chain", str(good), "--area", "arbete", "--dry-run", stdout=out)
    assert "Rad 2: ny – Ny rad från kommandot" in out.getvalue()
    assert not Kedjerad.objects.filter(aktivitet="Ny rad från kommandot").exists()
    call_command("import_effect_chain", str(good), "--area", "arbete", stdout=io.StringIO())
    assert Kedjerad.objects.filter(aktivitet="Ny rad från kommandot", malomrade=w.area).exists()
    bad = tmp_path / "dalig.csv"
    bad.write_bytes(_csv(",,,,XYZ,,\n"))
    with pytest.raises(CommandError, match="Ingenting lästes in"):
        call_command("import_effect_chain", str(bad), "--area", "arbete", stdout=io.StringIO())
    with pytest.raises(CommandError, match="inget målområde"):
        call_command("import_effect_chain", str(good), "--area", "finns-inte", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Filen är inte ett kalkylblad"):
        empty = tmp_path / "bild.png"
        empty.write_bytes(b"\x89PNG")
        call_command("import_effect_chain", str(empty), "--area", "arbete", stdout=io.StringIO())


def _upload(client: Client, content: bytes, name: str = "kedja.csv") -> Any:
    return client.post("/omraden/arbete/import/", {"fil": SimpleUploadedFile(name, content)})


def test_upload_preview_and_confirm(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    assert "Läs in effektkedjan" in client.get("/omraden/arbete/import/").content.decode()
    content = _csv("Målområdet som helhet,Mål,Verktyg,Helt ny aktivitet,SKA,,\n")
    page = _upload(client, content).content.decode()
    assert "1 rad i filen:</strong> 1 ny, 0 ändrade, 0 oförändrade" in page
    assert "Bekräfta inläsningen (1 ny, 0 ändrade)" in page
    assert not Kedjerad.objects.filter(aktivitet="Helt ny aktivitet").exists()
    stored = Importfil.objects.get()
    done = client.post(f"/omraden/arbete/import/{stored.pk}/bekrafta/", follow=True)
    assert "Effektkedjan lästes in: 1 ny rad, 0 ändrade och 0 oförändrade." in done.content.decode()
    new = Kedjerad.objects.get(aktivitet="Helt ny aktivitet")
    assert new.history.latest().history_user == w.users["owner"]
    assert not Importfil.objects.exists()


def test_bad_files_and_errors_are_shown_and_nothing_is_written(client: Client) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    page = _upload(client, b"\x89PNG\r\n", "bild.png").content.decode()
    assert "Filen är inte ett kalkylblad." in page and 'aria-invalid="true"' in page
    assert "Välj en fil att läsa in." in client.post("/omraden/arbete/import/", {}).content.decode()
    page = _upload(client, _csv(",,,Rad med fel,XYZ,,\n")).content.decode()
    assert "Okänd organisationskod ”XYZ”." in page
    assert "ingenting har ändrats" in page and "Bekräfta inläsningen" not in page
    assert not Kedjerad.objects.filter(aktivitet="Rad med fel").exists()


def test_only_the_areas_editors_import_and_only_their_own_upload(client: Client) -> None:
    w = make_world()
    for role in ["official", "other_official", "member"]:
        client.force_login(w.users[role])
        assert client.get("/omraden/arbete/import/").status_code == 403
        assert _upload(client, _csv(",,,X,ALF,,\n")).status_code == 403
    client.force_login(w.users["owner"])
    _upload(client, _csv(",,,Först,ALF,,\n"))
    _upload(client, _csv(",,,X,ALF,,\n"))
    stored = Importfil.objects.get()  # the second upload replaced the first
    assert stored.filnamn == "kedja.csv"
    client.force_login(w.users["director"])
    assert client.post(f"/omraden/arbete/import/{stored.pk}/bekrafta/").status_code == 404
    assert client.get(f"/omraden/arbete/import/{stored.pk}/bekrafta/").status_code == 405
    client.logout()
    assert client.get("/omraden/arbete/import/")["Location"].startswith("/konto/logga-in/")


def test_confirming_after_someone_else_saved_shows_a_new_preview_and_overwrites_nothing(
    client: Client,
) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    export = client.get("/export/rader.csv?omrade=arbete").content
    edited = export.replace(b"Upps\xc3\xb6kande verksamhet", b"Uppsokande verksamhet 2.0")
    assert "1 ändrad" in _upload(client, edited).content.decode()
    stored = Importfil.objects.get()

    # Meanwhile an official saves a change to another row of the area.
    other = Client()
    other.force_login(w.users["director"])
    data = row_post_data(w.other_row, resurser="En ny tjänst")
    assert other.post(f"/rader/{w.other_row.pk}/andra/", data).status_code == 302

    page = client.post(f"/omraden/arbete/import/{stored.pk}/bekrafta/").content.decode()
    assert "Effektkedjan har ändrats sedan förhandsgranskningen" in page
    w.other_row.refresh_from_db()
    w.row.refresh_from_db()
    assert w.other_row.resurser == "En ny tjänst"  # not overwritten by the file
    assert w.row.aktivitet == "Uppsökande verksamhet"  # nothing imported yet
    # The new preview shows the file would now undo that change; confirming it is a
    # decision taken with the facts in view.
    assert "”En ny tjänst”" in page
    done = client.post(f"/omraden/arbete/import/{stored.pk}/bekrafta/", follow=True)
    assert "Effektkedjan lästes in" in done.content.decode()
    w.row.refresh_from_db()
    assert w.row.aktivitet == "Uppsokande verksamhet 2.0"


# --- Round trip: every row the forms accept survives export → import -----------------------

# Pieces that have broken, or could break, a cell's reading: formula starts and
# apostrophes, comments that look like dates, office codes or amounts, separators, line
# breaks and characters XML cannot hold.
TRICKY = [
    "=summa", "-10 %", "+46", "@här", "'", "''", "'=x", "Vårterminen 2027", "2027",
    "mars 2027", "från mars 2027", "till 2027-03", "2026-13", "mars 20x6", "ALF", "ALF och SKA",
    "XYZ", ", ", ",", "\n", "\r\n", "\r", ";", '"', "120 000 kr", "5 kr", "Målområdet som helhet",
    "_x0041_", "\x0b", " – ", "Samordnat", " ", "\t",
]  # fmt: skip
piece = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=6),
)
texts = st.lists(piece, max_size=5).map("".join)
months = st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31)).map(
    lambda d: d.replace(day=1)
)


@st.composite
def form_rows(draw: st.DrawFn) -> dict[str, Any]:
    """What the row form (KedjeradForm) could be sent: every field, any text."""
    start, end = draw(st.none() | months), draw(st.none() | months)
    if start and end and end < start:
        start, end = end, start
    activity = draw(texts)
    return {
        "kortsiktig_effekt": draw(texts),
        "prestation": draw(texts),
        "aktivitet": activity if activity.strip() else "Aktivitet",
        "ansvar_kommentar": draw(texts),
        "start": start.strftime("%Y-%m") if start else "",
        "slut": end.strftime("%Y-%m") if end else "",
        "tid_kommentar": draw(texts),
        "resurser": draw(texts),
        "resurser_belopp": draw(
            st.sampled_from(["", "0", "120000"]) | st.integers(0, 9223372036854775807).map(str)
        ),
        "samverkansniva": draw(st.sampled_from(["", "1", "2", "3", "4", "5"])),
        "organisationer": draw(
            st.permutations(["ALF", "SKA", "TEK"]).flatmap(
                lambda codes: st.integers(0, 3).map(lambda n: codes[:n])
            )
        ),
        "effekter": draw(st.sets(st.integers(0, 2))),
    }


def _snapshot(area: Malomrade) -> Any:
    rows = Kedjerad.objects.filter(malomrade=area).order_by("pk")
    return (
        [
            (
                {
                    name: getattr(r, name)
                    for name in [*Kedjerad.EDITABLE_FIELDS, "version", "ordning"]
                },
                list(
                    r.radansvar_set.order_by("ordning").values_list("organisation__kod", flat=True)
                ),
                sorted(r.langsiktiga_effekter.values_list("pk", flat=True)),
            )
            for r in rows
        ],
        list(LangsiktigEffekt.objects.filter(malomrade=area).values_list("pk", "text", "version")),
        Kedjerad.history.count(),
        LangsiktigEffekt.history.count(),
    )


@pytest.fixture
def world() -> Any:
    return make_world()


def _row(**fields: Any) -> dict[str, Any]:
    empty = {name: "" for name in Kedjerad.EDITABLE_FIELDS}
    return {**empty, "aktivitet": "Aktivitet", "organisationer": [], "effekter": set(), **fields}


# The cases of the issue: a time comment with a digit, and a bare year.
@example(
    rows=[_row(start="2027-01", slut="2027-06", tid_kommentar="Vårterminen 2027")],
    effect_texts=["Effekt", "Effekt 2"],
)
@example(rows=[_row(tid_kommentar="2027")], effect_texts=["Effekt", "Effekt 2"])
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(form_rows(), min_size=1, max_size=3),
    effect_texts=st.lists(texts, min_size=2, max_size=2),
)
def test_every_row_the_forms_accept_survives_export_and_import(
    world: Any, client: Client, rows: list[dict[str, Any]], effect_texts: list[str]
) -> None:
    """Export the area to xlsx and csv, import the file back: the preview shows zero
    changes, and confirming it changes nothing (not even a version or a history entry).
    The area also has a long-term effect that no row serves."""
    w = world
    with transaction.atomic():
        effects = [w.effect]
        for text in effect_texts:
            effect = LangsiktigEffekt(malomrade=w.area, text=text.strip() or "Effekt")
            save_effect(effect=effect)
            effects.append(effect)
        codes = {o.kod: o for o in Organisation.objects.all()}
        for data in rows:
            form = KedjeradForm(
                {
                    **data,
                    "organisationer": [codes[c].pk for c in data["organisationer"]],
                    "effekter": [effects[i].pk for i in data["effekter"]],
                },
                instance=Kedjerad(malomrade=w.area),
                area_id=w.area.pk,
            )
            assert form.is_valid(), form.errors
            save_row(
                row=form.save(commit=False),
                organisations=[codes[c] for c in data["organisationer"]],
                effects=form.cleaned_data["effekter"],
            )
        before = _snapshot(w.area)
        client.force_login(w.users["owner"])
        for fmt in ("xlsx", "csv"):
            content = client.get(f"/export/rader.{fmt}", {"omrade": "arbete"}).content
            table = read_table(content, f"export.{fmt}")
            preview = preview_import(table, w.area)
            assert [(line.kind, line.changes, line.errors) for line in preview.lines] == [
                ("oförändrad", [], []) for _ in range(len(rows) + 2)
            ], fmt
            assert (preview.new_effects, preview.missing) == ([], []), fmt
            assert not import_table(table=table, area=w.area).blocked
            assert _snapshot(w.area) == before, fmt
        transaction.set_rollback(True)


@given(
    start=st.none() | months,
    end=st.none() | months,
    comment=texts.map(str.strip),
)
@settings(max_examples=200, deadline=None)
def test_the_time_parser_reads_every_time_cell_the_export_writes(
    start: datetime.date | None, end: datetime.date | None, comment: str
) -> None:
    """With a month in the cell, the months and the comment come back exactly, whatever
    the comment says; without one, the cell is the comment unless it begins like a
    date (then the row's own values are kept, see the round trip above)."""
    if start and end and end < start:
        start, end = end, start
    row = Kedjerad(start=start, slut=end, tid_kommentar=comment)
    cell = formatting.time_text(row)
    if start or end:
        assert parse_time(cell) == (start, end, comment)
    elif not TIME_PREFIX.match(cell) and not BROKEN_DATE.match(cell):
        assert parse_time(cell) == (None, None, comment)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "januari 2027 – juni 2027, Vårterminen 2027",
            ("2027-01-01", "2027-06-01", "Vårterminen 2027"),
        ),
        ("2027", (None, None, "2027")),
        ("från mars 2026, löpande", ("2026-03-01", None, "löpande")),
        ("till 2026-12", (None, "2026-12-01", "")),
        ("2026-03 - 2026-12", ("2026-03-01", "2026-12-01", "")),
        ("från mars 2026 till juni 2026", ("2026-03-01", "2026-06-01", "")),
        ("Mars 2026 löpande", ("2026-03-01", None, "löpande")),
        ("maj–juni varje år", (None, None, "maj–juni varje år")),
    ],
)
def test_time_cells_people_write(cell: str, expected: tuple[Any, ...]) -> None:
    start, end, comment = parse_time(cell)
    assert (str(start) if start else None, str(end) if end else None, comment) == expected


@pytest.mark.parametrize("cell", ["mars 20x6", "2026-13", "från 2026/03", "03/2026", "mars 26"])
def test_a_date_that_cannot_be_read_is_an_error_in_swedish(cell: str) -> None:
    with pytest.raises(ValueError, match="Oläsligt datum"):
        parse_time(cell)


def test_an_edited_time_comment_with_a_digit_is_a_change_of_the_comment_only(
    client: Client,
) -> None:
    w = make_world()
    Kedjerad.objects.filter(pk=w.row.pk).update(
        start=datetime.date(2027, 1, 1),
        slut=datetime.date(2027, 6, 1),
        tid_kommentar="Vårterminen 2027",
    )
    client.force_login(w.users["owner"])
    export = client.get("/export/rader.csv", {"omrade": "arbete"}).content.decode("utf-8-sig")
    edited = export.replace("Vårterminen 2027", "Vårterminen 2028").encode()
    preview = preview_import(read_table(edited, "export.csv"), w.area)
    assert [(line.kind, line.changes) for line in preview.lines] == [
        (
            "ändrad",
            [
                (
                    "Tid",
                    "januari 2027 – juni 2027, Vårterminen 2027",
                    "januari 2027 – juni 2027, Vårterminen 2028",
                )
            ],
        ),
        ("oförändrad", []),
    ]


def test_apostrophes_and_formula_starts_round_trip_and_a_missing_column_changes_nothing(
    client: Client,
) -> None:
    w = make_world()
    Kedjerad.objects.filter(pk=w.row.pk).update(
        aktivitet="Uppsökande verksamhet",
        prestation="-10 %",
        kortsiktig_effekt="'citat'",
        samverkansniva=3,
    )
    Kedjerad.objects.filter(pk=w.other_row.pk).update(
        aktivitet="=summa", resurser="''två apostrofer", tid_kommentar="+46"
    )
    client.force_login(w.users["owner"])
    for fmt in ("xlsx", "csv"):
        content = client.get(f"/export/rader.{fmt}", {"omrade": "arbete"}).content
        preview = preview_import(read_table(content, f"export.{fmt}"), w.area)
        assert [line.kind for line in preview.lines] == ["oförändrad", "oförändrad"], fmt
    # A file with only some columns leaves the others alone (here the level, the
    # effects and the texts of the row).
    table = read_table("Aktivitet,Ansvar\nUppsökande verksamhet,ALF\n".encode(), "k.csv")
    assert [line.kind for line in preview_import(table, w.area).lines] == ["oförändrad"]


# --- Rows not in the file, and new lines that replace one ---------------------------------

EDITED = (
    "I Borås ska alla ha utbildning på gymnasienivå,,,"
    "Uppsökande verksamhet i samverkan med Arbetsförmedlingen,ALF,,\n"
)


def test_a_new_line_like_a_row_not_in_the_file_can_be_made_its_change() -> None:
    w = make_world()
    table = read_table(_csv(EDITED), "kedja.csv")
    preview = preview_import(table, w.area)
    [line] = preview.lines
    assert line.kind == "ny"
    assert [(c.pk, c.activity) for c in line.candidates] == [(w.row.pk, "Uppsökande verksamhet")]
    assert [(m.pk, m.remove, m.removable) for m in preview.missing] == [
        (w.row.pk, False, True),
        (w.other_row.pk, False, True),
    ]

    choices = ImportChoices(replaces={line.number: w.row.pk})
    preview = preview_import(table, w.area, choices)
    [line] = preview.lines
    assert (line.kind, line.replaces) == ("ändrad", w.row.pk)
    assert (
        "Aktivitet",
        "Uppsökande verksamhet",
        "Uppsökande verksamhet i samverkan med Arbetsförmedlingen",
    ) in line.changes
    assert [m.pk for m in preview.missing] == [w.other_row.pk]

    count = Kedjerad.objects.count()
    result = import_table(table=table, area=w.area, choices=choices)
    assert not result.blocked
    w.row.refresh_from_db()
    assert w.row.aktivitet == "Uppsökande verksamhet i samverkan med Arbetsförmedlingen"
    assert Kedjerad.objects.count() == count  # no second row
    assert w.row.history.latest().history_type == "~"
    assert Kedjerad.objects.filter(pk=w.other_row.pk).exists()  # kept: not chosen


def test_only_rows_of_the_same_effect_with_a_similar_activity_are_offered() -> None:
    w = make_world()
    lines = (
        "Målområdet som helhet,,,Uppsökande verksamhet i samverkan,ALF,,\n"  # other effect
        "I Borås ska alla ha utbildning på gymnasienivå,,,Helt annat arbete,ALF,,\n"
    )
    preview = preview_import(read_table(_csv(lines), "kedja.csv"), w.area)
    assert [line.candidates for line in preview.lines] == [[], []]
    assert similarity("Uppsökande verksamhet", "Uppsökande verksamhet i samverkan med AF") == 1.0
    assert similarity("Uppsökande verksamhet", "Helt annat arbete") < 0.6


def test_rows_not_in_the_file_are_removed_only_when_chosen_and_never_with_closed_reports() -> None:
    w = make_world()
    table = read_table(
        _csv("Målområdet som helhet,,,Översyn av styrande dokument,SKA,,\n"), "k.csv"
    )
    assert import_table(table=table, area=w.area).removed == []
    assert Kedjerad.objects.filter(pk=w.row.pk).exists()

    Lagesrapport.objects.create(
        rad=w.row, period=w.closed_period, status="pagar", bedomning="enligt_plan"
    )
    preview = preview_import(table, w.area, ImportChoices(remove={w.row.pk}))
    assert preview.missing[0].closed_periods == [w.closed_period.namn]
    assert preview.blocked and "kan inte tas bort" in preview.choice_errors[0]
    Lagesrapport.objects.all().delete()

    result = import_table(table=table, area=w.area, choices=ImportChoices(remove={w.row.pk}))
    assert [m.pk for m in result.removed] == [w.row.pk]
    assert not Kedjerad.objects.filter(pk=w.row.pk).exists()
    assert Kedjerad.history.filter(id=w.row.pk).latest().history_type == "-"


def test_choices_that_cannot_be_kept_write_nothing() -> None:
    w = make_world()
    twice = EDITED + EDITED.replace("Arbetsförmedlingen", "AF")
    table = read_table(_csv(twice), "kedja.csv")
    before = list(Kedjerad.objects.values_list("pk", "aktivitet", "version"))
    result = import_table(
        table=table, area=w.area, choices=ImportChoices(replaces={2: w.row.pk, 3: w.row.pk})
    )
    assert (
        result.blocked
        and "båda valda som ändring av ”Uppsökande verksamhet”" in result.choice_errors[0]
    )
    result = import_table(
        table=table,
        area=w.area,
        choices=ImportChoices(replaces={2: w.row.pk}, remove={w.row.pk}),
    )
    assert result.blocked and "kan inte både tas bort och ändras" in result.choice_errors[0]
    result = import_table(
        table=table, area=w.area, choices=ImportChoices(replaces={2: w.other_row.pk})
    )
    assert result.blocked and "kan inte längre vara en ändring" in result.choice_errors[0]
    assert list(Kedjerad.objects.values_list("pk", "aktivitet", "version")) == before


def test_the_preview_page_offers_the_choices_and_confirming_carries_them_out(
    client: Client,
) -> None:
    w = make_world()
    client.force_login(w.users["owner"])
    page = _upload(client, _csv(EDITED)).content.decode()
    assert "Finns inte i filen" in page
    assert f'name="ta_bort" value="{w.row.pk}"' in page
    assert "Ändring av ”Uppsökande verksamhet”" in page
    stored = Importfil.objects.get()
    url = f"/omraden/arbete/import/{stored.pk}/bekrafta/"
    choice = {"ersatt-2": str(w.row.pk), "ta_bort": [str(w.other_row.pk)]}

    # Only the area's editors, and only their own upload.
    for role in ["official", "member"]:
        other = Client()
        other.force_login(w.users[role])
        assert other.post(url, choice).status_code == 403

    page = client.post(url, {**choice, "atgard": "visa"}).content.decode()
    assert "1 ändrad" in page and "1 av dem tas bort" in page
    assert Kedjerad.objects.filter(pk=w.other_row.pk).exists()  # only shown

    done = client.post(url, {**choice, "atgard": "bekrafta"}, follow=True).content.decode()
    assert "Effektkedjan lästes in: 0 nya rader, 1 ändrad, 1 borttagen och 0 oförändrade." in done
    w.row.refresh_from_db()
    assert w.row.aktivitet.endswith("i samverkan med Arbetsförmedlingen")
    assert w.row.history.latest().history_user == w.users["owner"]
    assert not Kedjerad.objects.filter(pk=w.other_row.pk).exists()
    assert Kedjerad.objects.filter(malomrade=w.area).count() == 1
