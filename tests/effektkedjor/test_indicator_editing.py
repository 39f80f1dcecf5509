"""Editing indicators (issue 13): adding and changing an indicator, the Kolada KPI search
(against the loopback fake Kolada of test_kolada.py), versions and permissions."""

import datetime
import io
import socket
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from effektkedjor.models import Hamtning, Indikator, Indikatorvarde
from tests.builders import make_effect
from tests.effektkedjor.test_kolada import Answer, FakeKolada, row
from tests.personas import World, make_world

pytestmark = pytest.mark.django_db

SEARCH = "kpi?title=gymnasie"
META = {
    "id": "N15428",
    "title": "Elever i åk 9 som är behöriga till yrkesprogram, hemkommun, andel (%)",
    "description": "Andel elever i årskurs 9 som är behöriga till ett yrkesprogram.",
    "is_divided_by_gender": True,
}


@pytest.fixture
def kolada() -> Iterator[FakeKolada]:
    """test_kolada.py's fake Kolada on loopback."""
    fake = FakeKolada()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()


def _post(w: World, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "namn": "Behöriga till yrkesprogram",
        "kalla": "kolada",
        "kolada_kpi": "n15428",
        "kommun": "1490",
        "ou": "",
        "kalla_text": "",
        "enhet": "procent",
        "riktning": "hogre",
        "baslinje_ar": "2024",
        "baslinje_varde": "84,5",
        "baslinje_kommentar": "",
        "mal_ar": "2030",
        "mal_varde": "90",
        "marginal": "2",
        "beskrivning": "Andel av eleverna.",
        "ansvarig": w.alf.pk,
        "effekter": [w.effect.pk],
        "version": "",
    }
    data.update(changes)
    return data


def _logged_in(client: Client, w: World, who: str = "owner") -> Client:
    client.force_login(w.users[who])
    return client


def test_an_area_owner_adds_an_indicator_for_a_long_term_effect(client: Client) -> None:
    w = make_world()
    response = _logged_in(client, w).post(
        reverse("effektkedjor:indikator_ny", args=[w.area.slug]), _post(w)
    )
    assert response.status_code == 302
    ind = Indikator.objects.get()
    assert (ind.malomrade, ind.kolada_kpi, ind.baslinje_varde, ind.mal_ar) == (
        w.area,
        "N15428",
        Decimal("84.5"),
        2030,
    )
    assert list(ind.effekter.all()) == [w.effect] and ind.ansvarig == w.alf
    entry = ind.history.get()
    assert entry.history_type == "+" and entry.history_user == w.users["owner"]
    assert [e.langsiktigeffekt_id for e in entry.effekter.all()] == [w.effect.pk]


def test_only_the_areas_effects_are_offered_and_accepted(client: Client) -> None:
    w = make_world()
    foreign = make_effect(w.other_area, text="Alla har ett tryggt boende")
    page = _logged_in(client, w).get(reverse("effektkedjor:indikator_ny", args=[w.area.slug]))
    assert w.effect.text in page.content.decode()
    assert foreign.text not in page.content.decode()
    response = client.post(
        reverse("effektkedjor:indikator_ny", args=[w.area.slug]),
        _post(w, effekter=[foreign.pk]),
    )
    assert response.status_code == 200
    assert "Välj bland målområdets långsiktiga effekter." in response.content.decode()
    assert not Indikator.objects.exists()


def test_the_form_says_in_swedish_what_is_wrong(client: Client) -> None:
    w = make_world()
    response = _logged_in(client, w).post(
        reverse("effektkedjor:indikator_ny", args=[w.area.slug]),
        _post(w, namn=" ", kolada_kpi="", baslinje_varde="mycket", mal_ar="2020"),
    )
    page = response.content.decode()
    for message in (
        "Ge nyckeltalet ett namn.",
        "Ett nyckeltal från Kolada behöver ett KPI-id",
        "Ange utgångsläget som ett tal",
        "Målåret ligger före utgångslägets år.",
    ):
        assert message in page
    assert not Indikator.objects.exists()


def test_editing_from_an_old_version_keeps_the_other_persons_change(client: Client) -> None:
    w = make_world()
    ind = Indikator.objects.create(malomrade=w.area, namn="Arbetslösa 18–24", kalla="manuell")
    url = reverse("effektkedjor:indikator_andra", args=[ind.pk])
    _logged_in(client, w, "director").post(url, _post(w, namn="Först", version=ind.version))
    ind.refresh_from_db()
    assert (ind.namn, ind.version) == ("Först", 2)
    # The owner's form was opened on version 1.
    response = _logged_in(client, w).post(url, _post(w, namn="Sedan", version=1))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Någon annan har ändrat nyckeltalet" in page and 'value="2"' in page
    ind.refresh_from_db()
    assert ind.namn == "Först"
    # Pressing Spara again saves on top of it.
    client.post(url, _post(w, namn="Sedan", version=2))
    ind.refresh_from_db()
    assert (ind.namn, ind.version) == ("Sedan", 3)
    assert ind.history.count() == 3  # created, then the two saves


def test_search_kolada_by_title_without_javascript_and_with_htmx(
    client: Client, kolada: FakeKolada, settings: Any
) -> None:
    settings.KOLADA_BASE_URL = kolada.base
    kolada.on(
        SEARCH,
        Answer(
            body={
                "count": 2,
                "values": [
                    META,
                    {"id": "N17461", "title": "Gymnasieelever med examen inom 4 år, andel (%)"},
                ],
            }
        ),
    )
    w = make_world()
    url = reverse("effektkedjor:indikator_ny", args=[w.area.slug])
    page = _logged_in(client, w).get(url, {"sok": "gymnasie"}).content.decode()
    assert "2 träffar för ”gymnasie”" in page and "Källa: Kolada" in page
    assert f'href="{url}?kpi=N15428"' in page and "uppdelat på kön" in page
    assert '<form method="post"' in page  # the form is there too
    fragment = client.get(url, {"sok": "gymnasie"}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "<html" not in text and 'id="kpi-traffar"' in text and "N17461" in text
    assert "/v3/" + SEARCH in kolada.requests


def test_picking_a_kpi_fills_title_description_unit_and_gender_split(
    client: Client, kolada: FakeKolada, settings: Any
) -> None:
    settings.KOLADA_BASE_URL = kolada.base
    kolada.on("kpi/N15428", Answer(body={"count": 1, "values": [META]}))
    w = make_world()
    url = reverse("effektkedjor:indikator_ny", args=[w.area.slug])
    response = _logged_in(client, w).get(url, {"kpi": "n15428"})
    form = response.context["form"]
    assert form.initial["namn"] == META["title"]
    assert form.initial["beskrivning"] == META["description"]
    assert (form.initial["enhet"], form.initial["kon_uppdelat"]) == ("procent", True)
    assert (form.initial["kalla"], form.initial["kolada_kpi"]) == ("kolada", "N15428")
    assert "Uppgifterna från Kolada för N15428 är ifyllda" in response.content.decode()
    assert not Indikator.objects.exists()  # nothing saved until the user saves


def test_an_unknown_kpi_is_said_plainly(client: Client, kolada: FakeKolada, settings: Any) -> None:
    settings.KOLADA_BASE_URL = kolada.base
    kolada.on("kpi/N99999", Answer(body={"count": 0, "values": []}))
    w = make_world()
    url = reverse("effektkedjor:indikator_ny", args=[w.area.slug])
    page = _logged_in(client, w).get(url, {"kpi": "N99999"}).content.decode()
    assert "Kolada känner inte till något nyckeltal med id N99999." in page


def test_without_kolada_the_page_says_so_and_the_form_still_works(
    client: Client, settings: Any
) -> None:
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.KOLADA_BASE_URL = f"http://127.0.0.1:{port}/v3"
    w = make_world()
    url = reverse("effektkedjor:indikator_ny", args=[w.area.slug])
    page = _logged_in(client, w).get(url, {"sok": "gymnasie"}).content.decode()
    assert "Kolada gick inte att nå just nu" in page
    assert "fylla i nyckeltalet för hand" in page
    assert client.post(url, _post(w)).status_code == 302
    assert Indikator.objects.get().kolada_kpi == "N15428"


@pytest.mark.parametrize(
    ("who", "area", "status"),
    [
        ("director", "boende", 200),
        ("owner", "arbete", 200),
        ("owner", "boende", 403),
        ("official", "arbete", 403),
        ("other_official", "arbete", 403),
        ("member", "arbete", 403),
    ],
)
def test_who_may_add_and_change_indicators(
    client: Client, who: str, area: str, status: int
) -> None:
    w = make_world()
    target = w.area if area == "arbete" else w.other_area
    ind = Indikator.objects.create(malomrade=target, namn="Valdeltagande", kalla="manuell")
    _logged_in(client, w, who)
    new = reverse("effektkedjor:indikator_ny", args=[target.slug])
    edit = reverse("effektkedjor:indikator_andra", args=[ind.pk])
    assert client.get(new).status_code == status
    assert client.get(edit).status_code == status
    data = _post(w, namn="Ändrat", effekter=[], version=ind.version)
    expected = 302 if status == 200 else 403
    assert client.post(edit, data).status_code == expected
    assert client.post(new, data).status_code == expected
    ind.refresh_from_db()
    assert (ind.namn == "Ändrat") == (status == 200)
    assert Indikator.objects.count() == (2 if status == 200 else 1)


def test_signed_out_people_are_sent_to_sign_in(client: Client) -> None:
    w = make_world()
    response = client.get(reverse("effektkedjor:indikator_ny", args=[w.area.slug]))
    assert response.status_code == 302 and "logga-in" in response["Location"]


# Values entered by hand


def _manual(w: World) -> Indikator:
    return Indikator.objects.create(
        malomrade=w.area, namn="Trygghet i Norrby", kalla="manuell", kalla_text="Norrbyenkäten"
    )


def test_an_owner_enters_and_corrects_a_value_by_hand(client: Client) -> None:
    w = make_world()
    ind = _manual(w)
    url = reverse("effektkedjor:indikator_varden", args=[ind.pk])
    _logged_in(client, w)
    response = client.post(url, {"ar": "2025", "period": " T1 ", "kon": "K", "varde": "61,5"})
    assert response.status_code == 302
    value = ind.varden.get()
    assert (value.ar, value.period, value.kon, value.varde) == (2025, "T1", "K", Decimal("61.5"))
    assert value.inmatad_av == w.users["owner"] and value.kalla == "manuell"
    first_time = value.hamtad
    # The same year, period and gender again: the figure changes, the history keeps both.
    client.post(url, {"ar": "2025", "period": "T1", "kon": "K", "varde": "63"})
    value.refresh_from_db()
    assert value.varde == Decimal(63) and ind.varden.count() == 1
    assert value.hamtad >= first_time
    assert [h.varde for h in value.history.order_by("history_id")] == [Decimal("61.5"), 63]
    assert value.history.latest().history_change_reason == "Inmatat för hand"
    page = client.get(url).content.decode()
    assert "Owner" in page and "63" in page and "Kvinnor" in page
    # Opening the form on a value fills it in.
    form = client.get(url, {"varde": value.pk}).context["form"]
    assert (form.initial["ar"], form.initial["period"], form.initial["kon"]) == (2025, "T1", "K")


def test_a_value_form_says_what_is_wrong(client: Client) -> None:
    w = make_world()
    ind = _manual(w)
    url = reverse("effektkedjor:indikator_varden", args=[ind.pk])
    page = (
        _logged_in(client, w).post(url, {"ar": "25", "kon": "X", "varde": "många"}).content.decode()
    )
    assert "Ange ett år mellan 1900 och 2100." in page
    assert "Ange värdet som ett tal, till exempel 12,5." in page
    assert "Välj ett giltigt alternativ" in page or "X är inte ett av" in page
    assert not ind.varden.exists()


def test_kolada_values_are_not_entered_by_hand(client: Client) -> None:
    w = make_world()
    ind = Indikator.objects.create(
        malomrade=w.area, namn="Behöriga", kalla="kolada", kolada_kpi="N15428"
    )
    url = reverse("effektkedjor:indikator_varden", args=[ind.pk])
    page = _logged_in(client, w).post(url, {"ar": "2025", "kon": "T", "varde": "1"})
    assert "hämtas från Kolada och matas inte in för hand" in page.content.decode()
    assert not ind.varden.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("director", 200), ("owner", 200), ("official", 403), ("member", 403)],
)
def test_who_may_enter_values(client: Client, who: str, status: int) -> None:
    w = make_world()
    ind = _manual(w)
    url = reverse("effektkedjor:indikator_varden", args=[ind.pk])
    _logged_in(client, w, who)
    assert client.get(url).status_code == status
    response = client.post(url, {"ar": "2025", "kon": "T", "varde": "1"})
    assert response.status_code == (302 if status == 200 else 403)
    assert ind.varden.exists() == (status == 200)


# Importing values from a file


def _upload(client: Client, w: World, content: bytes, name: str = "varden.csv") -> Any:
    url = reverse("effektkedjor:indikator_import", args=[w.area.slug])
    return client.post(url, {"fil": SimpleUploadedFile(name, content)})


def _confirm(client: Client, w: World, response: Any) -> Any:
    url = reverse("effektkedjor:indikator_import", args=[w.area.slug])
    return client.post(url, {"data": response.context["data"]})


def test_a_file_of_values_is_previewed_then_imported_all_at_once(client: Client) -> None:
    w = make_world()
    ind = _manual(w)
    Indikatorvarde.objects.create(indikator=ind, ar=2023, varde=Decimal(50))
    Indikatorvarde.objects.create(indikator=ind, ar=2024, varde=Decimal(52))
    content = (
        "Nyckeltal;År;Kön;Värde\n"
        "Trygghet i Norrby;2023;;50\n"  # unchanged
        "trygghet i norrby;2024;T;53,5\n"  # changed (name without regard to case)
        f"{ind.pk};2025;kvinnor;55\n"  # new, by the indicator's number
    ).encode()
    _logged_in(client, w)
    preview = _upload(client, w, content)
    page = preview.content.decode()
    assert "1 nya värden, 1 ändrade, 1 oförändrade, 0 med fel." in page
    assert "Ändrad (var 52)" in page and "Läs in värdena" in page
    assert ind.varden.count() == 2  # nothing written yet
    response = _confirm(client, w, preview)
    assert response.status_code == 302
    assert [(v.ar, v.kon, v.varde) for v in ind.varden.order_by("ar", "kon")] == [
        (2023, "T", Decimal(50)),
        (2024, "T", Decimal("53.5")),
        (2025, "K", Decimal(55)),
    ]
    new = ind.varden.get(ar=2025)
    assert new.inmatad_av == w.users["owner"]
    assert new.history.latest().history_change_reason == "Inläst från kalkylblad"


def test_errors_are_listed_in_swedish_with_row_numbers_and_nothing_is_imported(
    client: Client,
) -> None:
    w = make_world()
    _manual(w)
    Indikator.objects.create(malomrade=w.area, namn="Behöriga", kalla="kolada", kolada_kpi="N1")
    content = (
        "Uppföljning av Norrby\n"
        "Nyckeltal,År,Kön,Värde\n"
        "Trygghet i Norrby,2025,T,55\n"
        "Okänt nyckeltal,2025,T,1\n"
        "Trygghet i Norrby,tjugo,T,1\n"
        "Trygghet i Norrby,2024,X,1\n"
        "Trygghet i Norrby,2023,T,mycket\n"
        "Behöriga,2025,T,80\n"
        "Trygghet i Norrby,2025,T,56\n"
    ).encode()
    preview = _upload(_logged_in(client, w), w, content)
    lines = {line.number: line for line in preview.context["forhands"].lines}
    assert lines[3].kind == "ny"
    assert lines[4].errors == [
        "Det finns inget nyckeltal ”Okänt nyckeltal” i Förutsättningar för arbete."
    ]
    assert "Året ”tjugo” går inte att läsa" in lines[5].errors[0]
    assert "Könet ”X” går inte att läsa" in lines[6].errors[0]
    assert "Värdet ”mycket” är inget tal" in lines[7].errors[0]
    assert "hämtas från Kolada" in lines[8].errors[0]
    assert lines[9].errors == ["Samma nyckeltal, år, period och kön står redan på rad 3 i filen."]
    page = preview.content.decode()
    assert "Läs in värdena" not in page and "Filen har fel" in page
    # A confirmation of the erroneous preview (sent anyway) imports nothing.
    assert _confirm(client, w, preview).status_code == 200
    assert not Indikatorvarde.objects.exists()


def test_an_xlsx_file_is_read_too(client: Client) -> None:
    import io

    import openpyxl

    w = make_world()
    ind = _manual(w)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Norrby"
    sheet.append(["Nyckeltal", "År", "Period", "Kön", "Värde"])
    sheet.append(["Trygghet i Norrby", 2025, "T1", "M", 48.5])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = _upload(_logged_in(client, w), w, buffer.getvalue(), "norrby.xlsx")
    assert "Läste bladet <strong>Norrby</strong>" in preview.content.decode()
    _confirm(client, w, preview)
    value = ind.varden.get()
    assert (value.ar, value.period, value.kon, value.varde) == (2025, "T1", "M", Decimal("48.5"))


def test_values_saved_after_the_preview_stop_the_import(client: Client) -> None:
    w = make_world()
    ind = _manual(w)
    preview = _upload(_logged_in(client, w), w, b"Nyckeltal;Ar;Varde\nTrygghet i Norrby;2025;55\n")
    Indikatorvarde.objects.create(indikator=ind, ar=2025, varde=Decimal(40))
    again = _confirm(client, w, preview)
    assert again.status_code == 200
    assert "Värdena har ändrats sedan förhandsgranskningen" in again.content.decode()
    assert ind.varden.get().varde == Decimal(40)
    # Confirming the new preview imports it.
    assert _confirm(client, w, again).status_code == 302
    assert ind.varden.get().varde == Decimal(55)


def test_a_tampered_or_foreign_preview_is_refused(client: Client) -> None:
    w = make_world()
    _manual(w)
    preview = _upload(_logged_in(client, w), w, b"Nyckeltal;Ar;Varde\nTrygghet i Norrby;2025;55\n")
    url = reverse("effektkedjor:indikator_import", args=[w.area.slug])
    response = client.post(url, {"data": preview.context["data"] + "x"})
    assert response.status_code == 302 and not Indikatorvarde.objects.exists()
    _logged_in(client, w, "director")  # another editor cannot confirm the owner's preview
    assert client.post(url, {"data": preview.context["data"]}).status_code == 403
    assert not Indikatorvarde.objects.exists()


def test_a_file_without_the_headings_is_explained(client: Client) -> None:
    w = make_world()
    response = _upload(_logged_in(client, w), w, b"Namn;Siffra\nA;1\n")
    assert "Filen behöver en rad med rubrikerna ”Nyckeltal”, ”År” och ”Värde”" in (
        response.content.decode()
    )


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("official", 403), ("member", 403)])
def test_who_may_import_values(client: Client, who: str, status: int) -> None:
    w = make_world()
    _manual(w)
    _logged_in(client, w, who)
    url = reverse("effektkedjor:indikator_import", args=[w.area.slug])
    assert client.get(url).status_code == status
    response = _upload(client, w, b"Nyckeltal;Ar;Varde\nTrygghet i Norrby;2025;55\n")
    assert response.status_code == status


# Starting a fetch from the application


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
def test_the_programme_management_starts_a_fetch_and_follows_it(
    client: Client, kolada: FakeKolada, settings: Any
) -> None:
    settings.KOLADA_BASE_URL = kolada.base
    w = make_world()
    year = datetime.date.today().year
    ind = Indikator.objects.create(
        malomrade=w.area, namn="Behöriga", kalla="kolada", kolada_kpi="N15428", baslinje_ar=year
    )
    kolada.kpi("N15428")
    kolada.on(
        f"data/kpi/N15428/municipality/1490/year/{year}",
        Answer(body={"count": 1, "values": [row("N15428", year, ("T", 84.1), ("K", 86.0))]}),
    )
    _logged_in(client, w, "director")
    assert "Hämta från Kolada nu" in client.get(reverse("effektkedjor:hamtningar")).content.decode()
    response = client.post(reverse("effektkedjor:hamtningar"))
    log = Hamtning.objects.get()
    assert response["Location"] == reverse("effektkedjor:hamtning", args=[log.pk])
    assert DBTaskResult.objects.count() == 1  # queued for the worker
    waiting = client.get(response["Location"]).content.decode()
    assert "Väntar på att starta" in waiting and 'hx-trigger="every 2s"' in waiting
    # Pressing the button again follows the fetch under way instead of starting another.
    again = client.post(reverse("effektkedjor:hamtningar"))
    assert again["Location"] == response["Location"] and Hamtning.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    log.refresh_from_db()
    assert log.lyckades and (log.antal_varden, log.antal_andrade) == (2, 2)
    assert log.startad_av == w.users["director"] and "N15428" in log.vad
    assert sorted((v.kon, v.varde) for v in ind.varden.all()) == [
        ("K", Decimal("86.00")),
        ("T", Decimal("84.10")),
    ]
    done = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in done and "Klar: 2 värden, varav 2 nya eller ändrade" in done
    assert "every 2s" not in done and "Källa: Kolada" in done


@pytest.mark.django_db(transaction=True)
def test_a_fetch_without_kolada_shows_the_swedish_message(client: Client, settings: Any) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.KOLADA_BASE_URL = f"http://127.0.0.1:{port}/v3"
    w = make_world()
    Indikator.objects.create(malomrade=w.area, namn="Behöriga", kalla="kolada", kolada_kpi="N1")
    _logged_in(client, w, "director")
    response = client.post(reverse("effektkedjor:hamtningar"))
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    page = client.get(response["Location"]).content.decode()
    assert "Misslyckades:" in page and "Kunde inte nå Kolada" in page and "Inget ändrades" in page
    listing = client.get(reverse("effektkedjor:hamtningar")).content.decode()
    assert "Misslyckades:" in listing


@pytest.mark.parametrize("who", ["owner", "official", "member"])
def test_only_the_programme_management_fetches(client: Client, who: str) -> None:
    w = make_world()
    log = Hamtning.objects.create(vad="N15428, 2024–2025, från Kolada")
    _logged_in(client, w, who)
    assert client.get(reverse("effektkedjor:hamtningar")).status_code == 403
    assert client.post(reverse("effektkedjor:hamtningar")).status_code == 403
    assert client.get(reverse("effektkedjor:hamtning", args=[log.pk])).status_code == 403
    assert Hamtning.objects.count() == 1 and not DBTaskResult.objects.exists()


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_values_and_fetch_pages_cost_the_same_queries_at_any_size(client: Client) -> None:
    w = make_world()
    ind = _manual(w)
    _logged_in(client, w, "director")
    values = reverse("effektkedjor:indikator_varden", args=[ind.pk])
    fetches = reverse("effektkedjor:hamtningar")
    Indikatorvarde.objects.create(indikator=ind, ar=2020, varde=1, inmatad_av=w.users["owner"])
    Hamtning.objects.create(vad="N15428, 2024, från Kolada", startad_av=w.users["director"])
    small = (_queries(client, values), _queries(client, fetches))
    for year in range(2000, 2020):
        for kon in "TKM":
            Indikatorvarde.objects.create(
                indikator=ind, ar=year, kon=kon, varde=year, inmatad_av=w.users["member"]
            )
    for _ in range(15):
        Hamtning.objects.create(vad="N15428, 2024, från Kolada", startad_av=w.users["owner"])
    assert (_queries(client, values), _queries(client, fetches)) == small
