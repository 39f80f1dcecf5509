"""Reading uploaded spreadsheets: the layouts people have, and every bad file refused with
a clear Swedish message."""

import io
from collections.abc import Callable

import openpyxl
import pytest

from effektkedjor.spreadsheets.reading import (
    MAX_BYTES,
    MAX_LINES,
    ImportFileError,
    normalise_heading,
    read_table,
)

SEED_HEADINGS = [
    "Långsiktiga effekter",
    "Kortsiktiga effekter",
    "Prestation",
    "Aktivitet",
    "Ansvar",
    "Tid",
    "Resurser",
]


def _xlsx(build: Callable[[openpyxl.Workbook], None]) -> bytes:
    book = openpyxl.Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_headings_are_matched_loosely() -> None:
    assert normalise_heading("  Långsiktiga   EFFEKTER: ") == "langsiktiga effekter"
    assert normalise_heading("Langsiktiga effekter") == "langsiktiga effekter"
    assert normalise_heading("Status (Helår 2026)") == "status"


def test_seed_layout_with_title_lines_merged_cells_and_several_sheets() -> None:
    def build(book: openpyxl.Workbook) -> None:
        notes = book.active
        notes.title = "Anteckningar"
        notes["A1"] = "Här står inga rubriker"
        sheet = book.create_sheet("Effektkedja")
        sheet["A1"] = "Förutsättningar för arbete"
        sheet["A2"] = "Effektkedja 2026"
        sheet.append(
            [
                "langsiktiga effekter:",
                "KORTSIKTIGA EFFEKTER",
                "Prestation",
                "Aktivitet",
                "Ansvar:",
                "Tid",
                "Resurser",
                "Egen kolumn",
            ]
        )
        sheet.append(
            [
                "I Borås ska alla ha utbildning på gymnasienivå",
                "Individer återgår",
                "Identifiera",
                "Uppsökande verksamhet",
                "GVUF, ALF",
                "",
                "",
                "x",
            ]
        )
        sheet.append(
            [None, "Mer effektiva insatser", "Tydlig bild", "Kartlägga utbudet", "ALF", "", "", ""]
        )
        sheet.append([])
        sheet.append(
            [
                "I Borås ska alla finnas i arbete",
                "Fler i arbete",
                "Kunskap",
                "Utöka samhällsinformation",
                "ALF och AF",
                "",
                "",
                "",
            ]
        )
        sheet.merge_cells("A4:A5")

    table = read_table(_xlsx(build), "kedja.xlsx")
    assert table.sheet == "Effektkedja"
    assert table.columns == SEED_HEADINGS
    assert table.ignored_columns == ["Egen kolumn"]
    assert [line.number for line in table.lines] == [4, 5, 7]
    assert [line.values["Långsiktiga effekter"] for line in table.lines] == [
        "I Borås ska alla ha utbildning på gymnasienivå",
        "I Borås ska alla ha utbildning på gymnasienivå",
        "I Borås ska alla finnas i arbete",
    ]
    assert table.lines[2].values["Ansvar"] == "ALF och AF"


def test_effect_written_once_and_blank_below_in_csv() -> None:
    content = (
        "Långsiktiga effekter,Kortsiktiga effekter,Prestation,Aktivitet,Ansvar,Tid,Resurser\n"
        "I Borås ska det inte finnas några utsatta områden,Mål,Kunskap,"
        'Segregationsindex,"FOF, SKA",,\n'
        ",Planering,Verktyg,Översyn styrande dokument,SBF,,\n"
    ).encode("utf-8-sig")
    table = read_table(content, "kedja.csv")
    assert table.sheet is None
    assert (
        table.lines[1].values["Långsiktiga effekter"]
        == "I Borås ska det inte finnas några utsatta områden"
    )
    assert table.lines[1].values["Aktivitet"] == "Översyn styrande dokument"
    assert table.lines[0].values["Ansvar"] == "FOF, SKA"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("separator", [",", ";"])
def test_csv_encodings_and_separators(encoding: str, separator: str) -> None:
    text = separator.join(["Aktivitet", "Ansvar", "Prestation"]) + "\r\n"
    text += separator.join(["Utöka samhällsinformation", "ALF", "Målgruppen nås"]) + "\r\n"
    table = read_table(text.encode(encoding), "export från excel.csv")
    assert table.lines[0].values == {
        "Aktivitet": "Utöka samhällsinformation",
        "Ansvar": "ALF",
        "Prestation": "Målgruppen nås",
    }


BAD_FILES = [
    (b"", "kedja.csv", "Filen är tom."),
    (b";;;\n;;\n", "kedja.csv", "Filen är tom: den innehåller inga värden."),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "bild.png", "Filen är inte ett kalkylblad."),
    (
        b"PK\x03\x04 inte alls en zip",
        "kedja.xlsx",
        "Filen kunde inte läsas som ett Excel-kalkylblad",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptionInfo".encode("utf-16-le"),
        "kedja.xlsx",
        "Filen är lösenordsskyddad.",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
        "kedja.xls",
        "Filen är i det gamla xls-formatet.",
    ),
    (b"Namn,Telefon\nOlle,123\n", "kedja.csv", "Hittade ingen rubrikrad."),
    (b"x" * (MAX_BYTES + 1), "kedja.csv", "Filen är för stor"),
    (
        ("Aktivitet,Ansvar\n" + "Rad,ALF\n" * (MAX_LINES + 30)).encode(),
        "kedja.csv",
        "Högst 5000 rader",
    ),
]


@pytest.mark.parametrize(
    ("content", "name", "message"), BAD_FILES, ids=[b[2][:30] for b in BAD_FILES]
)
def test_bad_files_are_refused_with_a_clear_message(
    content: bytes, name: str, message: str
) -> None:
    with pytest.raises(ImportFileError) as error:
        read_table(content, name)
    assert message in str(error.value)


def test_an_xlsx_with_too_many_lines_is_refused() -> None:
    def build(book: openpyxl.Workbook) -> None:
        sheet = book.active
        sheet.append(["Aktivitet", "Ansvar"])
        for i in range(MAX_LINES + 1):
            sheet.append([f"Rad {i}", "ALF"])

    with pytest.raises(ImportFileError, match="Högst 5000 rader"):
        read_table(_xlsx(build), "stor.xlsx")
